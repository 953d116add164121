import { describe, expect, it } from "vitest";
import { createDesk } from "../../create-desk.js";
import { memoryStore } from "../../../store-memory/index.js";
import { manualClock } from "../../../ports/clock.js";
import { memoryChannel } from "../../../testing/memory-channel.js";
import type { InboundEventInput } from "../../../domain/inbound.js";

const AT = new Date("2026-03-02T09:00:00Z");
const HOUR_MS = 3_600_000;

function setup(autoCloseAfterHours: number) {
  const clock = manualClock(AT);
  const desk = createDesk({
    store: memoryStore(),
    channels: [memoryChannel({ id: "chat" })],
    clock,
    autoAcknowledge: false,
    autoCloseAfterHours,
  });
  return { desk, clock };
}

const message = (externalId: string, at: Date): InboundEventInput => ({
  type: "message",
  channel: "chat",
  externalId,
  occurredAt: at,
  text: "환불 부탁드려요",
  conversationKey: "chat:minji",
  from: { identities: [{ kind: "email", value: "minji@example.com" }] },
});

describe("auto-close after autoCloseAfterHours (through desk.runDue)", () => {
  it("closes a solved ticket nobody answered once the hours have passed, not before", async () => {
    const { desk, clock } = setup(24);
    const { ticket } = await desk.ingest(message("in-1", clock.now()));
    await desk.setStatus(ticket!.id, "solved");
    await desk.runDue(new Date(AT.getTime() + 23 * HOUR_MS));
    expect((await desk.getTicket(ticket!.id)).status).toBe("solved");
    const due = await desk.runDue(new Date(AT.getTime() + 24 * HOUR_MS + 1));
    expect(due.ran).toBeGreaterThanOrEqual(1);
    const closed = await desk.getTicket(ticket!.id);
    expect(closed.status).toBe("closed");
    const last = (await desk.listEvents(ticket!.id)).at(-1)!;
    expect(last).toMatchObject({ type: "status.changed", data: { from: "solved", to: "closed" } });
  });

  it("leaves the ticket open when the customer answered before the hours passed", async () => {
    const { desk, clock } = setup(24);
    const { ticket } = await desk.ingest(message("in-1", clock.now()));
    await desk.setStatus(ticket!.id, "solved");
    clock.advance(2 * HOUR_MS);
    const reply = await desk.ingest(message("in-2", clock.now()));
    expect(reply.ticket!.id).toBe(ticket!.id);
    await desk.runDue(new Date(AT.getTime() + 48 * HOUR_MS));
    expect((await desk.getTicket(ticket!.id)).status).not.toBe("closed");
  });
});
