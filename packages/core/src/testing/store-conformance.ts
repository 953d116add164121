/**
 * The store conformance suite: the one definition of a correct Store. Every
 * store implementation calls `runStoreConformance` from its own tests.
 */
import { afterEach, beforeEach, describe } from "vitest";
import type { Store } from "../ports/store.js";
import { runOutboxConformance } from "./outbox-conformance.js";
import { sampleCustomer, sampleTicket, type StoreSuite } from "./store-conformance-kit.js";
import { recordConformance } from "./store-conformance-records.js";
import { keyedRecordConformance } from "./store-conformance-keyed.js";
import { schedulerConformance } from "./store-conformance-scheduler.js";
import { transactionConformance } from "./store-conformance-transactions.js";
import { conflictConformance } from "./store-conformance-conflicts.js";

export { sampleCustomer, sampleMessage, sampleTicket } from "./store-conformance-kit.js";

/** Options of {@link runStoreConformance}. */
export interface StoreConformanceOptions {
  /** Shown in the test names. */
  name: string;
  /** A fresh, empty store for each test. */
  makeStore: () => Promise<Store> | Store;
  /** Called after each test with the store it made (drop schemas, close pools). */
  cleanup?: (store: Store) => Promise<void> | void;
  /** Concurrent deliveries in the idempotency test (default 100). */
  concurrency?: number;
}

/**
 * Registers the conformance tests for a store with vitest.
 *
 * @example
 * runStoreConformance({ name: "memory", makeStore: () => memoryStore() });
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
  });
}
