/** Test helpers: backends (PGlite always, a server when DATABASE_URL is set) and domain fixtures. */
import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import type { Customer, Job, Message, Ticket, TicketEvent } from "@storedesk/core";
import { sampleCustomer, sampleMessage, sampleTicket } from "@storedesk/core/testing";
import { postgresScheduler, postgresStore, type PostgresOptions, type PostgresStore } from "../src/index.js";

/** The PostgreSQL server under test, if any. */
export const DATABASE_URL = process.env.DATABASE_URL;

/** A schema name no other test run uses. */
export function randomSchema(): string {
  return `sd_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
}

export interface Opened {
  store: PostgresStore;
  scheduler: ReturnType<typeof postgresScheduler>;
  /** Runs SQL on a connection of its own (outside any store transaction). */
  raw(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** Ends the store and drops its schema. */
  cleanup(): Promise<void>;
}

/** A database to test against; `open()` gives a store on a fresh random schema of it. */
export interface Backend {
  name: string;
  available: boolean;
  /** Starts the database once per test file. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A store on a fresh schema; `options` are passed on (the schema is always a random one). */
  open(options?: Omit<PostgresOptions, "schema">): Promise<Opened>;
}

/** Drops a test schema through a fresh connection. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A pool with an error listener, as the README tells users to set up. */
export function testPool(url: string, config: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 5, ...config });
  pool.on("error", () => undefined);
  return pool;
}

/** PGlite in memory: one instance per test file (starting one takes a second or two), a schema per test. */
export function pgliteBackend(): Backend {
  let db: PGlite | undefined;
  return {
    name: "PGlite (in memory)",
    available: true,
    async start() {
      db = await PGlite.create();
    },
    async stop() {
      await db?.close();
    },
    async open(options = {}) {
      const schema = randomSchema();
      const store = postgresStore({ pglite: db! }, { ...options, schema });
      return {
        store,
        scheduler: postgresScheduler(store),
        raw: (sql, params) => db!.query<Record<string, unknown>>(sql, params),
        cleanup: async () => {
          await db!.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        },
      };
    },
  };
}

/** The server at DATABASE_URL: a pool and a schema per test. */
export function serverBackend(): Backend {
  return {
    // The skip reporter reads the reason from the title: name it when the server is absent.
    name:
      DATABASE_URL === undefined
        ? "PostgreSQL server (skipped: DATABASE_URL not set)"
        : "PostgreSQL server (DATABASE_URL)",
    available: DATABASE_URL !== undefined,
    async start() {},
    async stop() {},
    async open(options = {}) {
      const url = DATABASE_URL!;
      const schema = randomSchema();
      const pool = testPool(url);
      const store = postgresStore({ pool }, { ...options, schema });
      return {
        store,
        scheduler: postgresScheduler(store),
        raw: (sql, params) => pool.query(sql, params),
        async cleanup() {
          await pool.end();
          await dropSchema(url, schema);
        },
      };
    },
  };
}

/** Both backends; the server one is unavailable without DATABASE_URL. */
export function backends(): Backend[] {
  return [pgliteBackend(), serverBackend()];
}

/**
 * The stores `runPluginTest` should also run on: one per available backend, each test on a fresh
 * schema. Call it at the top level of a test file: it starts the backends before the file's tests
 * and drops the schemas and stops the backends after them.
 */
export function pluginTestStores(): Record<string, () => Promise<PostgresStore>> {
  const live = backends().filter((b) => b.available);
  const opened: Opened[] = [];
  beforeAll(async () => {
    for (const b of live) await b.start();
  });
  afterAll(async () => {
    for (const o of opened) await o.cleanup();
    for (const b of live) await b.stop();
  });
  return Object.fromEntries(
    live.map((b) => [
      b.name,
      async () => {
        const o = await b.open();
        opened.push(o);
        return o.store;
      },
    ]),
  );
}

/** describe() title naming the backend, and why it is skipped when it is. */
export function backendTitle(what: string, backend: Backend): string {
  return `${what} on ${backend.name}${backend.available ? "" : " (skipped: set DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test, to run against a server)"}`;
}

let counter = 0;
/** A short unique id. */
export function uid(prefix: string): string {
  return `${prefix}_${++counter}_${randomUUID().slice(0, 8)}`;
}

const T0 = new Date("2026-03-02T00:00:00.000Z");
/** A fixed instant `minutes` after the fixtures' epoch. */
export function at(minutes: number): Date {
  return new Date(T0.getTime() + minutes * 60_000);
}

/** A customer with a unique id and email (fields as {@link sampleCustomer}'s, with no name or locale). */
export function customer(overrides: Partial<Customer> = {}): Customer {
  const id = overrides.id ?? uid("cus");
  return sampleCustomer({
    id,
    name: null,
    locale: null,
    identities: [{ kind: "email", value: `${id}@example.com` }],
    createdAt: at(0),
    updatedAt: at(0),
    version: 1,
    ...overrides,
  });
}

/** A new ticket with a unique id, not yet written (version 0). */
export function ticket(customerId: string, number: number, overrides: Partial<Ticket> = {}): Ticket {
  return sampleTicket(customerId, number, {
    id: uid("tkt"),
    status: "new",
    version: 0,
    createdAt: at(1),
    updatedAt: at(1),
    lastCustomerMessageAt: null,
    ...overrides,
  });
}

/** An inbound customer message with a unique id. */
export function message(ticketId: string, overrides: Partial<Message> = {}): Message {
  return sampleMessage(ticketId, {
    id: uid("msg"),
    authorId: null,
    text: "안녕하세요, 주문한 상품이 아직 안 왔어요.",
    createdAt: at(2),
    ...overrides,
  });
}

export function event(ticketId: string, seq: number, overrides: Partial<TicketEvent> = {}): TicketEvent {
  return {
    id: uid("evt"),
    ticketId,
    seq,
    type: "ticket.created",
    at: at(seq),
    actor: { kind: "system", id: null },
    data: {},
    ...overrides,
  };
}

export function job(overrides: Partial<Job> = {}): Job {
  return {
    id: uid("job"),
    key: uid("key"),
    type: "sla.check",
    ticketId: null,
    runAt: at(10),
    payload: {},
    attempts: 0,
    lockedBy: null,
    lockedUntil: null,
    ...overrides,
  };
}
