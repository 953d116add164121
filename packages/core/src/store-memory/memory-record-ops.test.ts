import { describe, expect, it } from "vitest";
import { manualClock } from "../ports/clock.js";
import { memoryStore } from "./memory-store.js";

// Far from the wall clock, so a stamp taken from it could not pass for the store's clock.
const T = new Date("2031-05-05T05:05:05.000Z");

describe("memory store keyed records on an injected clock", () => {
  it("stamps a record written without updatedAt with the store's clock", async () => {
    const clock = manualClock(T);
    const store = memoryStore({ clock });
    expect((await store.putRecord({ namespace: "notes", key: "a", value: 1 })).updatedAt).toEqual(T);
    clock.advance(60_000);
    await store.transaction((tx) => tx.putRecord({ namespace: "notes", key: "a", value: 2 }));
    expect((await store.getRecord("notes", "a"))?.updatedAt).toEqual(new Date(T.getTime() + 60_000));
    // A caller's own stamp (the desk passes its clock's) still wins.
    const at = new Date("2030-01-01T00:00:00.000Z");
    expect((await store.putRecord({ namespace: "notes", key: "b", value: 1, updatedAt: at })).updatedAt).toEqual(at);
  });

  it("reads expiry on the store's clock when a read passes no now", async () => {
    const clock = manualClock(T);
    const store = memoryStore({ clock });
    const expiresAt = new Date(T.getTime() + 1000);
    await store.putRecord({ namespace: "leases", key: "k", value: "v", expiresAt });
    expect(await store.getRecord("leases", "k")).not.toBeNull();
    expect((await store.listRecords("leases")).map((r) => r.key)).toEqual(["k"]);
    clock.set(expiresAt);
    expect(await store.getRecord("leases", "k")).toBeNull();
    expect(await store.listRecords("leases")).toEqual([]);
    // Expired on the store's clock: an insert-only write finds the key free, its version restarting at 1.
    expect((await store.putRecord({ namespace: "leases", key: "k", value: "w" }, null)).version).toBe(1);
  });
});
