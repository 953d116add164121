/**
 * Live chat fan-out: 1,000 concurrent SSE streams on one instance (@storedesk/webchat served by
 * @hono/node-server), against a bare node:http SSE echo holding 1,000 streams in the same run.
 * Measures, on loopback, the latency from publishing to each stream's client reading the frame:
 * - broadcast: one item to every stream at once (the bus → stream → socket path vs res.write);
 * - reply: one desk.reply at a time reaching its visitor (transaction, event, bus, stream).
 * Run: npx -y pnpm@12.4.2 bench sse
 */
import http from "node:http";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { createDesk, memoryStore } from "../packages/core/src/index.js";
import { memoryBus, signSession, webchatChannel, webchatServer } from "../packages/webchat/src/index.js";
import { serveNode } from "../examples/support-server/src/serve-node.js";

const STREAMS = 1_000;
const BROADCASTS = 20;
const REPLIES = 300;

interface Client {
  /** Resolves when a frame whose data contains `marker` arrives. */
  next(marker: string): Promise<number>;
  close(): void;
}

const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

/** Opens one SSE client; `onFrame` gets each data line with the time it was read. */
function openClient(url: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const waiting = new Map<string, (at: number) => void>();
    const request = http.get(url, { agent }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`stream answered ${response.statusCode}`));
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        const at = performance.now();
        for (const [marker, done] of waiting) {
          if (chunk.includes(marker)) {
            waiting.delete(marker);
            done(at);
          }
        }
      });
      resolve({
        next: (marker) => new Promise((done) => waiting.set(marker, done)),
        close: () => request.destroy(),
      });
    });
    request.on("error", (err) => {
      if (!(err as NodeJS.ErrnoException).code?.includes("ECONNRESET")) reject(err);
    });
  });
}

