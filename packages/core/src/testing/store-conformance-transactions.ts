/**
 * The store conformance suite's transactions family: rollback, joined calls, savepoints.
 */
import { expect, it } from "vitest";
import type { Customer } from "../domain/customer.js";
import {
  T0,
  expectCode,
  sampleCustomer,
  sampleMessage,
  sampleTicket,
  uid,
  type StoreSuite,
} from "./store-conformance-kit.js";

/** Registers the transactions family's tests (inside `runStoreConformance`'s block). */
export function transactionConformance(suite: StoreSuite): void {
  it("rolls a transaction back when it throws: nothing it wrote remains", async () => {
    const c = sampleCustomer();
    const boom = new Error("boom");
    await expect(
      suite.store.transaction(async (tx) => {
        await tx.insertCustomer(c);
        const t = sampleTicket(c.id, await tx.nextTicketNumber());
        await tx.insertTicket(t);
        await tx.insertMessage(sampleMessage(t.id));
        await tx.putIdempotency({ scope: "s", key: "k", result: null, createdAt: T0 });
        await tx.scheduleJob({
          id: uid("job"),
          key: "k1",
          type: "x",
          ticketId: t.id,
          runAt: T0,
          payload: {},
          attempts: 0,
          lockedBy: null,
          lockedUntil: null,
        });
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await suite.store.getCustomer(c.id)).toBeNull();
    expect(await suite.store.findCustomerByIdentity(c.identities[0]!)).toBeNull();
    expect(await suite.store.listTickets({ customerId: c.id })).toEqual([]);
    expect(await suite.store.getIdempotency("s", "k")).toBeNull();
    expect(await suite.store.listJobs()).toEqual([]);
  });

  it("rolls back the whole transaction when a store invariant fails inside it", async () => {
    const { t } = await suite.seedTicket();
    const m = sampleMessage(t.id);
    await suite.store.insertMessage(m);
    await expectCode(
      suite.store.transaction(async (tx) => {
        await tx.updateTicket({ ...t, version: 2, status: "solved" }, 1);
        await tx.insertMessage(sampleMessage(t.id, { externalId: m.externalId }));
      }),
      "CONFLICT",
    );
    expect((await suite.store.getTicket(t.id))?.status).toBe("open");
    expect((await suite.store.getTicket(t.id))?.version).toBe(1);
  });

  it("lets the store's own methods be called inside its transaction (they join it)", async () => {
    const c = sampleCustomer();
    const seen = await Promise.race([
      suite.store.transaction(async (tx) => {
        await tx.insertCustomer(c);
        return suite.store.getCustomer(c.id);
      }),
      new Promise<"deadlock">((resolve) => setTimeout(() => resolve("deadlock"), 5000)),
    ]);
    expect(seen).not.toBe("deadlock");
    expect((seen as Customer | null)?.id).toBe(c.id);
  });

  it("undoes only a failed nested transaction's writes (a savepoint), keeping the outer ones", async () => {
    const a = sampleCustomer();
    const b = sampleCustomer();
    await suite.store.transaction(async (tx) => {
      await tx.insertCustomer(a);
      await suite.store
        .transaction(async (inner) => {
          await inner.insertCustomer(b);
          throw new Error("inner fails");
        })
        .catch(() => undefined);
    });
    expect(await suite.store.getCustomer(a.id)).not.toBeNull();
    expect(await suite.store.getCustomer(b.id)).toBeNull();
  });
}
