/**
 * The desk a channel package's own tests post through: its adapters on a fresh memory store and a
 * manual clock, with no acknowledgements, so what a test posts is all the store holds.
 */
import type { ChannelAdapter } from "../ports/channel.js";
import type { Store } from "../ports/store.js";
import { memoryStore } from "../store-memory/index.js";
import { createDesk } from "../desk/create-desk.js";
import type { Desk, DeskOptions } from "../desk/types.js";
import type { ManualClock } from "./plugin-kit.js";

/** Options of {@link channelTestDesk}. */
export interface ChannelTestDeskOptions {
  /** The adapters' clock, shared by the desk (the same one the adapters were made with). */
  clock: ManualClock;
  /** The store (default: a new memory store on `clock`); wrap it, e.g. with `watchStoreWrites`, to watch it. */
  store?: Store;
  /** More desk options (`outbox: { wait: "sent" }`, `sla`, …); `autoAcknowledge` defaults to false. */
  options?: Partial<Omit<DeskOptions, "store" | "channels" | "clock">>;
}

/**
 * A desk for a channel adapter's tests: `channels` on a fresh store, sharing their manual clock,
 * with auto-acknowledgement off.
 *
 * @example
 * const clock = manualClock(new Date("2026-03-02T09:00:00+09:00"));
 * const whatsapp = whatsappChannel({ accessToken, appSecret, verifyToken, phoneNumberId, clock });
 * const desk = channelTestDesk([whatsapp], { clock, options: { outbox: { wait: "sent" } } });
 * await desk.webhook("whatsapp")(signedRequest(body));
 */
export function channelTestDesk(channels: readonly ChannelAdapter[], opts: ChannelTestDeskOptions): Desk {
  return createDesk({
    autoAcknowledge: false,
    ...opts.options,
    store: opts.store ?? memoryStore({ clock: opts.clock }),
    channels: [...channels],
    clock: opts.clock,
  });
}
