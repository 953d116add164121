import { describe, expect, it } from "vitest";
import {
  experimentResults,
  twoProportionZTest,
  wilsonInterval,
  type ExperimentObservation,
} from "./experiment-results.js";
import { normalCdf, normalQuantile } from "./normal-distribution.js";
import { StoredeskError } from "../errors.js";

function arm(variant: string, successes: number, n: number): ExperimentObservation[] {
  return Array.from({ length: n }, (_, i) => ({ variant, success: i < successes }));
}

describe("normal distribution", () => {
  it("matches table values of the CDF and the quantile", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6);
    expect(normalCdf(-2.5758)).toBeCloseTo(0.005, 5);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 5);
  });

  it("refuses a probability outside (0, 1)", () => {
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe("wilsonInterval", () => {
  it("gives the 95% interval of 45 out of 100 (0.35615–0.54755, from the formula at full precision)", () => {
    const ci = wilsonInterval(45, 100);
    expect(ci.low).toBeCloseTo(0.356145, 5);
    expect(ci.high).toBeCloseTo(0.547554, 5);
  });

  it("stays inside [0, 1] at 0 and n successes, and is all of it without data", () => {
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(10, 10).high).toBe(1);
    expect(wilsonInterval(0, 10).high).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe("twoProportionZTest", () => {
  it("gives z ≈ 2.83 and p ≈ 0.0047 for 40/100 against 60/100", () => {
    const t = twoProportionZTest(40, 100, 60, 100);
    expect(t.difference).toBeCloseTo(0.2, 10);
    expect(t.z).toBeCloseTo(2.8284, 3);
    expect(t.pValue).toBeCloseTo(0.00468, 4);
  });

  it("gives p = 1 when there is nothing to compare", () => {
    expect(twoProportionZTest(0, 0, 5, 10).pValue).toBe(1);
    expect(twoProportionZTest(10, 10, 20, 20).pValue).toBe(1);
  });
});

describe("experimentResults and the stop rule", () => {
  const names = ["control", "apology_first"];

  it("continues while an arm is below the minimum, even with a large difference", () => {
    const r = experimentResults(names, [...arm("control", 10, 50), ...arm("apology_first", 45, 50)], {
      minPerVariant: 100,
    });
    expect(r.decision).toBe("continue");
    expect(r.variants.map((v) => [v.variant, v.n, v.successes])).toEqual([
      ["control", 50, 10],
      ["apology_first", 50, 45],
    ]);
  });

  it("names the better variant once both arms have the minimum and the difference is significant", () => {
    const r = experimentResults(names, [...arm("control", 40, 100), ...arm("apology_first", 60, 100)], {
      minPerVariant: 100,
    });
    expect(r.decision).toBe("winner");
    expect(r.winner).toBe("apology_first");
    expect(r.variants[1]!.rate).toBe(0.6);
    expect(r.variants[1]!.test?.pValue).toBeLessThan(0.05);
    expect(r.variants[0]!.test).toBeNull();
  });

  it("names the control when the only significant variant is worse", () => {
    const r = experimentResults(names, [...arm("control", 60, 100), ...arm("apology_first", 40, 100)], {
      minPerVariant: 100,
    });
    expect(r.winner).toBe("control");
  });

  it("stops with no difference once every arm reached the maximum without significance", () => {
    const obs = [...arm("control", 50, 200), ...arm("apology_first", 52, 200)];
    expect(experimentResults(names, obs, { minPerVariant: 100, maxPerVariant: 200 }).decision).toBe("no_difference");
    expect(experimentResults(names, obs, { minPerVariant: 100, maxPerVariant: 300 }).decision).toBe("continue");
  });

  it("splits alpha over the comparisons with three variants (p 0.03 is not enough)", () => {
    // 40/100 vs 55/100: p ≈ 0.034 < 0.05 but > 0.025 (Bonferroni for two comparisons).
    const obs = [...arm("a", 40, 100), ...arm("b", 55, 100), ...arm("c", 40, 100)];
    const r = experimentResults(["a", "b", "c"], obs, { minPerVariant: 100, maxPerVariant: 1000 });
    expect(r.variants[1]!.test!.pValue).toBeGreaterThan(0.025);
    expect(r.variants[1]!.test!.pValue).toBeLessThan(0.05);
    expect(r.decision).toBe("continue");
  });

  it("refuses an experiment with one variant", () => {
    expect(() => experimentResults(["only"], [], { minPerVariant: 10 })).toThrow(StoredeskError);
  });
});
