import { describe, expect, it } from "vitest";
import { StoredeskError } from "../errors.js";
import { defineSlaPolicy } from "./sla-policy.js";

describe("defineSlaPolicy", () => {
  it("accepts a full policy", () => {
    const p = defineSlaPolicy({
      id: "vip",
      name: "VIP",
      conditions: { categories: ["complaint"], customer: { tier: "vip" } },
      targets: {
        default: { first_reply: { minutes: 60, time: "business" } },
        urgent: { first_reply: { minutes: 15, time: "calendar" } },
      },
      warnBeforeMinutes: 10,
      pauses: { requester_wait: ["pending", "on_hold"] },
      replyCounts: { authorKinds: ["agent", "bot"], anyChannel: true },
      reopenRearmsResolution: false,
      escalations: [{ on: "breach", raisePriority: "urgent", assignTeam: "leads", notify: ["lead@shop.example"] }],
    });
    expect(p.id).toBe("vip");
  });

  it("rejects a non-positive target and an unknown metric with the field path", () => {
    try {
      defineSlaPolicy({ id: "x", name: "x", targets: { default: { first_reply: { minutes: 0, time: "calendar" } } } });
      expect.unreachable();
    } catch (err) {
      expect(StoredeskError.is(err, "INVALID_INPUT")).toBe(true);
      expect((err as StoredeskError).path).toEqual(["targets", "default", "first_reply", "minutes"]);
    }
    expect(() =>
      defineSlaPolicy({
        id: "x",
        name: "x",
        targets: { default: { resolution: { minutes: 5, time: "calendar" } } },
      } as never),
    ).toThrow(StoredeskError);
  });
});
