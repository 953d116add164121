/**
 * `desk.webhook` under hostile bodies: whatever an adapter hands over, a bad event is refused
 * and skipped (never a 5xx that makes the provider redeliver poison forever), nothing of it is
 * written, and a redelivered body is a no-op.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { manualClock } from "../ports/clock.js";
import { memoryStore } from "../store-memory/index.js";
import { memoryChannel } from "../testing/memory-channel.js";
import { hostileBodies, watchStoreWrites, wrongTypeVariants } from "../testing/hostile-input.js";
import { createDesk } from "./create-desk.js";

function setup() {
  const watched = watchStoreWrites(memoryStore());
  const clock = manualClock(new Date("2026-03-02T09:00:00+09:00"));
  const desk = createDesk({
    store: watched.store,
    channels: [memoryChannel({ id: "chat" })],
    clock,
    autoAcknowledge: false,
  });
  const hook = desk.webhook("chat");
  const post = (body: string | Uint8Array) =>
    hook(new Request("https://shop.example/webhooks/chat", { method: "POST", body: body as BodyInit }));
  return { desk, watched, post };
}

const VALID = {
  type: "message",
  channel: "chat",
  externalId: "m-1",
  occurredAt: "2026-03-02T08:59:00+09:00",
  from: { identities: [{ kind: "email", value: "kim@example.com" }], name: "김민지", locale: "ko" },
  text: "배송 언제 와요?",
  attachments: [{ contentType: "image/png", url: "https://cdn.example/a.png", filename: "a.png", size: 10 }],
  conversationKey: "conv-1",
  meta: { page: "/orders" },
};

describe("desk.webhook: bad input is a 4xx or a skipped event, never a 5xx, and writes nothing", () => {
  it.each(hostileBodies().map((b) => [b.name, b.body] as const))("%s", async (_name, body) => {
    const { watched, post } = setup();
    const res = await post(body);
    expect(res.status).toBeLessThan(500);
    if (res.status >= 400) expect(await res.json()).toMatchObject({ error: { code: "INVALID_INPUT" } });
    expect(watched.writes()).toEqual([]);
  });

  it("for any JSON value as the event (or the batch), the answer is below 500 and nothing is written", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        const { watched, post } = setup();
        const res = await post(JSON.stringify(value));
        expect(res.status).toBeLessThan(500);
        expect(watched.writes()).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("an event with any one field of the wrong type is refused or stored, never a 5xx; its redelivery writes nothing", async () => {
    for (const { path, body } of wrongTypeVariants(VALID)) {
      const { watched, post } = setup();
      const first = await post(body);
      expect(first.status, path).toBeLessThan(500);
      watched.reset();
      const again = await post(body);
      expect(again.status, path).toBeLessThan(500);
      expect(watched.writes(), `redelivery of ${path}`).toEqual([]);
    }
  });

  it("a valid event next to hostile ones in one batch is stored once; the others are skipped", async () => {
    const { desk, post } = setup();
    const batch = JSON.stringify([
      { ...VALID, from: { identities: [{ kind: "__proto__", value: "x" }] } },
      { ...VALID, externalId: "m-2", occurredAt: "99999999999999999999" },
      { ...VALID, externalId: "m-3", text: "\ud800\u0000" },
      VALID,
      { __proto__: { type: "message" }, constructor: { prototype: { polluted: true } } },
    ]);
    expect((await post(batch)).status).toBe(200);
    expect((await post(batch)).status).toBe(200);
    const tickets = await desk.listTickets({});
    const messages = (await Promise.all(tickets.map((t) => desk.listMessages(t.id)))).flat();
    expect(messages.map((m) => m.externalId).sort()).toEqual(["m-1", "m-3"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
