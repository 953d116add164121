import type { Template } from "../domain/template.js";
import { StoredeskError } from "../errors.js";

/** A rendered template. */
export interface RenderedTemplate {
  subject: string | null;
  body: string;
  /** The language actually used (after fallback). */
  locale: string;
}

/** Options of {@link renderTemplate}. */
export interface RenderOptions {
  /** Languages tried after the requested one, in order. Default `["ko", "en"]`… minus the requested one. */
  fallbacks?: string[];
  /** `error` (default) throws INVALID_INPUT naming every missing variable; `empty` renders them as "". */
  onMissing?: "error" | "empty";
  /** Escape `& < > " '` in substituted values (for HTML bodies). */
  escapeHtml?: boolean;
}

const VARIABLE = /\{\{\s*([a-zA-Z_][\w.]*)\s*(?:\|\s*([^}]*?)\s*)?\}\}/g;

function lookup(variables: Record<string, unknown>, path: string): unknown {
  let value: unknown = variables;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function stringify(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return value.toString();
  return JSON.stringify(value);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function substitute(
  text: string,
  variables: Record<string, unknown>,
  options: RenderOptions,
  missing: Set<string>,
): string {
  return text.replace(VARIABLE, (_whole, path: string, fallback: string | undefined) => {
    const value = lookup(variables, path);
    if (value === undefined || value === null || value === "") {
      if (fallback !== undefined) return options.escapeHtml ? escape(fallback) : fallback;
      missing.add(path);
      return "";
    }
    const text = stringify(value);
    return options.escapeHtml ? escape(text) : text;
  });
}

/** Picks the language to render: the requested one, its base (`ko-KR` → `ko`), then the fallbacks. */
export function pickLocale(
  available: readonly string[],
  requested: string,
  fallbacks: readonly string[] = ["ko", "en"],
): string | null {
  const base = requested.split("-")[0] ?? requested;
  for (const candidate of [requested, base, ...fallbacks]) if (available.includes(candidate)) return candidate;
  return available[0] ?? null;
}

/**
 * Renders a template's body (and subject) for a language with `{{path.to.var}}`
 * substitution and `{{var|default}}` defaults, falling back across languages
 * when the requested one is missing.
 *
 * @example
 * renderTemplate(ackTemplate, { ticket: { ref: "SD-12" }, due: "내일 18:00" }, "ko").body
 */
export function renderTemplate(
  template: Template,
  variables: Record<string, unknown>,
  locale: string,
  options: RenderOptions = {},
): RenderedTemplate {
  const chosen = pickLocale(Object.keys(template.locales), locale, options.fallbacks);
  const body = chosen ? template.locales[chosen] : undefined;
  if (!chosen || !body) {
    throw new StoredeskError({
      code: "NOT_FOUND",
      message: `Template "${template.id}" has no text in any language`,
      details: { templateId: template.id },
    });
  }
  const missing = new Set<string>();
  const rendered = {
    subject: body.subject === null ? null : substitute(body.subject, variables, options, missing),
    body: substitute(body.body, variables, options, missing),
    locale: chosen,
  };
  if (missing.size > 0 && (options.onMissing ?? "error") === "error") {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: `Template "${template.id}" is missing ${[...missing].join(", ")}`,
      path: [...missing][0]?.split("."),
      details: { missing: [...missing] },
    });
  }
  return rendered;
}
