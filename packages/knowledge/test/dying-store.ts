/** A store (and channels) as a dying process sees them, for the crash tests of the bot's turns. */
import type { ChannelAdapter, Store } from "@storedesk/core";

/**
 * A store as a process sees it that dies once `arm()`ed: right after the next transaction that
 * wrote an inbound message commits, every call (store and channel) hangs for good, as if the
 * process had been killed between the ingest's commit and whatever comes after it.
 */
export function dyingStore(store: Store) {
  let armed = false;
  let dead = false;
  const hang = () => new Promise<never>(() => undefined);
  const watched = <T extends object>(target: T, onCall?: (name: PropertyKey, args: unknown[]) => void): T =>
    new Proxy(target, {
      get(t, name) {
        const value = Reflect.get(t, name, t) as unknown;
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (dead) return hang();
          onCall?.(name, args);
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    });
  const proxy = watched(store, (name, args) => {
    if (name !== "transaction") return;
    const fn = args[0] as (tx: unknown) => Promise<unknown>;
    let inbound = false;
    args[0] = async (tx: object) =>
      fn(
        watched(tx, (op, a) => {
          if (op === "insertMessage" && (a[0] as { direction?: string }).direction === "inbound") inbound = true;
        }),
      ).then((result) => {
        // Committed once the store's transaction resolves; the process dies on the next tick.
        if (armed && inbound) queueMicrotask(() => (dead = true));
        return result;
      });
  });
  const channel = (inner: ChannelAdapter): ChannelAdapter => ({
    ...inner,
    send: (message) => (dead ? hang() : inner.send(message)),
  });
  return {
    store: proxy,
    channel,
    arm: () => (armed = true),
    get dead() {
      return dead;
    },
  };
}
