/**
 * The plugin test kit: a desk on a fresh store with one in-process chat channel and a manual
 * clock, so a plugin's hooks, jobs, methods and records can be exercised without a server.
 * `runPluginTest` runs the same test on the memory store and on any other store you pass
 * (`makeStore`: PGlite in `@storedesk/store-postgres`'s own tests).
 */
import { describe, it } from "vitest";
import type { InboundEventInput } from "../domain/inbound.js";
import type { AnyDeskPlugin, PluginNamespaces } from "../ports/desk-plugin.js";
import { manualClock, type Clock } from "../ports/clock.js";

/** The kit's clock: set or advance it to reach due jobs. */
export type ManualClock = Clock & { set(at: Date): void; advance(ms: number): void };
import type { Store } from "../ports/store.js";
import { memoryStore } from "../store-memory/index.js";
import { createDesk } from "../desk/create-desk.js";
import type { Desk, DeskOptions, IngestResult } from "../desk/types.js";
import { memoryChannel, type MemoryChannel } from "./memory-channel.js";

/** What {@link pluginTestDesk} hands a test. */
export interface PluginTestKit<P extends readonly AnyDeskPlugin[]> {
  desk: Desk & PluginNamespaces<P>;
  store: Store;
  clock: ManualClock;
  /** The chat channel (`webchat`): `chat.sent` is everything the desk sent. */
  chat: MemoryChannel;
  /** Ingests a chat message from `visitor` (default `visitor-1`) in conversation `conversation` (default `chat-1`). */
  message(text: string, opts?: { visitor?: string; conversation?: string; name?: string }): Promise<IngestResult>;
  /** Closes the desk (and the store it made). */
  close(): Promise<void>;
}

/** Options of {@link pluginTestDesk}. */
export interface PluginTestOptions<P extends readonly AnyDeskPlugin[]> {
  plugins: P;
  /** The store to run on (default: a new memory store). */
  makeStore?: () => Store | Promise<Store>;
  /** More desk options (`autoAcknowledge`, `sla`, …). */
  options?: Partial<Omit<DeskOptions, "store" | "plugins">>;
  /** The clock's start (default 2026-03-02T01:00Z, a Monday 10:00 in Seoul). */
  now?: Date;
}

/**
 * A desk running `plugins` on a fresh store, ready for a test.
 *
 * @example
 * const kit = await pluginTestDesk({ plugins: [vipTagger({ tag: "vip" })] });
 * const { ticket } = await kit.message("배송 언제 와요?");
 */
export async function pluginTestDesk<const P extends readonly AnyDeskPlugin[]>(
  opts: PluginTestOptions<P>,
): Promise<PluginTestKit<P>> {
  const clock = manualClock(opts.now ?? new Date("2026-03-02T01:00:00.000Z"));
  // The memory store on the kit's clock too, so records read or written outside the desk follow it.
  const store = opts.makeStore ? await opts.makeStore() : memoryStore({ clock });
  const chat = memoryChannel({ id: "webchat" });
  // A store the caller made may be shared (one PGlite for many tests): the caller closes it.
  const desk = createDesk({
    store,
    clock,
    channels: [chat],
    ...opts.options,
    ownsStore: !opts.makeStore,
    plugins: opts.plugins,
  });
  let n = 0;
  return {
    desk,
    store,
    clock,
    chat,
    message(text, m = {}) {
      const event: InboundEventInput = {
        type: "message",
        channel: "webchat",
        externalId: `kit-${++n}`,
        occurredAt: clock.now(),
        text,
        from: { identities: [{ kind: "webchat", value: m.visitor ?? "visitor-1" }], name: m.name ?? null },
        conversationKey: m.conversation ?? "chat-1",
      };
      return desk.ingest(event);
    },
    close: () => desk.close(),
  };
}

/**
 * Registers one vitest test per store (memory always, plus `stores`) running `fn` on a fresh
 * plugin test desk.
 *
 * @example
 * runPluginTest("tags VIP customers", { plugins: [vipTagger()] }, async ({ message }) => {
 *   expect((await message("hi")).ticket?.tags).toContain("vip");
 * });
 */
export function runPluginTest<const P extends readonly AnyDeskPlugin[]>(
  name: string,
  opts: Omit<PluginTestOptions<P>, "makeStore"> & { stores?: Record<string, () => Store | Promise<Store>> },
  fn: (kit: PluginTestKit<P>) => Promise<void>,
): void {
  const stores: Record<string, (() => Store | Promise<Store>) | undefined> = { memory: undefined, ...opts.stores };
  describe(name, () => {
    for (const [storeName, makeStore] of Object.entries(stores)) {
      it(`on the ${storeName} store`, async () => {
        const kit = await pluginTestDesk({ ...opts, ...(makeStore ? { makeStore } : {}) });
        try {
          await fn(kit);
        } finally {
          await kit.close();
        }
      });
    }
  });
}
