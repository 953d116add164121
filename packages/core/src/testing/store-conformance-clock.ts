/**
 * The store conformance suite's clock family: a store given a clock by `makeStore({ clock })`
 * takes "now" from it wherever the caller passes none (keyed records' stamps and expiry).
 * Registered only for a store that declares `honoursClock`; each test makes its own store on a
 * manual clock, since the suite's shared store runs on the store's default clock.
 */
import { describe, expect, it } from "vitest";
import { manualClock } from "../ports/clock.js";
import type { Store } from "../ports/store.js";
import { uid, type StoreSuite } from "./store-conformance-kit.js";

// Far from the wall clock, so a stamp taken from it could not pass for the store's clock.
const T = new Date("2031-05-05T05:05:05.000Z");

/** Registers the clock family's tests (inside `runStoreConformance`'s block). */
export function clockConformance(suite: StoreSuite): void {
  const { options } = suite;
  // A store that does not declare it takes a clock is skipped, with the reason in the title.
  const title = options.honoursClock
    ? "on the store's clock"
    : "on the store's clock (skipped: the store does not declare honoursClock)";

  /** Runs `body` on a fresh store whose clock is `clock`, cleaning it up afterwards. */
  async function onClock(clock: ReturnType<typeof manualClock>, body: (store: Store) => Promise<void>): Promise<void> {
    const store = await options.makeStore({ clock });
    try {
      await body(store);
    } finally {
      await options.cleanup?.(store);
    }
  }

  describe.skipIf(!options.honoursClock)(title, () => {
    it("stamps a record written without updatedAt with the store's clock; a caller's stamp still wins", async () => {
      const clock = manualClock(T);
      const notes = `clock.notes-${uid("ns").toLowerCase()}`;
      await onClock(clock, async (store) => {
        expect((await store.putRecord({ namespace: notes, key: "a", value: 1 })).updatedAt).toEqual(T);
        clock.advance(60_000);
        await store.transaction((tx) => tx.putRecord({ namespace: notes, key: "a", value: 2 }));
        expect((await store.getRecord(notes, "a"))?.updatedAt).toEqual(new Date(T.getTime() + 60_000));
        // A caller's own stamp (the desk passes its clock's) still wins.
        const at = new Date("2030-01-01T00:00:00.000Z");
        const own = await store.putRecord({ namespace: notes, key: "b", value: 1, updatedAt: at });
        expect(own.updatedAt).toEqual(at);
      });
    });

    it("reads expiry on the store's clock when a read passes no now", async () => {
      const clock = manualClock(T);
      // A namespace of its own, so the list below sees only this test's records in a shared store.
      const leases = `clock.leases-${uid("ns").toLowerCase()}`;
      await onClock(clock, async (store) => {
        const expiresAt = new Date(T.getTime() + 1000);
        await store.putRecord({ namespace: leases, key: "k", value: "v", expiresAt });
        expect(await store.getRecord(leases, "k")).not.toBeNull();
        expect((await store.listRecords(leases)).map((r) => r.key)).toEqual(["k"]);
        clock.set(expiresAt);
        expect(await store.getRecord(leases, "k")).toBeNull();
        expect(await store.listRecords(leases)).toEqual([]);
        // Expired on the store's clock: an insert-only write finds the key free, its version restarting at 1.
        expect((await store.putRecord({ namespace: leases, key: "k", value: "w" }, null)).version).toBe(1);
      });
    });
  });
}
