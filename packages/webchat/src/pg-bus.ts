/** The webchat bus over PostgreSQL LISTEN/NOTIFY (node-postgres), for several instances on one database. */
import type { BusNotice, WebchatBus } from "./bus.js";

/** The part of a `pg.Pool` the bus uses. */
export interface PgPoolLike {
  query(text: string, values?: unknown[]): Promise<unknown>;
  connect(): Promise<PgClientLike>;
}
/** The part of a `pg.PoolClient` the bus uses. */
export interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<unknown>;
  on(event: "notification", listener: (message: { channel: string; payload?: string | undefined }) => void): unknown;
  on(event: "error", listener: (err: Error) => void): unknown;
  release(err?: boolean | Error): void;
}

/** Options of {@link postgresBus}. */
export interface PostgresBusOptions {
  pool: PgPoolLike;
  /** NOTIFY channel name. Default `storedesk_webchat`. */
  channel?: string;
  /** Called when the listening connection fails (the bus then stops receiving). */
  onError?: (err: Error) => void;
}

// NOTIFY payloads stop at 8000 bytes: a larger item goes as a bare notice and readers catch up from the store.
const MAX_PAYLOAD_BYTES = 7_900;

/**
 * A bus over LISTEN/NOTIFY: one pooled connection listens, publishes go through the pool.
 * Resolves once listening, so nothing published after it is missed.
 *
 * @example
 * const bus = await postgresBus({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 */
export async function postgresBus(options: PostgresBusOptions): Promise<WebchatBus> {
  const channel = options.channel ?? "storedesk_webchat";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel))
    throw new Error("postgresBus: channel must be a lowercase SQL identifier");
  const handlers = new Set<(notice: BusNotice) => void>();
  const listener = await options.pool.connect();
  listener.on("error", (err) => options.onError?.(err));
  listener.on("notification", (message) => {
    if (message.channel !== channel || !message.payload) return;
    let notice: BusNotice;
    try {
      notice = JSON.parse(message.payload) as BusNotice;
    } catch {
      return;
    }
    for (const handler of handlers) handler(notice);
  });
  await listener.query(`LISTEN ${channel}`);
  let closed = false;
  return {
    async publish(notice) {
      let payload = JSON.stringify(notice);
      if (Buffer.byteLength(payload, "utf8") > MAX_PAYLOAD_BYTES)
        payload = JSON.stringify({ topic: notice.topic, item: null });
      await options.pool.query("SELECT pg_notify($1, $2)", [channel, payload]);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      if (closed) return;
      closed = true;
      handlers.clear();
      await listener.query(`UNLISTEN ${channel}`).catch(() => undefined);
      listener.release();
    },
  };
}