function quantiles(samples: number[]): { p50: number; p99: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { p50: q(0.5), p99: q(0.99), max: s[s.length - 1]! };
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

/** The baseline: node:http holding SSE responses and writing each frame to all of them. */
async function bareEcho(): Promise<{
  url: string;
  broadcast(marker: string): void;
  writeOne(i: number, marker: string): void;
  count(): number;
  close(): Promise<void>;
}> {
  const streams: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write("retry: 2000\n\n");
    streams[Number(new URL(req.url!, "http://x").searchParams.get("i"))] = res;
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  let seq = 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    broadcast(marker) {
      const frame = `id: ${++seq}\ndata: ${JSON.stringify({ type: "message", text: marker })}\n\n`;
      for (const res of streams) res?.write(frame);
    },
    writeOne(i, marker) {
      streams[i]!.write(`id: ${++seq}\ndata: ${JSON.stringify({ type: "message", text: marker })}\n\n`);
    },
    count: () => streams.filter(Boolean).length,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function measureBroadcast(
  clients: Client[],
  publish: (marker: string) => void | Promise<void>,
): Promise<number[]> {
  const samples: number[] = [];
  for (let round = 0; round < BROADCASTS; round++) {
    const marker = `bc-${round}-${Math.random().toString(36).slice(2, 8)}`;
    const arrivals = clients.map((c) => c.next(marker));
    const start = performance.now();
    await publish(marker);
    for (const at of await Promise.all(arrivals)) samples.push(at - start);
  }
  return samples;
}

export async function run(): Promise<void> {
  const began = performance.now();
  // ---- baseline
  const echo = await bareEcho();
  const echoClients = await Promise.all(Array.from({ length: STREAMS }, (_, i) => openClient(`${echo.url}?i=${i}`)));
  while (echo.count() < STREAMS) await new Promise((r) => setTimeout(r, 10));
  const echoBroadcast = quantiles(await measureBroadcast(echoClients, (m) => echo.broadcast(m)));
  const echoOne: number[] = [];
  for (let i = 0; i < REPLIES; i++) {
    const marker = `one-${i}`;
    const arrival = echoClients[i % STREAMS]!.next(marker);
    const start = performance.now();
    echo.writeOne(i % STREAMS, marker);
    echoOne.push((await arrival) - start);
  }
  for (const c of echoClients) c.close();
  await echo.close();

  // ---- webchat on one instance
  const secret = "bench-secret";
  const channel = webchatChannel({ secret });
  const desk = createDesk({
    store: memoryStore(),
    channels: [channel],
    autoAcknowledge: false,
    agents: [{ id: "a1", name: "Agent", role: "agent" }],
  });
  const bus = memoryBus();
  const chat = webchatServer({ desk, channel, bus, heartbeatMs: 30_000, maxConnectionsPerVisitor: 5 });
  const server = await serveNode((request) => chat.fetch(request));
  const visitors = Array.from({ length: STREAMS }, (_, i) => ({
    visitorId: `anon:bench-${i}`,
    verified: false,
    identities: [],
    name: null,
    exp: Date.now() + 3_600_000,
  }));
  // One ticket per visitor, so a reply has somewhere to go.
  const tickets: string[] = [];
  for (const v of visitors) {
    const result = await desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: `webchat:${v.visitorId}:seed`,
      occurredAt: new Date(),
      from: { identities: [{ kind: "webchat", value: v.visitorId }] },
      text: "hello",
      conversationKey: v.visitorId,
    });
    tickets.push(result.ticket!.id);
  }
  const openStart = performance.now();
  const clients = await Promise.all(
    visitors.map((v) => openClient(`${server.url}/chat/stream?token=${encodeURIComponent(signSession(v, secret))}`)),
  );
  while (chat.connectionCount() < STREAMS) await new Promise((r) => setTimeout(r, 10));
  const openMs = performance.now() - openStart;
  const chatBroadcast = quantiles(
    await measureBroadcast(clients, async (marker) => {
      const item = JSON.stringify({ type: "message", id: `${Date.now()}.b.${marker}`, text: marker });
      await Promise.all(visitors.map((v) => bus.publish({ topic: v.visitorId, item })));
    }),
  );
  const replies: number[] = [];
  for (let i = 0; i < REPLIES; i++) {
    const marker = `reply-${i}`;
    const arrival = clients[i % STREAMS]!.next(marker);
    const start = performance.now();
    await desk.reply(tickets[i % STREAMS]!, { text: marker, agentId: "a1" });
    replies.push((await arrival) - start);
  }
  const chatReply = quantiles(replies);
  for (const c of clients) c.close();
  await chat.close();
  await server.close();

  console.log(`${STREAMS} concurrent SSE streams on one instance (opened, with history, in ${fmt(openMs)})`);
  console.log(`broadcast to all ${STREAMS} streams, ${BROADCASTS} rounds (publish → every client read it):`);
  console.log(
    `  bare node:http echo  p50 ${fmt(echoBroadcast.p50)}  p99 ${fmt(echoBroadcast.p99)}  max ${fmt(echoBroadcast.max)}`,
  );
  console.log(
    `  webchat (bus→stream) p50 ${fmt(chatBroadcast.p50)}  p99 ${fmt(chatBroadcast.p99)}  max ${fmt(chatBroadcast.max)}`,
  );
  console.log(
    `  ratio webchat/echo   p50 ${(chatBroadcast.p50 / echoBroadcast.p50).toFixed(2)}×  p99 ${(chatBroadcast.p99 / echoBroadcast.p99).toFixed(2)}×`,
  );
  console.log(`one message to one of ${STREAMS} streams, ${REPLIES} times:`);
  console.log(`  bare node:http write p50 ${fmt(quantiles(echoOne).p50)}  p99 ${fmt(quantiles(echoOne).p99)}`);
  console.log(
    `  desk.reply → SSE     p50 ${fmt(chatReply.p50)}  p99 ${fmt(chatReply.p99)}  (ratio p50 ${(chatReply.p50 / quantiles(echoOne).p50).toFixed(2)}×)`,
  );
  console.log(
    `total ${(performance.now() - began) / 1000 < 60 ? "under" : "OVER"} 60 s: ${((performance.now() - began) / 1000).toFixed(1)} s`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run();
