/** Validation every store applies to a keyed record before writing it (same rules everywhere). */
import { StoredeskError } from "../errors.js";
import type { KeyedRecordInput } from "../ports/store.js";
import { asJson, cleanStrings } from "./inbound.js";

/** A namespace: lower-case words with `.`, `_` or `-`, up to 100 characters. */
const NAMESPACE = /^[a-z][a-z0-9._-]{0,99}$/;
/** Keys are index entries on PostgreSQL: kept well under the btree limit. */
const MAX_KEY_BYTES = 512;
/** One record's JSON, at most (a plugin with more data splits it across keys). */
const MAX_VALUE_BYTES = 1_000_000;

const invalid = (message: string, path: string[]) => new StoredeskError({ code: "INVALID_INPUT", message, path });

/**
 * Checks a keyed record and returns it as every store keeps it: `value` reduced to JSON with
 * its text cleaned (no NUL, no half emoji), `expiresAt` null when absent. Throws INVALID_INPUT
 * (nothing written) on a bad namespace, an empty or over-long key, a value past 1 MB of JSON,
 * or an invalid date.
 *
 * @example
 * const record = checkRecordInput({ namespace: "knowledge.articles", key: "faq-1", value: { title: "배송" } });
 */
export function checkRecordInput(input: KeyedRecordInput): KeyedRecordInput & { expiresAt: Date | null } {
  if (typeof input !== "object" || input === null) throw invalid("a record must be an object", []);
  if (typeof input.namespace !== "string" || !NAMESPACE.test(input.namespace)) {
    throw invalid("namespace: lower-case words with . _ - (1-100 characters)", ["namespace"]);
  }
  checkRecordKey(input.key);
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt !== null && (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime()))) {
    throw invalid("expiresAt must be a valid Date or null", ["expiresAt"]);
  }
  if (
    input.updatedAt !== undefined &&
    (!(input.updatedAt instanceof Date) || Number.isNaN(input.updatedAt.getTime()))
  ) {
    throw invalid("updatedAt must be a valid Date", ["updatedAt"]);
  }
  let value: unknown;
  try {
    value = cleanStrings(asJson(input.value === undefined ? null : input.value));
  } catch (cause) {
    throw new StoredeskError({ code: "INVALID_INPUT", message: "value must be JSON data", path: ["value"], cause });
  }
  if (Buffer.byteLength(JSON.stringify(value), "utf8") > MAX_VALUE_BYTES) {
    throw invalid(`value is over ${MAX_VALUE_BYTES} bytes of JSON: split it across keys`, ["value"]);
  }
  return { ...input, value, expiresAt };
}

/** Throws INVALID_INPUT unless `key` is a non-empty string of at most 512 UTF-8 bytes. */
export function checkRecordKey(key: unknown): asserts key is string {
  if (typeof key !== "string" || key.length === 0) throw invalid("key must be a non-empty string", ["key"]);
  if (Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) {
    throw invalid(`key is over ${MAX_KEY_BYTES} UTF-8 bytes (hash long keys with boundedKey)`, ["key"]);
  }
}
