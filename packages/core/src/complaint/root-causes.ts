/**
 * The shop's complaint root-cause taxonomy: the causes an agent may record when a complaint
 * closes, with their Korean and English names, so reports count the same few causes instead of
 * free text ("late", "배송 지연", "courier was late").
 */
import { z } from "zod";
import { StoredeskError } from "../errors.js";
import { parseInput } from "../validate.js";

/** One root cause: a stable id (what is stored and reported) and its names. */
export interface RootCause {
  /** Lowercase id, e.g. `late_delivery`. */
  id: string;
  /** What agents and reports show. */
  label: { ko: string; en: string };
}

/** A root cause as the shop writes it. */
export const RootCauseSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, "lowercase letters, digits and . _ - (at most 64)"),
  label: z.object({ ko: z.string().trim().min(1).max(100), en: z.string().trim().min(1).max(100) }),
});

/** The default taxonomy (used when the shop defines none). */
export const DEFAULT_ROOT_CAUSES: readonly RootCause[] = Object.freeze([
  { id: "product_defect", label: { ko: "상품 불량", en: "Product defect" } },
  { id: "wrong_item", label: { ko: "오배송", en: "Wrong item" } },
  { id: "late_delivery", label: { ko: "배송 지연", en: "Late delivery" } },
  { id: "damaged_in_transit", label: { ko: "배송 중 파손", en: "Damaged in transit" } },
  { id: "rude_service", label: { ko: "불친절한 응대", en: "Rude service" } },
  { id: "policy", label: { ko: "정책", en: "Policy" } },
  { id: "pricing", label: { ko: "가격", en: "Pricing" } },
  { id: "other", label: { ko: "기타", en: "Other" } },
]);

/**
 * @deprecated The ids of {@link DEFAULT_ROOT_CAUSES}; use that (ids with names) or the desk's
 * `complaint.rootCauses`.
 */
export const COMMON_ROOT_CAUSES: readonly string[] = DEFAULT_ROOT_CAUSES.map((c) => c.id);

/**
 * Validates a shop's taxonomy: at least one cause, ids and names unique.
 *
 * @example
 * const causes = defineRootCauses([{ id: "courier", label: { ko: "택배사", en: "Courier" } }, ...DEFAULT_ROOT_CAUSES]);
 */
export function defineRootCauses(causes: readonly RootCause[]): RootCause[] {
  const parsed = parseInput(z.array(RootCauseSchema).min(1).max(200), causes, "root causes");
  const seen = new Map<string, number>();
  for (const [i, cause] of parsed.entries()) {
    for (const key of [cause.id, fold(cause.label.ko), fold(cause.label.en)]) {
      const first = seen.get(key);
      if (first !== undefined && first !== i)
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: `Root cause ${i} ("${cause.id}") repeats "${key}" of root cause ${first}`,
          path: ["rootCauses", i],
        });
      seen.set(key, i);
    }
  }
  return parsed;
}

/** Case-, space- and width-insensitive form of a name, for matching what an agent typed. */
function fold(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_-]+/g, "");
}

/**
 * The id of the cause an agent named: its id, or its Korean or English name (any case and
 * spacing, so "배송지연" and "Late delivery" both give `late_delivery`). Refuses anything else
 * with INVALID_INPUT listing the allowed ids.
 *
 * @example
 * resolveRootCause(DEFAULT_ROOT_CAUSES, "배송 중 파손"); // "damaged_in_transit"
 */
export function resolveRootCause(causes: readonly RootCause[], named: string): string {
  const key = fold(named);
  const found = causes.find((c) => fold(c.id) === key || fold(c.label.ko) === key || fold(c.label.en) === key);
  if (found) return found.id;
  throw new StoredeskError({
    code: "INVALID_INPUT",
    message: `"${named}" is not one of the shop's root causes (${causes.map((c) => c.id).join(", ")})`,
    path: ["rootCause"],
    details: { allowed: causes.map((c) => c.id) },
  });
}
