/**
 * The store conformance suite's keyed-records family (plugin storage): versions,
 * compare-and-set, expiry, listing and limits.
 */
import { describe, expect, it } from "vitest";
import { StoredeskError } from "../errors.js";
import { T0, expectCode, uid, type StoreSuite } from "./store-conformance-kit.js";

/** Registers the keyed-records family's tests (inside `runStoreConformance`'s block). */
export function keyedRecordConformance(suite: StoreSuite): void {
  describe("keyed records", () => {
    const ns = "plugin.test";
    it("writes, versions and reads a record; JSON and Korean text survive", async () => {
      const key = uid("faq");
      const first = await suite.store.putRecord({
        namespace: ns,
        key,
        value: { title: "배송 기간", tags: ["배송"], n: 1 },
        updatedAt: T0,
      });
      expect(first).toEqual({
        namespace: ns,
        key,
        value: { title: "배송 기간", tags: ["배송"], n: 1 },
        version: 1,
        updatedAt: T0,
        expiresAt: null,
      });
      const second = await suite.store.putRecord({ namespace: ns, key, value: { n: 2 }, updatedAt: T0 });
      expect(second.version).toBe(2);
      expect(await suite.store.getRecord(ns, key)).toEqual(second);
      expect(await suite.store.getRecord("plugin.other", key)).toBeNull();
    });

    it("compare-and-set: a stale version or an insert-only over a live record is CONFLICT and writes nothing", async () => {
      const key = uid("cursor");
      await expectCode(suite.store.putRecord({ namespace: ns, key, value: 1 }, 1), "CONFLICT");
      expect(await suite.store.getRecord(ns, key)).toBeNull();
      const created = await suite.store.putRecord({ namespace: ns, key, value: 1 }, null);
      expect(created.version).toBe(1);
      await expectCode(suite.store.putRecord({ namespace: ns, key, value: 2 }, null), "CONFLICT");
      await expectCode(suite.store.putRecord({ namespace: ns, key, value: 2 }, 7), "CONFLICT");
      expect((await suite.store.getRecord(ns, key))?.value).toBe(1);
      const next = await suite.store.putRecord({ namespace: ns, key, value: 2 }, 1);
      expect(next).toMatchObject({ value: 2, version: 2 });
    });

    it("lets exactly one of many racing compare-and-set writers win each version", async () => {
      const key = uid("counter");
      await suite.store.putRecord({ namespace: ns, key, value: 0 }, null);
      const bump = async (): Promise<void> => {
        for (;;) {
          const r = (await suite.store.getRecord(ns, key))!;
          try {
            await suite.store.putRecord({ namespace: ns, key, value: (r.value as number) + 1 }, r.version);
            return;
          } catch (err) {
            if (!StoredeskError.is(err, "CONFLICT")) throw err;
          }
        }
      };
      await Promise.all(Array.from({ length: 20 }, bump));
      expect(await suite.store.getRecord(ns, key)).toMatchObject({ value: 20, version: 21 });
    });

    it("treats an expired record as absent: not read, not listed, insertable again from version 1", async () => {
      const key = uid("parked");
      const soon = new Date(T0.getTime() + 60_000);
      await suite.store.putRecord({ namespace: ns, key, value: "x", expiresAt: soon, updatedAt: T0 });
      expect(await suite.store.getRecord(ns, key, T0)).not.toBeNull();
      const later = new Date(soon.getTime() + 1);
      expect(await suite.store.getRecord(ns, key, later)).toBeNull();
      expect(await suite.store.listRecords(ns, { prefix: key, now: later })).toEqual([]);
      const again = await suite.store.putRecord({ namespace: ns, key, value: "y", updatedAt: later }, null);
      expect(again.version).toBe(1);
    });

    it("lists a namespace by key with prefix, paging and limit; deletes", async () => {
      const space = `plugin.list-${uid("ns").toLowerCase()}`;
      for (const key of ["b/2", "a/1", "b/1", "c/1"])
        await suite.store.putRecord({ namespace: space, key, value: key });
      expect((await suite.store.listRecords(space)).map((r) => r.key)).toEqual(["a/1", "b/1", "b/2", "c/1"]);
      expect((await suite.store.listRecords(space, { prefix: "b/" })).map((r) => r.key)).toEqual(["b/1", "b/2"]);
      expect((await suite.store.listRecords(space, { afterKey: "b/1", limit: 2 })).map((r) => r.key)).toEqual([
        "b/2",
        "c/1",
      ]);
      expect(await suite.store.deleteRecord(space, "b/1")).toBe(true);
      expect(await suite.store.deleteRecord(space, "b/1")).toBe(false);
      expect((await suite.store.listRecords(space)).map((r) => r.key)).toEqual(["a/1", "b/2", "c/1"]);
      expect(await suite.store.listRecords(space, { limit: 0 })).toEqual([]);
    });

    it("orders keys by code point on every store (an emoji after U+FFFD, as UTF-8 bytes sort)", async () => {
      const space = `plugin.order-${uid("ns").toLowerCase()}`;
      for (const key of ["\u{1F600}", "\uFFFD", "z", "가"])
        await suite.store.putRecord({ namespace: space, key, value: 1 });
      expect((await suite.store.listRecords(space)).map((r) => r.key)).toEqual(["z", "가", "\uFFFD", "\u{1F600}"]);
      expect((await suite.store.listRecords(space, { afterKey: "\uFFFD" })).map((r) => r.key)).toEqual(["\u{1F600}"]);
    });

    it("purges expired records of a namespace, leaving live ones and other namespaces", async () => {
      const space = `plugin.purge-${uid("ns").toLowerCase()}`;
      const soon = new Date(T0.getTime() + 60_000);
      for (const key of ["x1", "x2", "x3"])
        await suite.store.putRecord({ namespace: space, key, value: 1, expiresAt: soon, updatedAt: T0 });
      await suite.store.putRecord({ namespace: space, key: "keep", value: 1, updatedAt: T0 });
      await suite.store.putRecord({ namespace: ns, key: uid("other"), value: 1, expiresAt: soon, updatedAt: T0 });
      expect(await suite.store.purgeExpiredRecords(space, T0)).toBe(0);
      expect(await suite.store.purgeExpiredRecords(space, soon, 2)).toBe(2);
      expect(await suite.store.purgeExpiredRecords(space, soon)).toBe(1);
      expect((await suite.store.listRecords(space, { now: T0 })).map((r) => r.key)).toEqual(["keep"]);
      expect(await suite.store.listRecords(ns, { now: T0 })).not.toEqual([]);
    });

    it("refuses a bad namespace, an empty or over-long key and non-JSON values with INVALID_INPUT", async () => {
      await expectCode(suite.store.putRecord({ namespace: "Bad Space", key: "k", value: 1 }), "INVALID_INPUT");
      await expectCode(suite.store.putRecord({ namespace: ns, key: "", value: 1 }), "INVALID_INPUT");
      await expectCode(suite.store.putRecord({ namespace: ns, key: "가".repeat(200), value: 1 }), "INVALID_INPUT");
      await expectCode(
        suite.store.putRecord({ namespace: ns, key: "k", value: "x".repeat(1_100_000) }),
        "INVALID_INPUT",
      );
    });

    it("rolls record writes back with the transaction", async () => {
      const key = uid("tx");
      await expect(
        suite.store.transaction(async (tx) => {
          await tx.putRecord({ namespace: ns, key, value: 1 });
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await suite.store.getRecord(ns, key)).toBeNull();
    });
  });
}
