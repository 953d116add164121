import { describe, expect, it } from "vitest";
import { assignVariant, defineTemplateExperiment } from "./template-experiment.js";
import { StoredeskError } from "../errors.js";

const exp = defineTemplateExperiment({
  id: "shipping-delay-v2",
  template: "shipping_delay",
  outcome: "csat",
  variants: [{ name: "control" }, { name: "apology_first" }],
});

describe("assignVariant", () => {
  it("gives a ticket the same variant every time", () => {
    const first = Array.from({ length: 100 }, (_, i) => assignVariant(exp, `t_${i}`));
    const again = Array.from({ length: 100 }, (_, i) => assignVariant(exp, `t_${i}`));
    expect(again).toEqual(first);
  });

  it("splits sequential ticket ids close to the weights (50/50 and 80/20 within 2 points over 20,000)", () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `t_${i}`);
    const share = (e: typeof exp, v: string) => ids.filter((id) => assignVariant(e, id) === v).length / ids.length;
    expect(Math.abs(share(exp, "control") - 0.5)).toBeLessThan(0.02);
    const weighted = defineTemplateExperiment({
      ...exp,
      id: "w",
      variants: [
        { name: "a", weight: 4 },
        { name: "b", weight: 1 },
      ],
    });
    expect(Math.abs(share(weighted, "a") - 0.8)).toBeLessThan(0.02);
  });

  it("assigns independently per experiment (another id reshuffles the same tickets)", () => {
    const other = defineTemplateExperiment({ ...exp, id: "another" });
    const ids = Array.from({ length: 2000 }, (_, i) => `t_${i}`);
    const same = ids.filter((id) => assignVariant(exp, id) === assignVariant(other, id)).length / ids.length;
    expect(Math.abs(same - 0.5)).toBeLessThan(0.05);
  });
});

describe("defineTemplateExperiment", () => {
  it("refuses duplicate variant names with INVALID_INPUT", () => {
    expect(() => defineTemplateExperiment({ ...exp, variants: [{ name: "a" }, { name: "a" }] })).toThrow(
      StoredeskError,
    );
  });

  it("refuses a single variant", () => {
    expect(() => defineTemplateExperiment({ ...exp, variants: [{ name: "a" }] })).toThrow(/variants/);
  });
});
