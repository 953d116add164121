/**
 * The outbox across a crash: a desk process commits acknowledgements and replies, is killed by
 * its pid (SIGKILL) before any of them is sent, and a desk started afterwards on the same
 * database sends each exactly once — on a PostgreSQL server and on PGlite on disk.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { createDesk, type Store } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { describe, expect, it } from "vitest";
import { postgresStore } from "../src/index.js";
import { DATABASE_URL, dropSchema, randomSchema } from "./helpers.js";

const CHILD = fileURLToPath(new URL("./outbox-crash.child.ts", import.meta.url));
const COUNT = 10;

/** Runs the child until it says every message is queued, then kills it by its pid. */
async function crashAfterCommit(env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, ["--conditions=storedesk-source", "--import", "tsx", CHILD], {
    env: { ...process.env, ...env, COUNT: String(COUNT) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      if (d.toString().includes('"ready"')) resolve();
    });
    child.on("exit", () => reject(new Error(`the child ended before it was ready: ${stderr}`)));
  });
  process.kill(child.pid!, "SIGKILL");
  expect(await exited).toBe("SIGKILL");
}

async function sendsAfterRestart(store: Store): Promise<void> {
  const chat = memoryChannel({ id: "webchat" });
  const desk = createDesk({ store, channels: [chat], workerId: "restarted" });
  const queued = async () => {
    const tickets = await desk.listTickets({});
    const messages = (await Promise.all(tickets.map((t) => desk.listMessages(t.id)))).flat();
    return messages.filter((m) => m.direction === "outbound");
  };
  const before = await queued();
  expect(before).toHaveLength(2 * COUNT); // an acknowledgement and a reply per ticket, all committed
  expect(before.every((m) => m.deliveryStatus === "queued")).toBe(true);
  // The dead instance's leases still hold: nothing is sent twice while it might still be sending.
  await desk.runDue(new Date(Date.now() + 60_000));
  expect(chat.sent).toHaveLength(0);
  await desk.runDue(new Date(Date.now() + 1_300_000));
  await desk.runDue(new Date(Date.now() + 1_400_000));
  expect(chat.sent).toHaveLength(2 * COUNT);
  expect(new Set(chat.sent.map((m) => m.messageId)).size).toBe(2 * COUNT);
  expect((await queued()).every((m) => m.deliveryStatus === "sent")).toBe(true);
  await desk.close();
}

describe.skipIf(!DATABASE_URL)(
  `outbox crash on a PostgreSQL server${DATABASE_URL ? "" : " (skipped: set DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test)"}`,
  () => {
    it("sends every message committed before a kill -9 exactly once after restart", async () => {
      const schema = randomSchema();
      try {
        await crashAfterCommit({ DATABASE_URL: DATABASE_URL!, SCHEMA: schema });
        const store = postgresStore({ connectionString: DATABASE_URL! }, { schema });
        await sendsAfterRestart(store);
        await store.close?.();
      } finally {
        await dropSchema(DATABASE_URL!, schema);
      }
    }, 120_000);
  },
);

describe("outbox crash on PGlite on disk", () => {
  it("sends every message committed before a kill -9 exactly once after restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sd-outbox-crash-"));
    try {
      await crashAfterCommit({ PGLITE_DIR: dir, SCHEMA: "storedesk" });
      const db = await PGlite.create(dir);
      const store = postgresStore({ pglite: db }, { schema: "storedesk" });
      await sendsAfterRestart(store);
      await db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
