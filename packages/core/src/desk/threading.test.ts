import { describe, expect, it } from "vitest";
import { createDesk } from "./create-desk.js";
import { memoryStore } from "../store-memory/index.js";
import { manualClock } from "../ports/clock.js";
import { memoryChannel } from "../testing/memory-channel.js";
import { replyMayThread } from "./threading.js";
import type { InboundEventInput } from "../domain/inbound.js";

const AT = new Date("2026-03-02T09:00:00Z");

function setup(channel: string) {
  const adapter = memoryChannel({ id: channel });
  const desk = createDesk({ store: memoryStore(), channels: [adapter], clock: manualClock(AT), autoAcknowledge: false });
  return { desk, adapter };
}

function msg(channel: string, externalId: string, from: { kind: "email" | "whatsapp" | "messenger"; value: string }, extra: Partial<Extract<InboundEventInput, { type: "message" }>> = {}): InboundEventInput {
  return { type: "message", channel, externalId, occurredAt: AT, text: "배송 언제 와요?", from: { identities: [from] }, ...extra };
}

describe("replyMayThread", () => {
  it("honours a reply id for the ticket's customer or a recorded participant only", () => {
    const ticket = { customerId: "c_a" };
    const messages = [{ meta: { participants: ["email:b@example.com"] } }];
    expect(replyMayThread(ticket, "c_a", [], [])).toBe(true);
    expect(replyMayThread(ticket, "c_b", [{ kind: "email", value: "B@example.com" }], messages)).toBe(true);
    expect(replyMayThread(ticket, "c_x", [{ kind: "email", value: "x@example.com" }], messages)).toBe(false);
  });
});

describe.each([
  ["email", "email", "a@example.com", "x@example.com"],
  ["whatsapp", "whatsapp", "821011112222", "821099998888"],
  ["messenger", "messenger", "6789012345678901", "1111111111111111"],
] as const)("a stranger's reply id on %s", (channel, kind, a, x) => {
  it("opens a new ticket for the stranger, leaves the other customer's ticket alone and links both with thread.suspected", async () => {
    const { desk } = setup(channel);
    const first = await desk.ingest(msg(channel, "in-1", { kind, value: a }));
    const reply = await desk.reply(first.ticket!.id, { text: "곧 발송됩니다", agentId: "kim" }, { wait: "sent" });
    const before = (await desk.listMessages(first.ticket!.id)).length;
    const stranger = await desk.ingest(msg(channel, "in-2", { kind, value: x }, { replyTo: [reply.externalId!] }));
    expect(stranger.outcome).toBe("created");
    expect(stranger.ticket!.id).not.toBe(first.ticket!.id);
    expect(await desk.listMessages(first.ticket!.id)).toHaveLength(before);
    const onA = (await desk.listEvents(first.ticket!.id)).filter((e) => e.type === "thread.suspected");
    const onX = (await desk.listEvents(stranger.ticket!.id)).filter((e) => e.type === "thread.suspected");
    expect(onA).toEqual([expect.objectContaining({ data: expect.objectContaining({ otherTicketId: stranger.ticket!.id }) })]);
    expect(onX).toEqual([expect.objectContaining({ data: expect.objectContaining({ suspectedTicketId: first.ticket!.id }) })]);
    // The customer's own reply by the same id still threads.
    expect((await desk.ingest(msg(channel, "in-3", { kind, value: a }, { replyTo: [reply.externalId!] }))).ticket!.id).toBe(first.ticket!.id);
  });
});

describe("a participant's reply id on email", () => {
  it("threads a reply from an address that was on Cc of a message of the ticket", async () => {
    const { desk } = setup("email");
    const first = await desk.ingest(msg("email", "in-1", { kind: "email", value: "a@example.com" }, { meta: { participants: ["email:support@shop.example", "email:b@example.com"] } }));
    const r = await desk.ingest(msg("email", "in-2", { kind: "email", value: "b@example.com" }, { replyTo: ["in-1"] }));
    expect(r.ticket!.id).toBe(first.ticket!.id);
  });
});
