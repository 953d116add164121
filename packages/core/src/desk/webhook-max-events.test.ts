import { describe, expect, it } from "vitest";
import type { InboundEventInput } from "../domain/inbound.js";
import { StoredeskError } from "../errors.js";
import { manualClock } from "../ports/clock.js";
import { memoryStore } from "../store-memory/index.js";
import { memoryChannel } from "../testing/memory-channel.js";
import { watchStoreWrites } from "../testing/hostile-input.js";
import { createDesk } from "./create-desk.js";
import type { WebhookOptions } from "./types.js";
import { DEFAULT_WEBHOOK_MAX_EVENTS } from "./webhook-max-events.js";

function setup(webhook?: WebhookOptions) {
  const watched = watchStoreWrites(memoryStore());
  const desk = createDesk({
    store: watched.store,
    channels: [memoryChannel({ id: "chat" })],
    clock: manualClock(new Date("2026-03-02T09:00:00+09:00")),
    autoAcknowledge: false,
    ...(webhook ? { webhook } : {}),
  });
  const errors: unknown[] = [];
  desk.on("error", ({ error }) => errors.push(error));
  return { desk, watched, errors };
}

/** `n` distinct chat messages from one visitor. */
function messages(n: number): InboundEventInput[] {
  return Array.from({ length: n }, (_, i) => ({
    type: "message",
    channel: "chat",
    externalId: `m-${i}`,
    occurredAt: "2026-03-02T08:59:00+09:00",
    from: { identities: [{ kind: "webchat", value: "visitor-1" }] },
    text: `message ${i}`,
    conversationKey: "conv-1",
  }));
}

const post = (handler: (request: Request) => Promise<Response>, events: InboundEventInput[]) =>
  handler(new Request("https://shop.example/webhooks/chat", { method: "POST", body: JSON.stringify(events) }));

async function storedMessages(desk: ReturnType<typeof setup>["desk"]): Promise<number> {
  const tickets = await desk.listTickets({});
  return (await Promise.all(tickets.map((t) => desk.listMessages(t.id)))).flat().length;
}

describe("desk.webhook: the cap on the events of one body", () => {
  it("refuses a body with more than 1,000 events whole with a typed 413, writes nothing and reports it", async () => {
    const { desk, watched, errors } = setup();
    const res = await post(desk.webhook("chat"), messages(DEFAULT_WEBHOOK_MAX_EVENTS + 1));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: expect.objectContaining({
        code: "INVALID_INPUT",
        details: { tooLarge: true, maxEvents: 1000, events: 1001 },
      }),
    });
    expect(watched.writes()).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(StoredeskError.is(errors[0], "INVALID_INPUT")).toBe(true);
  });

  it("takes a body of exactly maxEvents events, and refuses one more (the desk's webhook option)", async () => {
    const { desk, watched } = setup({ maxEvents: 3 });
    const handler = desk.webhook("chat");
    expect((await post(handler, messages(4))).status).toBe(413);
    expect(watched.writes()).toEqual([]);
    expect((await post(handler, messages(3))).status).toBe(200);
    expect(await storedMessages(desk)).toBe(3);
  });

  it("lets one handler take more than the desk's default", async () => {
    const { desk } = setup({ maxEvents: 2 });
    expect((await post(desk.webhook("chat"), messages(4))).status).toBe(413);
    expect((await post(desk.webhook("chat", { maxEvents: 5 }), messages(4))).status).toBe(200);
    expect(await storedMessages(desk)).toBe(4);
  });

  it("refuses a cap that is not a positive integer when the desk or the handler is made", () => {
    for (const maxEvents of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => setup({ maxEvents }), String(maxEvents)).toThrow(
        expect.objectContaining({ code: "INVALID_INPUT", path: ["webhook", "maxEvents"] }),
      );
      expect(() => setup().desk.webhook("chat", { maxEvents }), String(maxEvents)).toThrow(
        expect.objectContaining({ code: "INVALID_INPUT", path: ["maxEvents"] }),
      );
    }
  });
});
