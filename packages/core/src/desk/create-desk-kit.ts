/** What the createDesk tests share: a start instant, a webchat message and a desk on a memory store and a manual clock. */
import { createDesk } from "./create-desk.js";
import { memoryStore } from "../store-memory/memory-store.js";
import { memoryChannel } from "../testing/memory-channel.js";
import { manualClock } from "../ports/clock.js";
import type { InboundEventInput } from "../domain/inbound.js";
import type { Store } from "../ports/store.js";

/** Where the tests' clocks start: Monday 10:00 in Seoul. */
export const T0 = new Date("2026-03-02T01:00:00.000Z");
let n = 0;

/** A webchat message from visitor-1 on conversation chat-1 at T0, with a fresh external id. */
export function msg(
  text: string,
  overrides: Partial<Extract<InboundEventInput, { type: "message" }>> = {},
): InboundEventInput {
  return {
    type: "message",
    channel: "webchat",
    externalId: `ext-${++n}`,
    occurredAt: T0,
    from: { identities: [{ kind: "webchat", value: "visitor-1" }], name: "김민수" },
    text,
    conversationKey: "chat-1",
    ...overrides,
  };
}

/** A desk on a webchat channel and a manual clock at T0 (a memory store unless `opts.store`). */
export function setup(opts: Partial<Parameters<typeof createDesk>[0]> = {}) {
  const store = opts.store ?? memoryStore();
  const clock = manualClock(T0);
  const chat = memoryChannel({ id: "webchat" });
  const desk = createDesk({ store, clock, channels: [chat], ...opts });
  return { store, clock, chat, desk };
}

/** Everything the store holds, to show a refused call wrote nothing. */
export async function snapshot(store: Store) {
  const tickets = await store.listTickets({});
  const messages = (await Promise.all(tickets.map((t) => store.listMessages(t.id)))).flat();
  const events = (await Promise.all(tickets.map((t) => store.listEvents(t.id)))).flat();
  return { tickets, messages, events, jobs: await store.listJobs() };
}
