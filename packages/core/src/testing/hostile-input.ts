/**
 * Hostile request bodies and a store that counts what it committed: the pieces every HTTP
 * surface's hostile-input tests share ("bad input is a 4xx and writes nothing").
 */
import type { Store, StoreOps } from "../ports/store.js";

/** One hostile body: text, or raw bytes when the point is bytes that are not UTF-8. */
export interface HostileBody {
  /** What it is, for the test's title. */
  name: string;
  body: string | Uint8Array;
}

/** Options of {@link hostileBodies}. */
export interface HostileBodiesOptions {
  /** Size of the huge bodies, in bytes. Default 3 MB. */
  hugeBytes?: number;
  /** Nesting depth of the deep bodies. Default 10,000. */
  depth?: number;
}

/**
 * Bodies no surface should answer with a 5xx or store anything from: empty, not JSON, truncated,
 * every JSON type where an object is expected, 10,000 levels deep, a few MB, `__proto__` and
 * `constructor` keys, NUL bytes, lone surrogates, invalid UTF-8 and a byte-order mark. Built as
 * text, with no recursion, so building them never overflows the stack.
 *
 * @example
 * for (const { name, body } of hostileBodies()) expect((await post(body)).status, name).toBeLessThan(500);
 */
export function hostileBodies(options: HostileBodiesOptions = {}): HostileBody[] {
  const depth = options.depth ?? 10_000;
  const huge = options.hugeBytes ?? 3 * 1024 * 1024;
  return [
    { name: "an empty body", body: "" },
    { name: "whitespace only", body: " \r\n\t " },
    { name: "text that is not JSON", body: "hello=world&a=1" },
    { name: "truncated JSON", body: '{"event":"send","user":' },
    { name: "JSON null", body: "null" },
    { name: "a JSON number", body: "42" },
    { name: "a JSON string", body: '"hello"' },
    { name: "JSON true", body: "true" },
    { name: "an empty JSON array", body: "[]" },
    { name: "an array of empty objects", body: "[{},{}]" },
    { name: "an empty JSON object", body: "{}" },
    { name: `objects nested ${depth} deep`, body: `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}` },
    { name: `arrays nested ${depth} deep`, body: `${"[".repeat(depth)}1${"]".repeat(depth)}` },
    { name: `a ${Math.round(huge / 1e6)} MB string value`, body: `{"a":"${"x".repeat(huge)}"}` },
    { name: `a ${Math.round(huge / 1e6)} MB array field`, body: `{"a":[${"0,".repeat(Math.floor(huge / 2))}0]}` },
    {
      name: "__proto__ and constructor keys",
      body: '{"__proto__":{"polluted":true,"event":"send"},"constructor":{"prototype":{"polluted":true}}}',
    },
    { name: "escaped NUL bytes", body: '{"a":"\\u0000\\u0000","\\u0000":1}' },
    { name: "raw NUL bytes", body: '{"a":"\u0000"}\u0000' },
    { name: "lone surrogates", body: '{"a":"\\ud800","\\udfff":"\\udc00x"}' },
    { name: "invalid UTF-8 bytes", body: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
    { name: "a byte-order mark before JSON", body: "\ufeff{}" },
    { name: "numbers past 2^53 and exponents", body: '{"a":1e400,"b":-0,"c":123456789012345678901234567890}' },
  ];
}

/**
 * Every version of `valid` with one field swapped for a value of the wrong type: for each path
 * (objects and arrays, walked iteratively to `maxDepth`), the value becomes null, a number, a
 * number as a string, a boolean, an array, an object, a 100,000-character string, and the field
 * is removed. The whole value is also replaced by an array of itself.
 *
 * @example
 * for (const { path, body } of wrongTypeVariants(validPayload)) expect((await post(body)).status, path).toBeLessThan(500);
 */
export function wrongTypeVariants(valid: unknown, maxDepth = 6): Array<{ path: string; body: string }> {
  const replacements: unknown[] = [
    null,
    0,
    -1.5,
    "12345",
    "",
    true,
    [],
    [1, "a"],
    {},
    { a: { b: 1 } },
    "x".repeat(1e5),
  ];
  const out: Array<{ path: string; body: string }> = [
    { path: "(an array of the body)", body: JSON.stringify([valid]) },
  ];
  const stack: Array<Array<string | number>> = [[]];
  while (stack.length > 0) {
    const path = stack.pop()!;
    const here = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], valid);
    if (here === null || typeof here !== "object" || path.length >= maxDepth) continue;
    for (const key of Array.isArray(here) ? here.keys() : Object.keys(here)) {
      const child = [...path, key];
      const label = child.join(".");
      for (const value of replacements) out.push({ path: label, body: JSON.stringify(setAt(valid, child, value)) });
      out.push({ path: `${label} (removed)`, body: JSON.stringify(setAt(valid, child, undefined)) });
      stack.push(child);
    }
  }
  return out;
}

function setAt(root: unknown, path: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(root);
  let cursor = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(cursor)) cursor.splice(last as number, 1);
    else delete cursor[last];
  } else cursor[last] = value;
  return copy;
}

const WRITES = new Set<string>([
  "insertCustomer",
  "updateCustomer",
  "deleteCustomer",
  "nextTicketNumber",
  "insertTicket",
  "updateTicket",
  "insertMessage",
  "updateMessageDelivery",
  "updateMessage",
  "moveMessages",
  "appendEvent",
  "appendEvents",
  "putIdempotency",
  "deleteIdempotency",
  "scheduleJob",
  "cancelJob",
  "putRecord",
  "deleteRecord",
  "purgeExpiredRecords",
  "appendCustomerEvent",
]);

/** A store that records the writes it committed, made by {@link watchStoreWrites}. */
export interface WatchedStore<S extends Store> {
  /** The store to hand to the desk: the same store, every write counted. */
  store: S;
  /** Names of the write methods that completed, outside a transaction or in one that committed. */
  writes(): readonly string[];
  /** Forgets the writes seen so far (e.g. after seeding). */
  reset(): void;
}

/**
 * Wraps a store so a test can say "this request wrote nothing": a write counts once it resolved,
 * and a write inside a transaction only when the transaction committed (a rolled-back one left
 * nothing behind).
 *
 * @example
 * const watched = watchStoreWrites(memoryStore());
 * const desk = createDesk({ store: watched.store, channels });
 * await handler(badRequest);
 * expect(watched.writes()).toEqual([]);
 */
export function watchStoreWrites<S extends Store>(inner: S): WatchedStore<S> {
  const committed: string[] = [];
  const wrapOps = <T extends StoreOps>(ops: T, log: string[]): T =>
    new Proxy(ops, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        const fn = value as (...args: unknown[]) => unknown;
        if (prop === "transaction") {
          return async (body: (tx: StoreOps) => Promise<unknown>) => {
            const local: string[] = [];
            const result = await fn.call(target, (tx: StoreOps) => body(wrapOps(tx, local)));
            log.push(...local);
            return result;
          };
        }
        if (typeof prop !== "string" || !WRITES.has(prop)) return fn.bind(target);
        return async (...args: unknown[]) => {
          const result = await fn.apply(target, args);
          log.push(prop);
          return result;
        };
      },
    });
  return {
    store: wrapOps(inner, committed),
    writes: () => [...committed],
    reset: () => {
      committed.length = 0;
    },
  };
}
