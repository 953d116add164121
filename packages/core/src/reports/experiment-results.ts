/** Results of a template A/B test: rates with Wilson intervals, a two-proportion z-test, a stop rule. */
import { StoredeskError } from "../errors.js";
import { normalCdf, normalQuantile } from "./normal-distribution.js";

/** One ticket's outcome in an experiment. */
export interface ExperimentObservation {
  variant: string;
  success: boolean;
}

/** A confidence interval of a proportion. */
export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval of `successes` out of `n` at `confidence` (default 95%); unlike the
 * normal approximation it stays inside [0, 1] and behaves at small n and rates near 0 or 1.
 *
 * @example
 * wilsonInterval(45, 100); // { low: ≈0.3561, high: ≈0.5476 }
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** A two-sided two-proportion z-test of B against A. */
export interface ProportionTest {
  /** rate B − rate A. */
  difference: number;
  z: number;
  pValue: number;
}

/**
 * Two-sided two-proportion z-test with the pooled standard error. `pValue` is 1 when there is
 * nothing to compare (an empty arm, or both arms all-success or all-failure).
 *
 * @example
 * twoProportionZTest(40, 100, 60, 100); // { difference: 0.2, z: ≈2.83, pValue: ≈0.0047 }
 */
export function twoProportionZTest(successesA: number, nA: number, successesB: number, nB: number): ProportionTest {
  if (nA === 0 || nB === 0) return { difference: 0, z: 0, pValue: 1 };
  const pA = successesA / nA;
  const pB = successesB / nB;
  const pooled = (successesA + successesB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  if (se === 0) return { difference: pB - pA, z: 0, pValue: 1 };
  const z = (pB - pA) / se;
  return { difference: pB - pA, z, pValue: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}

/** When to stop an experiment. */
export interface StopRule {
  /** Each arm needs this many observations before any decision (fixed horizon: no early peeking). */
  minPerVariant: number;
  /** Stop without a winner once every arm has this many. Default 10 × `minPerVariant`. */
  maxPerVariant?: number;
  /** Significance level, split over the comparisons with the control (Bonferroni). Default 0.05. */
  alpha?: number;
  /** Interval confidence. Default 0.95. */
  confidence?: number;
}

/** One variant's figures. */
export interface VariantResult {
  variant: string;
  n: number;
  successes: number;
  rate: number | null;
  interval: Interval;
  /** Against the control (the first variant); null for the control itself. */
  test: ProportionTest | null;
}

/** An experiment's results and what the stop rule says. */
export interface ExperimentResults {
  variants: VariantResult[];
  decision: "continue" | "winner" | "no_difference";
  /** The best variant when `decision` is `winner`. */
  winner: string | null;
}

/**
 * Counts, rates, Wilson intervals and z-tests against the first variant (the control), and the
 * stop rule's decision: `winner` once every arm has `minPerVariant` and some variant differs
 * from the control at the Bonferroni-corrected level (the best significant one wins, which may
 * be the control), `no_difference` once every arm reached `maxPerVariant`, else `continue`.
 *
 * @example
 * experimentResults(["control", "apology_first"], observations, { minPerVariant: 400 }).decision;
 */
export function experimentResults(
  variantNames: readonly string[],
  observations: Iterable<ExperimentObservation>,
  rule: StopRule,
): ExperimentResults {
  if (variantNames.length < 2)
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "An experiment needs two variants",
      path: ["variants"],
    });
  if (!(rule.minPerVariant >= 1))
    throw new StoredeskError({ code: "INVALID_INPUT", message: "minPerVariant must be ≥ 1", path: ["minPerVariant"] });
  const counts = new Map(variantNames.map((v) => [v, { n: 0, s: 0 }]));
  for (const o of observations) {
    const c = counts.get(o.variant);
    if (!c) continue; // an observation of a removed variant: not part of this comparison
    c.n++;
    if (o.success) c.s++;
  }
  const confidence = rule.confidence ?? 0.95;
  const control = counts.get(variantNames[0]!)!;
  const variants: VariantResult[] = variantNames.map((variant, i) => {
    const c = counts.get(variant)!;
    return {
      variant,
      n: c.n,
      successes: c.s,
      rate: c.n ? c.s / c.n : null,
      interval: wilsonInterval(c.s, c.n, confidence),
      test: i === 0 ? null : twoProportionZTest(control.s, control.n, c.s, c.n),
    };
  });
  const alpha = (rule.alpha ?? 0.05) / (variantNames.length - 1);
  const max = rule.maxPerVariant ?? rule.minPerVariant * 10;
  const smallest = Math.min(...variants.map((v) => v.n));
  if (smallest < rule.minPerVariant) return { variants, decision: "continue", winner: null };
  const significant = variants.filter((v) => v.test && v.test.pValue < alpha);
  if (significant.length > 0) {
    const best = significant.reduce((a, b) => ((b.rate ?? 0) > (a.rate ?? 0) ? b : a));
    // A significant arm worse than the control means the control wins.
    const winner = (best.rate ?? 0) > (variants[0]!.rate ?? 0) ? best.variant : variants[0]!.variant;
    return { variants, decision: "winner", winner };
  }
  return { variants, decision: smallest >= max ? "no_difference" : "continue", winner: null };
}
