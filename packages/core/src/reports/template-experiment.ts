/**
 * A/B tests of reply templates: an experiment names a template's variants; each ticket gets
 * one variant, deterministically, so a retried send or a second instance picks the same one.
 */
import { z } from "zod";
import { parseInput } from "../validate.js";

/** An experiment on a reply template (zod). Weights default to equal. */
export const TemplateExperimentSchema = z.object({
  id: z.string().min(1).max(200),
  template: z.string().min(1).max(200),
  variants: z
    .array(
      z.object({
        name: z.string().min(1).max(200),
        weight: z.number().positive().default(1),
        /** The registered template this variant sends; default the experiment's `template` (the control). */
        templateId: z.string().min(1).max(200).optional(),
      }),
    )
    .min(2)
    .max(20)
    .refine((vs) => new Set(vs.map((v) => v.name)).size === vs.length, "variant names must be unique"),
  /** What success means for the results: a CSAT of 4–5, no reopen within 7 days, a fast resolution. */
  outcome: z.enum(["csat", "no_reopen_7d", "resolved_within_target"]),
  /** Target of `resolved_within_target`, hours from creation to resolution. Default 24. */
  targetHours: z
    .number()
    .positive()
    .max(24 * 365)
    .default(24),
  /** Whether sends pick a variant now; a stopped experiment keeps its results. Default true. */
  active: z.boolean().default(true),
  /** The stop rule, chosen in advance (see `experimentResults`). */
  stopRule: z
    .object({
      minPerVariant: z.number().int().min(1).default(400),
      maxPerVariant: z.number().int().min(1).optional(),
      alpha: z.number().gt(0).lt(1).default(0.05),
      confidence: z.number().gt(0).lt(1).default(0.95),
    })
    .default({ minPerVariant: 400, alpha: 0.05, confidence: 0.95 }),
});
/** An experiment as given. */
export type TemplateExperimentInput = z.input<typeof TemplateExperimentSchema>;
/** A validated experiment. */
export type TemplateExperiment = z.output<typeof TemplateExperimentSchema>;

/**
 * Validates an experiment (`INVALID_INPUT` StoredeskError on bad input).
 *
 * @example
 * const exp = defineTemplateExperiment({ id: "ship-v2", template: "shipping_delay", outcome: "csat",
 *   variants: [{ name: "control" }, { name: "apology_first" }] });
 */
export function defineTemplateExperiment(input: TemplateExperimentInput): TemplateExperiment {
  return parseInput(TemplateExperimentSchema, input, "template experiment");
}

/**
 * FNV-1a (32 bit) with murmur3's finaliser: stable across runtimes, fast, and ids that differ
 * in one character still land far apart. Not a secret: nothing here needs a crypto hash.
 */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The variant a ticket gets: a hash of experiment id and ticket id, split by the weights.
 * The same ticket always gets the same variant; another experiment reshuffles independently.
 *
 * @example
 * assignVariant(exp, "t_123"); // "apology_first", every time
 */
export function assignVariant(experiment: TemplateExperiment, ticketId: string): string {
  const total = experiment.variants.reduce((s, v) => s + v.weight, 0);
  let point = (hash32(`${experiment.id}\u0000${ticketId}`) / 4_294_967_296) * total;
  for (const v of experiment.variants) {
    point -= v.weight;
    if (point < 0) return v.name;
  }
  return experiment.variants[experiment.variants.length - 1]!.name;
}
