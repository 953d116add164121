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
  const desk = createDesk({
    store: memoryStore(),
    channels: [adapter],
    clock: manualClock(AT),
    autoAcknowledge: false,
  });
  return { desk, adapter };
}

function msg(
  channel: string,
  externalId: string,
  from: { kind: "email" | "whatsapp" | "messenger"; value: string },
  extra: Partial<Extract<InboundEventInput, { type: "message" }>> = {},
): InboundEventInput {
  return {
    type: "message",
    channel,
    externalId,
    occurredAt: AT,
    text: "배송 언제 와요?",
    from: { identities: [from] },
    ...extra,
  };
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
    expect(onA).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ otherTicketId: stranger.ticket!.id }) }),
    ]);
    expect(onX).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ suspectedTicketId: first.ticket!.id }) }),
    ]);
    // The customer's own reply by the same id still threads.
    expect(
      (await desk.ingest(msg(channel, "in-3", { kind, value: a }, { replyTo: [reply.externalId!] }))).ticket!.id,
    ).toBe(first.ticket!.id);
  });
});

describe("a participant's reply id on email", () => {
  it("threads a reply from an address that was on Cc of a message of the ticket", async () => {
    const { desk } = setup("email");
    const first = await desk.ingest(
      msg(
        "email",
        "in-1",
        { kind: "email", value: "a@example.com" },
        { meta: { participants: ["email:support@shop.example", "email:b@example.com"] } },
      ),
    );
    const r = await desk.ingest(msg("email", "in-2", { kind: "email", value: "b@example.com" }, { replyTo: ["in-1"] }));
    expect(r.ticket!.id).toBe(first.ticket!.id);
  });
});

describe("the email subject threading window (7 days, as @storedesk/email sets it)", () => {
  const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
  const DAY_MS = 24 * 60 * 60 * 1000;
  // What the email adapter sends for a mail without reply ids: the normalized subject as the key.
  const mail = (externalId: string, at: Date): InboundEventInput => ({
    type: "message",
    channel: "email",
    externalId,
    occurredAt: at,
    text: "배송 언제 와요?",
    subject: "Re: 배송 문의",
    conversationKey: "배송 문의",
    threadWindowMs: WEEK_MS,
    from: { identities: [{ kind: "email", value: "minji@example.com" }] },
  });

  function setupWithClock() {
    const clock = manualClock(AT);
    const desk = createDesk({
      store: memoryStore(),
      channels: [memoryChannel({ id: "email" })],
      clock,
      autoAcknowledge: false,
    });
    return { desk, clock };
  }

  it("threads a mail with the same subject inside 7 days onto the open ticket", async () => {
    const { desk, clock } = setupWithClock();
    const first = await desk.ingest(mail("m-1", clock.now()));
    clock.advance(WEEK_MS - DAY_MS);
    const second = await desk.ingest(mail("m-2", clock.now()));
    expect(second.ticket!.id).toBe(first.ticket!.id);
    expect(await desk.listMessages(first.ticket!.id)).toHaveLength(2);
  });

  it("opens a new ticket for the same subject once 7 days have passed since the ticket last changed; the old one gives up the key", async () => {
    const { desk, clock } = setupWithClock();
    const first = await desk.ingest(mail("m-1", clock.now()));
    clock.advance(WEEK_MS + DAY_MS);
    const second = await desk.ingest(mail("m-2", clock.now()));
    expect(second.ticket!.id).not.toBe(first.ticket!.id);
    expect((await desk.listTickets({ customerId: first.ticket!.customerId })).map((t) => t.id).sort()).toEqual(
      [first.ticket!.id, second.ticket!.id].sort(),
    );
    expect(await desk.getTicket(first.ticket!.id)).toMatchObject({
      conversationKey: null,
      meta: { staleConversationKey: "배송 문의" },
    });
    expect((await desk.listEvents(first.ticket!.id)).at(-1)?.type).toBe("conversation.released");
    // The next mail of the conversation, inside the window again, threads onto the new ticket.
    clock.advance(DAY_MS);
    expect((await desk.ingest(mail("m-3", clock.now()))).ticket!.id).toBe(second.ticket!.id);
  });
});
