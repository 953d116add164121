/**
 * Walking outside input safely: text every store can keep, JSON copies, and a depth bound on
 * both. Recursion over input is bounded by {@link MAX_JSON_DEPTH}, so a body nested 100,000 deep
 * is a 400 (or a cut, for a message's `meta`), never a stack overflow answered 5xx.
 */
import { StoredeskError } from "../errors.js";

/** How deep any input object may nest (objects and arrays count; a scalar at the bottom does not). */
export const MAX_JSON_DEPTH = 64;

/**
 * Text every store can keep: NUL removed (no PostgreSQL text or jsonb value holds it) and an
 * unpaired UTF-16 surrogate (half an emoji, valid in JSON) replaced by U+FFFD. A malformed
 * mail or payload keeps its message, minus what no store could keep anyway.
 *
 * @example
 * cleanText("a\u0000b \ud83d") // "ab \ufffd"
 */
export function cleanText(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  return text.replaceAll("\u0000", "").replace(LONE_SURROGATE, "\ufffd");
}
// eslint-disable-next-line no-control-regex
const NEEDS_CLEANING = /[\u0000\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function tooDeep(path: ReadonlyArray<string | number>): StoredeskError {
  return new StoredeskError({
    code: "INVALID_INPUT",
    message: `Input nested deeper than ${MAX_JSON_DEPTH} levels at ${path.slice(0, 8).join(".")}…`,
    path: path.slice(0, MAX_JSON_DEPTH + 1),
    details: { limit: "json_depth", max: MAX_JSON_DEPTH },
  });
}

/**
 * A value as JSON keeps it: Dates become ISO strings, `undefined` keys go, NaN and ±Infinity
 * become null. What a memory store and PostgreSQL's jsonb then hold is the same. Deeper than
 * {@link MAX_JSON_DEPTH} → INVALID_INPUT naming the path.
 *
 * @example
 * asJson({ at: new Date(0), gone: undefined }) // { at: "1970-01-01T00:00:00.000Z" }
 */
export function asJson<T>(value: T): T {
  // Plain JSON data (nearly always) is copied as it is; anything JSON would change takes the round trip.
  const copy = jsonCopy(value ?? null, 0);
  if (copy !== NOT_PLAIN) return copy as T;
  assertDepth(value, 0, []); // JSON.stringify recurses without a bound
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}

const NOT_PLAIN: unique symbol = Symbol("not plain JSON");

/**
 * A deep copy of `value` when JSON would keep it exactly (strings, finite numbers but -0, booleans,
 * null, plain objects and dense arrays of those, no `toJSON`, no `__proto__` key), else NOT_PLAIN.
 */
function jsonCopy(value: unknown, depth: number): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0) ? value : NOT_PLAIN;
  if (typeof value !== "object" || depth >= MAX_JSON_DEPTH) return NOT_PLAIN;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return NOT_PLAIN;
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return NOT_PLAIN;
      const item = jsonCopy(value[i], depth + 1);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      out.push(item);
    }
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || "toJSON" in value) return NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === "__proto__") return NOT_PLAIN;
    const item = jsonCopy((value as Record<string, unknown>)[key], depth + 1);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    out[key] = item;
  }
  return out;
}

function isContainer(value: unknown): value is object {
  return value !== null && typeof value === "object" && !(value instanceof Date);
}

/** Throws {@link tooDeep} when `value` nests deeper than the bound; recursion stops at the bound. */
function assertDepth(value: unknown, depth: number, path: Array<string | number>): void {
  if (!isContainer(value)) return;
  if (depth >= MAX_JSON_DEPTH) throw tooDeep(path);
  for (const key of Object.keys(value)) {
    path.push(Array.isArray(value) ? Number(key) : key);
    assertDepth((value as Record<string, unknown>)[key], depth + 1, path);
    path.pop();
  }
}

/**
 * `value` with every object or array nested deeper than `maxDepth` (default {@link MAX_JSON_DEPTH}) replaced by the
 * string `"[truncated]"`, and the paths (dot-joined, first 10) of what was cut. The same object
 * comes back when nothing was cut. For a message's `meta`: the message is real, a hostile
 * provider field inside it must not cost the customer their message.
 *
 * @example
 * cutDeepJson({ referral: deeplyNested }) // { value: { referral: { … "[truncated]" } }, cut: ["referral.a.a…"] }
 */
export function cutDeepJson<T>(value: T, maxDepth = MAX_JSON_DEPTH): { value: T; cut: string[] } {
  const cut: string[] = [];
  const walk = (v: unknown, depth: number, path: Array<string | number>): unknown => {
    if (!isContainer(v)) return v;
    if (depth >= maxDepth) {
      if (cut.length < 10) cut.push(path.slice(0, 6).join(".") + (path.length > 6 ? "…" : ""));
      return "[truncated]";
    }
    let out: Record<string, unknown> | unknown[] | null = null;
    for (const key of Object.keys(v)) {
      const item = (v as Record<string, unknown>)[key];
      path.push(key);
      const next = walk(item, depth + 1, path);
      path.pop();
      if (next === item) continue;
      out ??= Array.isArray(v) ? [...(v as unknown[])] : { ...(v as Record<string, unknown>) };
      (out as Record<string, unknown>)[key] = next;
    }
    return out ?? v;
  };
  return { value: walk(value, 0, []) as T, cut };
}

/**
 * Cleans every string of a value (keys too) with {@link cleanText}; returns the same object
 * when nothing needed cleaning. The desk runs it on everything it accepts, so every store
 * keeps the same text. Deeper than {@link MAX_JSON_DEPTH} → INVALID_INPUT naming the path.
 *
 * @example
 * cleanStrings({ note: "a\u0000b" }) // { note: "ab" }
 */
export function cleanStrings<T>(value: T): T {
  return cleanDeep(value, 0, []);
}

function cleanDeep<T>(value: T, depth: number, path: Array<string | number>): T {
  // Copy-on-write: the same object comes back unless something was cleaned (nearly always).
  if (typeof value === "string") return cleanText(value) as T;
  if (!isContainer(value)) return value;
  if (depth >= MAX_JSON_DEPTH) throw tooDeep(path);
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      path.push(i);
      const clean = cleanDeep(item, depth + 1, path);
      path.pop();
      if (clean !== item) (out ??= [...(value as unknown[])])[i] = clean;
    }
    return (out ?? value) as T;
  }
  let out: Record<string, unknown> | null = null;
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    const key = cleanText(k);
    path.push(k);
    const clean = cleanDeep(v, depth + 1, path);
    path.pop();
    if (key !== k || clean !== v) {
      out ??= { ...(value as Record<string, unknown>) };
      if (key !== k) delete out[k];
      out[key] = clean;
    }
  }
  return (out ?? value) as T;
}
