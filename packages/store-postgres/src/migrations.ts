/**
 * Versioned schema migrations, applied at start-up under an advisory lock so
 * several instances starting together apply each version exactly once.
 * Migrations are append-only: never edit a released one, add the next version.
 */
import { StoredeskError } from "@storedesk/core";
import type { SqlClient } from "./sql-client.js";

/** One schema version: statements run in order inside the migration transaction. */
export interface Migration {
  version: number;
  name: string;
  /** Statements for the (already quoted) schema `s`; one statement per string. */
  up(s: string): string[];
}

/** The migrations this version of the package knows, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "initial",
    up: (s) => [
      `CREATE TABLE ${s}.customers (
        id text PRIMARY KEY,
        name text,
        locale text,
        attributes jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        merged_into text
      )`,
      // norm_value is the normalized identity (lookups and uniqueness); value is returned as written.
      `CREATE TABLE ${s}.customer_identities (
        customer_id text NOT NULL REFERENCES ${s}.customers (id) ON DELETE CASCADE,
        position integer NOT NULL,
        kind text NOT NULL,
        value text NOT NULL,
        norm_value text NOT NULL,
        PRIMARY KEY (customer_id, position),
        CONSTRAINT customer_identities_identity_key UNIQUE (kind, norm_value)
      )`,
      `CREATE SEQUENCE ${s}.ticket_number_seq AS integer`,
      `CREATE TABLE ${s}.tickets (
        id text PRIMARY KEY,
        number integer NOT NULL CONSTRAINT tickets_number_key UNIQUE,
        subject text,
        status text NOT NULL,
        priority text NOT NULL,
        category text NOT NULL,
        channel text NOT NULL,
        kind text NOT NULL,
        customer_id text NOT NULL,
        assignee_id text,
        team text,
        tags jsonb NOT NULL DEFAULT '[]',
        language text NOT NULL,
        conversation_key text,
        version integer NOT NULL CHECK (version >= 0),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        last_customer_message_at timestamptz,
        first_replied_at timestamptz,
        solved_at timestamptz,
        closed_at timestamptz,
        follow_up_of text,
        merged_into text,
        sla_due_at timestamptz,
        sla jsonb,
        complaint jsonb,
        meta jsonb NOT NULL DEFAULT '{}'
      )`,
      `CREATE INDEX tickets_customer_idx ON ${s}.tickets (customer_id, updated_at DESC)`,
      `CREATE INDEX tickets_updated_idx ON ${s}.tickets (updated_at DESC)`,
      `CREATE INDEX tickets_open_sla_idx ON ${s}.tickets (sla_due_at) WHERE sla_due_at IS NOT NULL AND status NOT IN ('solved', 'closed')`,
      `CREATE INDEX tickets_open_conversation_idx ON ${s}.tickets (customer_id, channel, conversation_key, updated_at DESC)
        WHERE status <> 'closed' AND merged_into IS NULL AND conversation_key IS NOT NULL`,
      // position: a stable insertion order for messages with equal created_at.
      `CREATE TABLE ${s}.messages (
        id text PRIMARY KEY,
        position bigserial NOT NULL,
        ticket_id text NOT NULL,
        direction text NOT NULL,
        author_kind text NOT NULL,
        author_id text,
        channel text NOT NULL,
        external_id text,
        text text NOT NULL,
        html text,
        attachments jsonb NOT NULL DEFAULT '[]',
        delivery_status text NOT NULL,
        delivery_error jsonb,
        visibility text NOT NULL,
        automatic boolean NOT NULL,
        created_at timestamptz NOT NULL,
        meta jsonb NOT NULL DEFAULT '{}'
      )`,
      `CREATE UNIQUE INDEX messages_channel_external_id_key ON ${s}.messages (channel, external_id) WHERE external_id IS NOT NULL`,
      `CREATE INDEX messages_ticket_idx ON ${s}.messages (ticket_id, created_at, position)`,
      `CREATE TABLE ${s}.ticket_events (
        id text PRIMARY KEY,
        ticket_id text NOT NULL,
        seq integer NOT NULL CHECK (seq > 0),
        type text NOT NULL,
        at timestamptz NOT NULL,
        actor_kind text NOT NULL,
        actor_id text,
        data jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT ticket_events_ticket_seq_key UNIQUE (ticket_id, seq)
      )`,
      // The audit log is append-only: only customer erasure (which sets storedesk.erasing
      // for its own transaction) may delete from it, and nothing may update it.
      `CREATE FUNCTION ${s}.ticket_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('storedesk.erasing', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'ticket_events is append-only (% refused)', TG_OP USING ERRCODE = '55000';
      END
      $fn$`,
      `CREATE TRIGGER ticket_events_append_only BEFORE UPDATE OR DELETE ON ${s}.ticket_events
        FOR EACH ROW EXECUTE FUNCTION ${s}.ticket_events_append_only()`,
      `CREATE TABLE ${s}.idempotency (
        scope text NOT NULL,
        key text NOT NULL,
        result jsonb,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key)
      )`,
      `CREATE TABLE ${s}.jobs (
        id text PRIMARY KEY,
        key text NOT NULL CONSTRAINT jobs_key_key UNIQUE,
        type text NOT NULL,
        ticket_id text,
        run_at timestamptz NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        attempts integer NOT NULL DEFAULT 0,
        locked_by text,
        locked_until timestamptz
      )`,
      `CREATE INDEX jobs_run_at_idx ON ${s}.jobs (run_at)`,
      `CREATE INDEX jobs_ticket_idx ON ${s}.jobs (ticket_id) WHERE ticket_id IS NOT NULL`,
    ],
  },
  {
    version: 2,
    name: "keyed records",
    up: (s) => [
      // Plugins' data (articles, cursors, settings) by namespace and key; version for compare-and-set.
      `CREATE TABLE ${s}.records (
        namespace text NOT NULL,
        key text NOT NULL,
        value jsonb,
        version integer NOT NULL CHECK (version > 0),
        updated_at timestamptz NOT NULL,
        expires_at timestamptz,
        PRIMARY KEY (namespace, key)
      )`,
      `CREATE INDEX records_expires_idx ON ${s}.records (expires_at) WHERE expires_at IS NOT NULL`,
    ],
  },
  {
    version: 3,
    name: "customer versions, one open ticket per conversation, customer events",
    up: (s) => [
      // Compare-and-set on customers: an update carrying the version it read loses to a newer write.
      `ALTER TABLE ${s}.customers ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version > 0)`,
      // A ticket written onto a customer merged away meanwhile (the writer read it before the
      // merge committed) would be lost to the survivor's lists: refuse it as a serialization
      // failure, which the desk retries. FOR SHARE holds the customer until the writer commits,
      // so a merge starting later waits and then moves the new ticket along.
      `CREATE FUNCTION ${s}.tickets_customer_live() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE target text;
      BEGIN
        SELECT merged_into INTO target FROM ${s}.customers WHERE id = NEW.customer_id FOR SHARE;
        IF target IS NOT NULL THEN
          RAISE EXCEPTION 'customer % was merged into %', NEW.customer_id, target USING ERRCODE = '40001';
        END IF;
        RETURN NEW;
      END
      $fn$`,
      `CREATE TRIGGER tickets_customer_live BEFORE INSERT ON ${s}.tickets
        FOR EACH ROW EXECUTE FUNCTION ${s}.tickets_customer_live()`,
      // Tickets split before this version (two open tickets of one conversation): all but the
      // most recently updated keep their key in meta only, so the unique index can be built.
      `UPDATE ${s}.tickets t SET meta = t.meta || jsonb_build_object('splitConversationKey', t.conversation_key), conversation_key = NULL
        WHERE t.status <> 'closed' AND t.merged_into IS NULL AND t.conversation_key IS NOT NULL AND EXISTS (
          SELECT 1 FROM ${s}.tickets o WHERE o.customer_id = t.customer_id AND o.channel = t.channel
            AND o.conversation_key = t.conversation_key AND o.status <> 'closed' AND o.merged_into IS NULL
            AND (o.updated_at, o.number) > (t.updated_at, t.number))`,
      `DROP INDEX ${s}.tickets_open_conversation_idx`,
      // One open ticket per conversation (closed and merged tickets and keyless ones do not count).
      `CREATE UNIQUE INDEX tickets_open_conversation_key ON ${s}.tickets (customer_id, channel, conversation_key)
        WHERE status <> 'closed' AND merged_into IS NULL AND conversation_key IS NOT NULL`,
      // Customer-level audit log (identities linked, profile changes, merges): append-only like ticket_events.
      `CREATE TABLE ${s}.customer_events (
        position bigserial PRIMARY KEY,
        id text NOT NULL CONSTRAINT customer_events_id_key UNIQUE,
        customer_id text NOT NULL,
        type text NOT NULL,
        at timestamptz NOT NULL,
        actor_kind text NOT NULL,
        actor_id text,
        data jsonb NOT NULL DEFAULT '{}'
      )`,
      `CREATE INDEX customer_events_customer_idx ON ${s}.customer_events (customer_id, position)`,
      `CREATE TRIGGER customer_events_append_only BEFORE UPDATE OR DELETE ON ${s}.customer_events
        FOR EACH ROW EXECUTE FUNCTION ${s}.ticket_events_append_only()`,
    ],
  },
];

/** A schema name as the `schema` option accepts it: a plain lower-case identifier. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Validates a schema name and returns it double-quoted for SQL.
 *
 * @internal
 */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: `schema must be a lower-case SQL identifier (a-z, 0-9, _), got ${JSON.stringify(schema)}`,
      path: ["schema"],
    });
  }
  return `"${schema}"`;
}

/** Arbitrary first key of the two-key advisory lock, so storedesk's lock never collides with an application's. */
const LOCK_NAMESPACE = 0x5d_e5_c0; // "storedesk"

/**
 * Creates the schema if missing and applies every migration not yet recorded in
 * `<schema>.storedesk_migrations`, all in one transaction holding an advisory lock
 * keyed by the schema name. Safe to call from many instances at once and again later.
 * Returns the versions it applied (empty when the schema was current).
 *
 * @example
 * await migrate(client, "storedesk");
 *
 * @internal
 */
export async function migrate(
  client: SqlClient,
  schema: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const s = quoteSchema(schema);
  return client.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1::integer, hashtext($2))", [LOCK_NAMESPACE, schema]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.storedesk_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: number }>(`SELECT version FROM ${s}.storedesk_migrations`);
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      for (const statement of m.up(s)) await tx.query(statement);
      await tx.query(`INSERT INTO ${s}.storedesk_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
