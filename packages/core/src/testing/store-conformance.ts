/**
 * The store conformance suite: the one definition of a correct Store. Every
 * store implementation calls `runStoreConformance` from its own tests.
 */
import { afterEach, beforeEach, describe } from "vitest";
import type { Clock } from "../ports/clock.js";
import type { Store } from "../ports/store.js";
import { runOutboxConformance } from "./outbox-conformance.js";
import { sampleCustomer, sampleTicket, type StoreSuite } from "./store-conformance-kit.js";
import { recordConformance } from "./store-conformance-records.js";
import { keyedRecordConformance } from "./store-conformance-keyed.js";
import { schedulerConformance } from "./store-conformance-scheduler.js";
import { transactionConformance } from "./store-conformance-transactions.js";
import { conflictConformance } from "./store-conformance-conflicts.js";
import { clockConformance } from "./store-conformance-clock.js";

export { sampleCustomer, sampleMessage, sampleTicket } from "./store-conformance-kit.js";

/** What the suite asks of {@link StoreConformanceOptions.makeStore}'s store. */
export interface MakeStoreOptions {
  /**
   * The clock the store takes "now" from where a caller passes none (a keyed record written
   * without `updatedAt`, a record read without `now`). Given only to a store that declares
   * {@link StoreConformanceOptions.honoursClock}; absent, the store uses its default clock.
   */
  clock?: Clock;
}

/** Options of {@link runStoreConformance}. */
export interface StoreConformanceOptions {
  /** Shown in the test names. */
  name: string;
  /**
   * A fresh, empty store for each test. A store that takes a clock passes `options.clock` on
   * (`memoryStore({ clock })`); a `makeStore` without the parameter stays valid.
   */
  makeStore: (options?: MakeStoreOptions) => Promise<Store> | Store;
  /**
   * The store takes "now" from the clock `makeStore` passes it: runs the clock tests, which
   * are skipped (with the reason in their titles) otherwise. Default false.
   */
  honoursClock?: boolean;
  /** Called after each test with the store it made (drop schemas, close pools). */
  cleanup?: (store: Store) => Promise<void> | void;
  /** Concurrent deliveries in the idempotency test (default 100). */
  concurrency?: number;
}

/**
 * Registers the conformance tests for a store with vitest.
 *
 * @example
 * runStoreConformance({ name: "memory", makeStore: ({ clock } = {}) => memoryStore({ clock }), honoursClock: true });
 */
export function runStoreConformance(options: StoreConformanceOptions): void {
  runOutboxConformance(options);
  describe(`store conformance: ${options.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await options.makeStore();
    });
    /** A stored customer with one stored ticket: the starting point of most tests below. */
    const suite: StoreSuite = {
      options,
      get store() {
        return store;
      },
      async seedTicket() {
        const c = sampleCustomer();
        await store.insertCustomer(c);
        const t = sampleTicket(c.id, await store.nextTicketNumber());
        await store.insertTicket(t);
        return { c, t };
      },
    };
    afterEach(async () => {
      await options.cleanup?.(store);
    });

    recordConformance(suite);
    keyedRecordConformance(suite);
    schedulerConformance(suite);
    transactionConformance(suite);
    conflictConformance(suite);
    clockConformance(suite);
  });
}
