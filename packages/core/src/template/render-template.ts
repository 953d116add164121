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

function lookup(variables: Record<string, unknown>, keys: readonly string[]): unknown {
  let value: unknown = variables;
  for (const key of keys) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A template text cut at its variables: literal text, then `{{path|fallback}}`, alternating. */
interface ParsedText {
  literals: string[];
  slots: Array<{ path: string; keys: string[]; fallback: string | undefined }>;
}

/**
 * Texts already cut at their variables. A shop has a handful of templates and every
 * acknowledgement renders one: scanning the text once, not on every render.
 */
const parsedTexts = new Map<string, ParsedText>();
const PARSED_LIMIT = 500;

function parse(text: string): ParsedText {
  let parsed = parsedTexts.get(text);
  if (parsed) return parsed;
  parsed = { literals: [], slots: [] };
  let last = 0;
  for (const m of text.matchAll(VARIABLE)) {
    parsed.literals.push(text.slice(last, m.index));
    parsed.slots.push({ path: m[1]!, keys: m[1]!.split("."), fallback: m[2] });
    last = m.index + m[0].length;
  }
  parsed.literals.push(text.slice(last));
  if (parsedTexts.size >= PARSED_LIMIT) parsedTexts.delete(parsedTexts.keys().next().value!);
  parsedTexts.set(text, parsed);
  return parsed;
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
  const { literals, slots } = parse(text);
  let out = literals[0]!;
  for (let i = 0; i < slots.length; i++) {
    const { path, keys, fallback } = slots[i]!;
    const value = lookup(variables, keys);
    let piece: string;
    if (value === undefined || value === null || value === "") {
      if (fallback !== undefined) piece = options.escapeHtml ? escape(fallback) : fallback;
      else {
        missing.add(path);
        piece = "";
      }
    } else {
      const text = stringify(value);
      piece = options.escapeHtml ? escape(text) : text;
    }
    out += piece + literals[i + 1]!;
  }
  return out;
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
