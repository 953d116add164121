/** Test helper: reads a chat stream's Response as SSE frames (tests only; not exported by the package). */
import type { StreamItem } from "./schemas.js";

/** A stream opened on a chat server, read frame by frame. */
export interface OpenedStream {
  frames: string[];
  items: StreamItem[];
  /** Resolves with every item so far once `done(items)` holds; rejects after `timeoutMs`. */
  until(done: (items: StreamItem[]) => boolean, timeoutMs?: number): Promise<StreamItem[]>;
  untilRaw(done: (raw: string) => boolean, timeoutMs?: number): Promise<string>;
  close(): void;
}

/**
 * Opens `url` on `server.fetch` and parses its SSE body in the background.
 *
 * @example
 * const stream = await openStream(chat, `${BASE}/stream?token=${token}`);
 */
export async function openStream(
  server: { fetch(r: Request): Promise<Response> },
  url: string,
  headers: Record<string, string> = {},
): Promise<OpenedStream> {
  const abort = new AbortController();
  const response = await server.fetch(new Request(url, { headers, signal: abort.signal }));
  if (response.status !== 200) throw new Error(`stream answered ${response.status}: ${await response.text()}`);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const frames: string[] = [];
  const items: StreamItem[] = [];
  let raw = "";
  let buffer = "";
  const waiters = new Set<() => void>();
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) break;
      raw += value;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split("\n")
          .filter((l) => l.startsWith("data: "))
          .map((l) => l.slice(6))
          .join("\n");
        if (data) {
          frames.push(block);
          items.push(JSON.parse(data) as StreamItem);
        }
      }
      for (const w of waiters) w();
    }
  })();
  const wait = <T>(check: () => T | null, timeoutMs: number): Promise<T> =>
    new Promise((resolve, reject) => {
      const tryNow = () => {
        const value = check();
        if (value !== null) {
          waiters.delete(tryNow);
          clearTimeout(timer);
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(tryNow);
        reject(new Error(`stream condition not met in ${timeoutMs} ms; got ${JSON.stringify(items).slice(0, 2000)}`));
      }, timeoutMs);
      waiters.add(tryNow);
      tryNow();
    });
  return {
    frames,
    items,
    until: (done, timeoutMs = 3_000) => wait(() => (done(items) ? [...items] : null), timeoutMs),
    untilRaw: (done, timeoutMs = 3_000) => wait(() => (done(raw) ? raw : null), timeoutMs),
    close() {
      abort.abort();
      void reader.cancel().catch(() => undefined);
    },
  };
}
