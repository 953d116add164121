import { describe, expect, it } from "vitest";
import { memoryStore } from "../store-memory/memory-store.js";
import { sampleCustomer } from "./fixtures.js";
import { hostileBodies, watchStoreWrites, wrongTypeVariants } from "./hostile-input.js";

describe("hostile-input kit", () => {
  it("counts a committed write, and none of a transaction that rolled back", async () => {
    const watched = watchStoreWrites(memoryStore());
    await watched.store
      .transaction(async (tx) => {
        await tx.insertCustomer(sampleCustomer({ id: "c1" }));
        throw new Error("roll back");
      })
      .catch(() => undefined);
    expect(watched.writes()).toEqual([]);
    expect(await watched.store.getCustomer("c1")).toBeNull();
    await watched.store.transaction((tx) => tx.insertCustomer(sampleCustomer({ id: "c2" })));
    await watched.store.putIdempotency({ scope: "s", key: "k", result: {}, createdAt: new Date() });
    expect(watched.writes()).toEqual(["insertCustomer", "putIdempotency"]);
    watched.reset();
    expect(watched.writes()).toEqual([]);
  });

  it("swaps every field of a body for wrong types, and builds deep bodies without recursion", () => {
    const variants = wrongTypeVariants({ a: { b: 1 }, c: [1] });
    expect(new Set(variants.map((v) => v.path))).toEqual(
      new Set([
        "(an array of the body)",
        "a",
        "a (removed)",
        "a.b",
        "a.b (removed)",
        "c",
        "c (removed)",
        "c.0",
        "c.0 (removed)",
      ]),
    );
    expect(variants).toContainEqual({ path: "a.b", body: '{"a":{"b":"12345"},"c":[1]}' });
    expect(variants).toContainEqual({ path: "c.0 (removed)", body: '{"a":{"b":1},"c":[]}' });
    const deep = hostileBodies().find((b) => b.name.startsWith("objects nested"))!;
    expect(() => JSON.parse(deep.body as string)).not.toThrow();
  });
});
