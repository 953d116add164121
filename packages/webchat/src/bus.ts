/**
 * The fan-out bus: what one instance publishes for a visitor reaches the streams every instance
 * holds for that visitor. In process by default; PostgreSQL LISTEN/NOTIFY across instances.
 */

/** A notice on the bus: the visitor (customer id) and the serialized stream item, or null for "catch up from the store". */
export interface BusNotice {
  topic: string;
  item: string | null;
}

/** A publish/subscribe channel between instances. */
export interface WebchatBus {
  /** Delivers a notice to every subscriber on every instance, this one included. */
  publish(notice: BusNotice): Promise<void>;
  /** Registers a handler; returns the unsubscribe function. */
  subscribe(handler: (notice: BusNotice) => void): () => void;
  close(): Promise<void>;
}

/**
 * A bus inside one process: enough for one instance (memory or PGlite stores). Share one object
 * between desks in the same process to fan out between them.
 *
 * @example
 * const bus = memoryBus();
 * const chat = webchatServer({ desk, channel, bus });
 */
export function memoryBus(): WebchatBus {
  const handlers = new Set<(notice: BusNotice) => void>();
  return {
    async publish(notice) {
      for (const handler of handlers) handler(notice);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
    },
  };
}
