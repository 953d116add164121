/** The default SLA targets follow the shop's business hours when the desk is given them. */
import { describe, expect, it } from "vitest";
import { defineCalendar } from "../calendar/index.js";
import { manualClock } from "../ports/clock.js";
import { memoryStore } from "../store-memory/memory-store.js";
import { memoryChannel } from "../testing/memory-channel.js";
import { createDesk } from "./create-desk.js";

const seoul = defineCalendar({
  id: "seoul",
  timeZone: "Asia/Seoul",
  weekly: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ start: "09:00", end: "18:00" }]])),
});

async function firstReplyDue(sla: Parameters<typeof createDesk>[0]["sla"]) {
  const clock = manualClock(new Date("2026-12-05T03:00:00Z")); // Saturday 12:00 in Seoul
  const desk = createDesk({ store: memoryStore(), clock, channels: [memoryChannel({ id: "webchat" })], sla });
  const { ticket } = await desk.ingest({
    type: "message",
    channel: "webchat",
    externalId: "m1",
    occurredAt: clock.now(),
    conversationKey: "c1",
    from: { identities: [{ kind: "webchat", value: "v1" }] },
    text: "배송 언제 와요?",
  });
  await desk.close();
  return ticket!.slaDueAt?.toISOString();
}

describe("default SLA policies and the desk's calendar", () => {
  it("counts the default targets in business hours when a calendar is given", async () => {
    // Shipping: 12 business hours from Monday 09:00 = Monday 18:00 (9 h) + Tuesday 12:00 (3 h).
    expect(await firstReplyDue({ calendar: seoul })).toBe("2026-12-08T03:00:00.000Z");
  });

  it("keeps calendar time without a calendar", async () => {
    expect(await firstReplyDue(undefined)).toBe("2026-12-05T15:00:00.000Z");
  });
});
