import { afterEach, describe, expect, it } from "vitest";
import { createDesk, defineCalendar, manualClock, memoryStore } from "@storedesk/core";
import type { ChannelAdapter, OutboundMessage } from "@storedesk/core";
import { memoryBus } from "./bus.js";
import { webchatChannel } from "./channel.js";
import { identityHash } from "./identity.js";
import type { StreamItem } from "./schemas.js";
import { webchatServer } from "./server.js";
import type { WebchatServer } from "./server.js";
import { openStream } from "./test-sse.js";

const SECRET = "chat-secret-3b9d";
const BASE = "https://shop.example/chat";
const servers: WebchatServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

function setup(
  options: {
    verifiedOnly?: boolean;
    offlineMail?: ChannelAdapter;
    store?: ReturnType<typeof memoryStore>;
    bus?: ReturnType<typeof memoryBus>;
    clock?: ReturnType<typeof manualClock>;
    replaySlackMs?: number;
  } = {},
) {
  const channel = webchatChannel({
    secret: SECRET,
    identitySecret: "id-secret",
    verifiedOnly: options.verifiedOnly ?? false,
    offlineMail: options.offlineMail ?? null,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const desk = createDesk({
    outbox: { wait: "sent" },
    store: options.store ?? memoryStore(),
    channels: [channel],
    autoAcknowledge: false,
    agents: [{ id: "lee", name: "이지은", role: "agent" }],
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const chat = webchatServer({
    desk,
    channel,
    heartbeatMs: 50,
    maxConnectionsPerVisitor: 2,
    ...(options.bus ? { bus: options.bus } : {}),
    ...(options.replaySlackMs !== undefined ? { replaySlackMs: options.replaySlackMs } : {}),
  });
  servers.push(chat);
  return { desk, chat };
}

async function startSession(chat: WebchatServer, body: unknown = {}): Promise<{ token: string; visitorId: string }> {
  const response = await chat.fetch(new Request(`${BASE}/session`, { method: "POST", body: JSON.stringify(body) }));
  expect(response.status).toBe(200);
  return (await response.json()) as { token: string; visitorId: string };
}

function send(
  chat: WebchatServer,
  token: string,
  clientMessageId: string,
  text: string,
  extra: Record<string, unknown> = {},
) {
  return chat.fetch(
    new Request(`${BASE}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ clientMessageId, text, ...extra }),
    }),
  );
}

const messages = (items: StreamItem[]) => items.flatMap((i) => (i.type === "message" ? [i.text] : []));

describe("webchatServer", () => {
  it("streams the history on open, then an agent's reply live, each event with an id", async () => {
    const { desk, chat } = setup();
    const { token } = await startSession(chat);
    expect((await send(chat, token, "cm_first_0001", "안녕하세요")).status).toBe(202);
    const stream = await openStream(chat, `${BASE}/stream?token=${token}`);
    await stream.until((items) => messages(items).includes("안녕하세요"));
    const [ticket] = await desk.listTickets({});
    await desk.reply(ticket!.id, { text: "무엇을 도와드릴까요?", agentId: "lee" });
    const items = await stream.until((all) => messages(all).includes("무엇을 도와드릴까요?"));
    const reply = items.find((i) => i.type === "message" && i.direction === "outbound");
    expect(reply).toMatchObject({ author: "agent", authorName: "이지은" });
    expect(stream.frames.every((f) => /^id: \d+\./m.test(f))).toBe(true);
    stream.close();
  });

  it("replays from Last-Event-ID on reconnect: every reply sent while the connection was down, nothing older", async () => {
    const clock = manualClock(new Date("2026-03-02T10:00:00+09:00"));
    const { desk, chat } = setup({ clock, replaySlackMs: 0 });
    const { token } = await startSession(chat);
    await send(chat, token, "cm_first_0002", "Hello");
    clock.advance(10_000);
    await send(chat, token, "cm_second_0002", "Where is my order?");
    const first = await openStream(chat, `${BASE}/stream?token=${token}`);
    const seen = await first.until((items) => messages(items).includes("Where is my order?"));
    const lastId = seen.filter((i) => i.type === "message").at(-1)!.id;
    first.close();
    clock.advance(10_000);
    const [ticket] = await desk.listTickets({});
    await desk.reply(ticket!.id, { text: "It left our warehouse today.", agentId: "lee" });
    await desk.reply(ticket!.id, { text: "Tracking: CJ 1234", agentId: "lee" });
    const second = await openStream(chat, `${BASE}/stream?token=${token}`, { "last-event-id": lastId });
    const replayed = await second.until((items) => messages(items).includes("Tracking: CJ 1234"));
    expect(messages(replayed)).toEqual(["Where is my order?", "It left our warehouse today.", "Tracking: CJ 1234"]);
    second.close();
  });

  it("fans a reply out to a stream held by another instance sharing the bus and the store", async () => {
    const store = memoryStore();
    const bus = memoryBus();
    const a = setup({ store, bus });
    const b = setup({ store, bus });
    const { token } = await startSession(a.chat);
    await send(a.chat, token, "cm_first_0003", "hello");
    const stream = await openStream(b.chat, `${BASE}/stream?token=${token}`);
    await stream.until((items) => messages(items).includes("hello"));
    const [ticket] = await a.desk.listTickets({});
    await a.desk.reply(ticket!.id, { text: "from instance A", agentId: "lee" });
    await stream.until((items) => messages(items).includes("from instance A"));
    stream.close();
  });

  it("shows an agent joining, typing and reading in the visitor's stream", async () => {
    const { desk, chat } = setup();
    const { token } = await startSession(chat);
    await send(chat, token, "cm_first_0004", "hi");
    const stream = await openStream(chat, `${BASE}/stream?token=${token}`);
    await stream.until((items) => messages(items).includes("hi"));
    const [ticket] = await desk.listTickets({});
    await desk.assign(ticket!.id, { agentId: "lee" });
    await chat.agentTyping(ticket!.id, { agentId: "lee", typing: true });
    await chat.markReadByAgent(ticket!.id, "lee");
    const items = await stream.until((all) => all.some((i) => i.type === "read"));
    expect(items.find((i) => i.type === "agent_joined")).toMatchObject({ agentName: "이지은" });
    expect(items.find((i) => i.type === "typing")).toMatchObject({ typing: true, name: "이지은" });
    stream.close();
  });

  it("refuses more streams than the per-visitor limit with 429", async () => {
    const { chat } = setup();
    const { token } = await startSession(chat);
    const s1 = await openStream(chat, `${BASE}/stream?token=${token}`);
    const s2 = await openStream(chat, `${BASE}/stream?token=${token}`);
    const third = await chat.fetch(new Request(`${BASE}/stream?token=${token}`));
    expect(third.status).toBe(429);
    s1.close();
    s2.close();
  });

  it("sends heartbeats on an idle stream", async () => {
    const { chat } = setup();
    const { token } = await startSession(chat);
    const stream = await openStream(chat, `${BASE}/stream?token=${token}`);
    await stream.untilRaw((raw) => raw.includes(": hb"));
    stream.close();
  });

  it("refuses a forged identity with 401 and an anonymous visitor with 403 in verified-only mode", async () => {
    const { chat } = setup({ verifiedOnly: true });
    const forged = await chat.fetch(
      new Request(`${BASE}/session`, {
        method: "POST",
        body: JSON.stringify({ identity: { id: "7001", hash: identityHash({ id: "7001" }, "wrong") } }),
      }),
    );
    expect(forged.status).toBe(401);
    const anonymous = await chat.fetch(new Request(`${BASE}/session`, { method: "POST", body: "{}" }));
    expect(anonymous.status).toBe(403);
    const good = await startSession(chat, {
      identity: {
        id: "7001",
        email: "kim@example.com",
        hash: identityHash({ id: "7001", email: "kim@example.com" }, "id-secret"),
      },
    });
    expect(good.visitorId).toBe("shop:7001");
  });

  it("joins a verified visitor to the customer already known by their email", async () => {
    const { desk, chat } = setup();
    const known = await desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: "seed-1",
      occurredAt: new Date(),
      from: { identities: [{ kind: "email", value: "kim@example.com" }] },
      text: "earlier",
    });
    const { token } = await startSession(chat, {
      identity: {
        id: "7001",
        email: "kim@example.com",
        hash: identityHash({ id: "7001", email: "kim@example.com" }, "id-secret"),
      },
    });
    await send(chat, token, "cm_first_0005", "again me");
    const customer = await desk.findCustomer({ kind: "webchat", value: "shop:7001" });
    expect(customer?.id).toBe(known.ticket!.customerId);
  });

  it("marks the visitor's replies read through the desk's delivery receipts", async () => {
    const { desk, chat } = setup();
    const { token } = await startSession(chat);
    await send(chat, token, "cm_first_0006", "hi");
    const [ticket] = await desk.listTickets({});
    const reply = await desk.reply(ticket!.id, { text: "hello", agentId: "lee" });
    const response = await chat.fetch(
      new Request(`${BASE}/read`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({ messageIds: [reply.id, "someone-elses"] }),
      }),
    );
    expect(await response.json()).toMatchObject({ read: 1 });
    expect((await desk.listMessages(ticket!.id)).find((m) => m.id === reply.id)?.deliveryStatus).toBe("read");
  });

  it("sends the reply by mail on the same ticket when the visitor has gone and left an email", async () => {
    const mailed: OutboundMessage[] = [];
    const email: ChannelAdapter = {
      specVersion: 1,
      id: "email",
      displayName: "Email",
      capabilities: {
        threads: true,
        attachments: true,
        templates: false,
        publicReplies: false,
        deliveryReceipts: false,
        replyWindow: false,
        html: true,
      },
      handleWebhook: async () => ({ response: new Response(null, { status: 200 }), events: [] }),
      send: async (m) => {
        mailed.push(m);
        return { externalId: `<${m.messageId}@mail>`, status: "sent" };
      },
    };
    const { desk, chat } = setup({ offlineMail: email });
    const { token } = await startSession(chat);
    await send(chat, token, "cm_first_0007", "please mail me", { contactEmail: "park@example.com" });
    const [ticket] = await desk.listTickets({});
    const reply = await desk.reply(ticket!.id, { text: "Answered by mail", agentId: "lee" });
    expect(mailed[0]?.customer.identities).toEqual([{ kind: "email", value: "park@example.com" }]);
    expect(reply.ticketId).toBe(ticket!.id);
    expect(reply.meta).toMatchObject({ deliveredBy: "email", emailTo: "park@example.com" });
  });

  it("says when a person will answer outside business hours, in the visitor's language", async () => {
    const channel = webchatChannel({ secret: SECRET });
    const clock = manualClock(new Date("2026-03-07T10:00:00+09:00")); // a Saturday
    const desk = createDesk({
      outbox: { wait: "sent" },
      store: memoryStore(),
      channels: [channel],
      clock,
      autoAcknowledge: false,
    });
    const calendar = defineCalendar({
      id: "seoul",
      timeZone: "Asia/Seoul",
      weekly: Object.fromEntries(
        ["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ start: "09:00", end: "18:00" }]]),
      ),
    });
    const chat = webchatServer({ desk, channel, calendar, clock });
    servers.push(chat);
    expect(chat.availability("ko")).toMatchObject({
      online: false,
      nextOpeningAt: "2026-03-09T00:00:00.000Z",
      nextOpeningText: expect.stringContaining("3월 9일"),
    });
    expect(chat.availability("en").nextOpeningText).toContain("Mar 9");
  });
});
