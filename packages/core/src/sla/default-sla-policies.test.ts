import { describe, expect, it } from "vitest";
import { defaultSlaPolicies } from "./default-sla-policies.js";
import { selectPolicy } from "./select-policy.js";
import { SlaPolicySchema } from "./sla-policy.js";
import type { Category } from "./types.js";

const pick = (category: Category) =>
  selectPolicy(defaultSlaPolicies(), { category, priority: "normal", channel: "email", tags: [] })!;

describe("defaultSlaPolicies", () => {
  it("are valid policies", () => {
    for (const p of defaultSlaPolicies()) expect(() => SlaPolicySchema.parse(p)).not.toThrow();
  });

  it("answer product questions within 24 h and shipping questions within 12 h, in calendar time", () => {
    expect(pick("product").targets.default?.first_reply).toEqual({ minutes: 24 * 60, time: "calendar" });
    expect(pick("shipping").targets.default?.first_reply).toEqual({ minutes: 12 * 60, time: "calendar" });
  });

  it("complete refunds and exchanges within 48 h", () => {
    expect(pick("refund_exchange").targets.default?.requester_wait).toEqual({ minutes: 48 * 60, time: "calendar" });
  });

  it("cover every category, with shorter urgent targets", () => {
    for (const c of [
      "product",
      "shipping",
      "refund_exchange",
      "order_change",
      "payment",
      "complaint",
      "other",
    ] as const) {
      const p = pick(c);
      expect(p.targets.urgent?.first_reply?.minutes).toBeLessThan(p.targets.default!.first_reply!.minutes);
    }
    expect(pick("complaint").targets.default?.first_reply?.minutes).toBe(4 * 60);
    expect(pick("other").id).toBe("default");
  });

  it("switch to business time on request", () => {
    expect(
      defaultSlaPolicies({ time: "business" }).every((p) =>
        Object.values(p.targets).every((t) => Object.values(t ?? {}).every((x) => x?.time === "business")),
      ),
    ).toBe(true);
  });
});
