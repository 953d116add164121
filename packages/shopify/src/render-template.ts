/**
 * Webhook message templates, rendered with core's `renderTemplate` one line at a
 * time so that a line whose variable is missing disappears ("Tracking: {{tracking.url}}"
 * is dropped when there is no URL) instead of printing "Tracking: ".
 */
import { StoredeskError, pickLocale, renderTemplate, type Template } from "@storedesk/core";

/** A message template: one text for all, or one body per language (core's Template `locales`). */
export type ShopifyMessageTemplate = string | { locales: Record<string, { subject?: string | null; body: string }> };

function renderLines(text: string, vars: Record<string, unknown>, locale: string): string {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const one: Template = {
      id: "shopify-line",
      name: "shopify-line",
      category: null,
      locales: { [locale]: { subject: null, body: line } },
    };
    try {
      out.push(renderTemplate(one, vars, locale).body);
    } catch (err) {
      // onMissing "error" names a missing variable: drop the line. Anything else is a real fault.
      if (!StoredeskError.is(err, "INVALID_INPUT")) throw err;
    }
  }
  return out.join("\n");
}

/**
 * Renders `{{path.to.value}}` (and core's `{{value|default}}`) for the customer's
 * language, falling back to `fallbackLocale` and then the first language given.
 *
 * @example
 * renderMessage("Order {{order.name}}\nTracking: {{tracking.url}}", { order: { name: "#1001" } }, "en", "en")
 * // { text: "Order #1001", subject: null }
 */
export function renderMessage(
  template: ShopifyMessageTemplate,
  vars: Record<string, unknown>,
  locale: string | null,
  fallbackLocale: string,
): { text: string; subject: string | null } {
  const locales =
    typeof template === "string" ? { [fallbackLocale]: { subject: null, body: template } } : template.locales;
  // Core's choice: the exact language, its base ("ko" for "ko-KR"), the fallback, then the first given.
  const chosen = pickLocale(Object.keys(locales), locale ?? fallbackLocale, [fallbackLocale]);
  const body = chosen ? locales[chosen] : undefined;
  if (!chosen || !body) return { text: "", subject: null };
  return {
    text: renderLines(body.body, vars, chosen),
    subject: body.subject ? renderLines(body.subject, vars, chosen) : null,
  };
}
