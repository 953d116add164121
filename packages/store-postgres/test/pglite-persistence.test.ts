/** PGlite persisted in a directory: what was written survives closing and reopening. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterEach, describe, expect, it } from "vitest";
import { postgresStore } from "../src/index.js";
import { customer, event, message, ticket } from "./helpers.js";

describe("postgresStore on PGlite in a data directory", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("keeps customers, tickets, messages, events and the ticket number sequence across a restart", async () => {
    dir = await mkdtemp(join(tmpdir(), "storedesk-pglite-"));
    const c = customer({ name: "박지훈", identities: [{ kind: "phone", value: "+821055512345" }] });
    const first = await PGlite.create(dir);
    const store = postgresStore({ pglite: first });
    const t = ticket(c.id, await store.nextTicketNumber(), { tags: ["재시작"] });
    const m = message(t.id, { externalId: "persist-1" });
    const e = event(t.id, 1);
    await store.transaction(async (tx) => {
      await tx.insertCustomer(c);
      await tx.insertTicket(t);
      await tx.insertMessage(m);
      await tx.appendEvent(e);
    });
    await first.close();

    const second = await PGlite.create(dir);
    const reopened = postgresStore({ pglite: second });
    expect(await reopened.migrate()).toEqual([]);
    expect(await reopened.getCustomer(c.id)).toEqual(c);
    expect(await reopened.getTicket(t.id)).toEqual(t);
    expect(await reopened.listMessages(t.id)).toEqual([m]);
    expect(await reopened.listEvents(t.id)).toEqual([e]);
    expect(await reopened.nextTicketNumber()).toBeGreaterThan(t.number);
    await second.close();
  }, 240_000); // PGlite.create on a fresh directory (initdb in WASM) alone took 38 s on a busy 2-core machine
});
