/**
 * Reports read the audit log the desk really writes: a desk flow on the memory store
 * (auto-acknowledgement, bot reply, agent reply, solve, reopen) gives the expected figures.
 */
import { describe, expect, it } from "vitest";
import { createDesk } from "../desk/create-desk.js";
import { memoryStore } from "../store-memory/memory-store.js";
import { memoryChannel } from "../testing/memory-channel.js";
import { manualClock } from "../ports/clock.js";
import { computeReport } from "./compute-report.js";
import type { TicketEvent } from "../domain/event.js";

const MIN = 60_000;

describe("computeReport over a desk's audit log", () => {
  it("measures the agent's reply, not the acknowledgement or the bot, and sees the reopen", async () => {
    const start = new Date("2026-11-02T01:00:00Z"); // Monday 10:00 KST
    const clock = manualClock(start);
    const desk = createDesk({ store: memoryStore(), clock, channels: [memoryChannel()], autoAcknowledge: true });
    const from = { identities: [{ kind: "webchat" as const, value: "visitor-1" }], name: "김민수" };
    const { ticket } = await desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: "m1",
      occurredAt: start,
      from,
      text: "배송이 언제 오나요?",
      conversationKey: "c1",
    });
    const id = ticket!.id;
    clock.set(new Date(start.getTime() + 2 * MIN));
    await desk.reply(id, { text: "FAQ: 배송은 2–3일 걸립니다", authorKind: "bot" });
    clock.set(new Date(start.getTime() + 25 * MIN));
    await desk.reply(id, { text: "내일 도착 예정입니다", agentId: "kim", status: "solved" });
    clock.set(new Date(start.getTime() + 60 * MIN));
    await desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: "m2",
      occurredAt: clock.now(),
      from,
      text: "아직 안 왔어요",
      conversationKey: "c1",
    });

    const events: TicketEvent[] = await desk.listEvents(id);
    expect(events.map((e) => e.type)).toContain("ack.sent");
    const r = computeReport(events, { timeZone: "Asia/Seoul", agents: ["kim"] });
    expect(r.tickets).toBe(1);
    expect(r.firstReply.medianMs).toBe(25 * MIN);
    expect(r.volume.byChannel).toEqual({ webchat: 1 });
    expect(r.volume.byHour[10]).toBe(1);
    expect(r.reopen).toEqual({ count: 1, total: 1, rate: 1 });
    expect(r.resolution.count).toBe(0);
  });
});
