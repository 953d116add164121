// The memory store's transaction context is switched on only while a transaction is open (its
// promise hooks cost every promise of the process): these pin what must hold across that switch.
import { describe, expect, it } from "vitest";
import { memoryStore } from "./memory-store.js";
import { sampleCustomer } from "../testing/store-conformance.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("memoryStore transaction context", () => {
  it("joins store calls and nested transactions in every transaction, not only the first", async () => {
    const store = memoryStore();
    for (let round = 0; round < 3; round++) {
      const a = sampleCustomer();
      const b = sampleCustomer();
      const seen = await store.transaction(async (tx) => {
        await tx.insertCustomer(a);
        await tick(); // across a macrotask too
        await store.transaction(async () => store.insertCustomer(b));
        return store.getCustomer(a.id);
      });
      expect(seen?.id).toBe(a.id);
      expect(await store.getCustomer(b.id)).not.toBeNull();
    }
  });

  it("lets work a finished transaction left running take the lock, not join a later transaction", async () => {
    const store = memoryStore();
    const leaked = sampleCustomer();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let late: Promise<void> | undefined;
    await store.transaction(async () => {
      late = gate.then(() => store.insertCustomer(leaked));
    });
    const boom = new Error("boom");
    await expect(
      store.transaction(async (tx) => {
        await tx.insertCustomer(sampleCustomer());
        release(); // the leaked write now runs, while this transaction is open
        await tick();
        throw boom;
      }),
    ).rejects.toBe(boom);
    await late;
    // It waited for the lock and landed after the rollback instead of being undone by it.
    expect(await store.getCustomer(leaked.id)).not.toBeNull();
  });

  it("keeps calls made outside any transaction out of one that opens later", async () => {
    const store = memoryStore();
    const outside = sampleCustomer();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const late = gate.then(() => store.insertCustomer(outside));
    await expect(
      store.transaction(async () => {
        release();
        await tick();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await late;
    expect(await store.getCustomer(outside.id)).not.toBeNull();
  });
});
