/**
 * Keyed records on an injected clock (`postgresStore(connection, { clock })`), on PGlite and the
 * server when DATABASE_URL is set: as on the memory store, a record written without `updatedAt`
 * is stamped with the store's clock, and reads that pass no `now` judge expiry by it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "@storedesk/core";
import { backends } from "./helpers.js";

// Far from the wall clock, so a stamp taken from it could not pass for the store's clock.
const T = new Date("2031-05-05T05:05:05.000Z");

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`keyed records on an injected clock, ${backend.name}`, () => {
    beforeAll(() => backend.start(), 30_000);
    afterAll(() => backend.stop());

    it("stamps a record written without updatedAt with the store's clock; a caller's stamp still wins", async () => {
      const clock = manualClock(T);
      const opened = await backend.open({ clock });
      const { store } = opened;
      try {
        expect((await store.putRecord({ namespace: "notes", key: "a", value: 1 })).updatedAt).toEqual(T);
        clock.advance(60_000);
        await store.transaction((tx) => tx.putRecord({ namespace: "notes", key: "a", value: 2 }));
        expect((await store.getRecord("notes", "a"))?.updatedAt).toEqual(new Date(T.getTime() + 60_000));
        const at = new Date("2030-01-01T00:00:00.000Z");
        const own = await store.putRecord({ namespace: "notes", key: "b", value: 1, updatedAt: at });
        expect(own.updatedAt).toEqual(at);
      } finally {
        await opened.cleanup();
      }
    });

    it("reads expiry on the store's clock when a read passes no now", async () => {
      const clock = manualClock(T);
      const opened = await backend.open({ clock });
      const { store } = opened;
      try {
        const expiresAt = new Date(T.getTime() + 1000);
        await store.putRecord({ namespace: "leases", key: "k", value: "v", expiresAt });
        expect(await store.getRecord("leases", "k")).not.toBeNull();
        expect((await store.listRecords("leases")).map((r) => r.key)).toEqual(["k"]);
        clock.set(expiresAt);
        expect(await store.getRecord("leases", "k")).toBeNull();
        expect(await store.listRecords("leases")).toEqual([]);
        expect((await store.putRecord({ namespace: "leases", key: "k", value: "w" }, null)).version).toBe(1);
      } finally {
        await opened.cleanup();
      }
    });
  });
}
