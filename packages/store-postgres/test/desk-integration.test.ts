/**
 * The real channel adapters through `createDesk` on `postgresStore`, compared with the
 * memory store: whatever the adapters put into messages, meta, attachments, events,
 * jobs and idempotency records must be stored and read back exactly as the memory store
 * does. Runs on PGlite always and on the server at DATABASE_URL when it is set.
 *
 * The adapters are imported from their sources by relative path: this package does not
 * (and should not) depend on them at run time.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore, signHmac, type Desk, type DeskOptions, type Store } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { emailChannel, EMAIL_SIGNATURE_HEADER } from "../../email/src/index.js";
import { encodeIso2022KrForTest } from "../../email/src/test-support.js";
import { metaChannel } from "../../meta/src/index.js";
import { shopifyWebhooks } from "../../shopify/src/index.js";
import { whatsappChannel } from "../../whatsapp/src/index.js";
import { backends, backendTitle, type Backend, type Opened } from "./helpers.js";

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const EMAIL_FIXTURES = [here("../../email/test-fixtures/shared/"), here("../../email/test-fixtures/"), here("../test-fixtures/")];
const WA_FIXTURES = [here("../../whatsapp/test-fixtures/shared/"), here("../../whatsapp/test-fixtures/")];
const META_FIXTURES = here("../../meta/test-fixtures/");
const SHOPIFY_FIXTURES = here("../../shopify/test-fixtures/");

const GRAPH = "https://graph.facebook.com/v21.0";
const WA_SECRET = "wa-app-secret";
const WA_PHONE_ID = "106540352242922";
const META_SECRET = "meta-app-secret";
const PAGE_ID = "105678901234567";
const IG_ID = "17841400000000001";
const SHOPIFY_SECRET = "whsec-test-app-secret";
const EMAIL_SECRET = "email-webhook-secret";
const T0 = new Date("2026-03-02T10:05:00.000Z");

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(ext)).sort().map((f) => dir + f);
}

/** Ids counted up from 1: the same calls give the same ids on every store, so snapshots compare whole. */
function counterIds(): () => string {
  let n = 0;
  return () => `id-${String(++n).padStart(4, "0")}`;
}

function metaSigned(body: string, secret: string): Request {
  return new Request("https://shop.example/webhooks/meta", { method: "POST", body, headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${signHmac(body, secret, "hex")}` } });
}

/**
 * Messages by time, then id. The memory store lists messages in insertion order even when a
 * provider's timestamp (an email Date header, a late WhatsApp delivery) is older than a
 * message stored before it, while PostgreSQL lists them oldest first as the Store port says;
 * the snapshots compare contents, and the PostgreSQL order is checked on its own.
 */
function byTime<T extends { createdAt: Date; id: string }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Everything the desk stored, read back through the desk and the store. */
async function snapshot(desk: Desk, store: Store) {
  const tickets = await desk.listTickets({});
  return {
    tickets,
    threads: await Promise.all(tickets.map(async (t) => ({ number: t.number, messages: byTime(await desk.listMessages(t.id)), events: await desk.listEvents(t.id) }))),
    customers: await Promise.all([...new Set(tickets.map((t) => t.customerId))].map((id) => desk.getCustomer(id))),
    jobs: await store.listJobs(),
  };
}

type Scenario = (store: Store) => Promise<{ desk: Desk; extra?: unknown }>;

/** Runs a scenario on the memory store and on `open()`'s store and returns both snapshots. */
async function compare(scenario: Scenario, opened: Opened) {
  const mem = memoryStore();
  const a = await scenario(mem);
  const b = await scenario(opened.store);
  return { memory: { ...(await snapshot(a.desk, mem)), extra: a.extra }, postgres: { ...(await snapshot(b.desk, opened.store)), extra: b.extra } };
}

function deskOn(store: Store, clock: ReturnType<typeof manualClock>, channels: DeskOptions["channels"], over: Partial<DeskOptions> = {}): Desk {
  return createDesk({ store, clock, channels, newId: counterIds(), workerId: "w1", autoAcknowledge: false, outbox: { wait: "sent" }, ...over });
}

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

const emailScenario: Scenario = async (store) => {
  const clock = manualClock(T0);
  const sent: unknown[] = [];
  const email = emailChannel({
    from: { address: "support@dalbit.example", name: "달빛상점 고객센터" },
    transport: { sendMail: async (mail) => { sent.push(mail.messageId); return { messageId: String(mail.messageId), accepted: [mail.to] }; } },
    webhookSecret: EMAIL_SECRET,
    replyTo: "plus-address",
    clock,
  });
  const desk = deskOn(store, clock, [email], { autoAcknowledge: true });
  const outcomes: string[] = [];
  const raws: Array<Uint8Array | string> = EMAIL_FIXTURES.flatMap((dir) => files(dir, ".eml")).map((f) => readFileSync(f));
  raws.push(Buffer.concat([
    Buffer.from("From: =?UTF-8?B?7J207ISc7Jew?= <lee@hanmail.net>\r\nTo: support@dalbit.example\r\nSubject: iso-2022-kr\r\nMessage-ID: <iso2022kr-1@hanmail.net>\r\nDate: Wed, 25 Nov 2026 09:12:03 +0900\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-KR\r\n\r\n"),
    encodeIso2022KrForTest("환불은 언제 되나요?\r\n주문번호 #1043 입니다.\r\n"),
  ]));
  for (const raw of raws) {
    clock.advance(60_000);
    for (const event of await email.parse(raw)) outcomes.push((await desk.ingest(event)).outcome);
  }
  // One more through the signed webhook, exactly as a mail relay posts it.
  const body = "From: Kim <KIM@Example.com>\r\nTo: support@dalbit.example\r\nSubject: webhook\r\nMessage-ID: <wh-1@example.com>\r\nDate: Mon, 02 Mar 2026 10:30:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n교환 원합니다\r\n";
  const res = await desk.webhook("email")(new Request("https://shop.example/webhooks/email", { method: "POST", body, headers: { "content-type": "message/rfc822", [EMAIL_SIGNATURE_HEADER]: `sha256=${signHmac(body, EMAIL_SECRET, "hex")}` } }));
  outcomes.push(`webhook ${res.status}`);
  const first = (await desk.listTickets({}))[0]!;
  await desk.reply(first.id, { text: "확인했습니다. 내일 발송됩니다.", html: "<p>확인했습니다.</p>", agentId: "agent-1" });
  return { desk, extra: { outcomes, sent } };
};

const whatsappScenario: Scenario = async (store) => {
  // Just after the fixtures' newest message, inside the 24-hour window.
  const clock = manualClock(new Date("2026-01-01T01:00:00Z"));
  const whatsapp = whatsappChannel({ accessToken: "EAAtoken", appSecret: WA_SECRET, verifyToken: "v", phoneNumberId: WA_PHONE_ID, clock, sleep: async () => undefined });
  const desk = deskOn(store, clock, [whatsapp]);
  const webhook = desk.webhook("whatsapp");
  const statuses: number[] = [];
  for (const file of WA_FIXTURES.flatMap((dir) => files(dir, ".json"))) {
    // Fixtures name their own phone number id; sign them unchanged.
    const body = readFileSync(file, "utf8");
    statuses.push((await webhook(metaSigned(body, WA_SECRET))).status);
  }
  const ticket = (await desk.listTickets({ channel: "whatsapp", newestFirst: true }))[0]!;
  let n = 0;
  server.use(http.post(`${GRAPH}/:phone/messages`, () => HttpResponse.json({ messaging_product: "whatsapp", messages: [{ id: `wamid.OUT${++n}` }] })));
  const reply = await desk.reply(ticket.id, { text: "내일 도착 예정입니다.", agentId: "agent-1" });
  // Its receipts, one of them twice, then a read that overtakes nothing.
  for (const status of ["sent", "delivered", "delivered", "read"]) {
    const body = JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "1", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550783881", phone_number_id: WA_PHONE_ID }, statuses: [{ id: reply.externalId, status, timestamp: "1772409900", recipient_id: "821012345678" }] } }] }] });
    statuses.push((await webhook(metaSigned(body, WA_SECRET))).status);
  }
  return { desk, extra: { statuses } };
};

const metaScenario: Scenario = async (store) => {
  const clock = manualClock(T0);
  const meta = metaChannel({ pageAccessToken: "EAAPAGE", appSecret: META_SECRET, verifyToken: "v", pageId: PAGE_ID, instagramAccountId: IG_ID, clock, sleep: async () => undefined });
  const desk = deskOn(store, clock, meta.adapters);
  const webhook = desk.webhook("messenger");
  const statuses: number[] = [];
  for (const file of files(META_FIXTURES, ".json")) statuses.push((await webhook(metaSigned(readFileSync(file, "utf8"), META_SECRET))).status);
  const dm = (await desk.listTickets({ channel: "messenger" })).find((t) => t.kind === "conversation")!;
  server.use(http.post(`${GRAPH}/:page/messages`, () => HttpResponse.json({ recipient_id: "6789012345678901", message_id: "m_OUT1" })));
  const reply = await desk.reply(dm.id, { text: "주문번호를 알려주세요.", agentId: "agent-1" });
  // The page's echo of that reply: never a customer message.
  const psid = (await desk.getCustomer(dm.customerId))!.identities.find((i) => i.kind === "messenger")!.value;
  const echo = JSON.stringify({ object: "page", entry: [{ id: PAGE_ID, time: T0.getTime(), messaging: [{ sender: { id: PAGE_ID }, recipient: { id: psid }, timestamp: T0.getTime(), message: { mid: reply.externalId, is_echo: true, text: "주문번호를 알려주세요." } }] }] });
  statuses.push((await webhook(metaSigned(echo, META_SECRET))).status);
  return { desk, extra: { statuses } };
};

/** Fields the adapters fill, checked explicitly so a snapshot equal on both sides cannot hide an empty one. */
function messagesOf(snap: Awaited<ReturnType<typeof snapshot>>) {
  return snap.threads.flatMap((t) => t.messages);
}

// ---------------------------------------------------------------------------------------------

for (const backend of backends()) {
  describe.skipIf(!backend.available)(backendTitle("the real adapters through the desk", backend), () => {
    const opened: Opened[] = [];
    beforeAll(() => backend.start());
    afterAll(() => backend.stop());
    afterEach(async () => {
      for (const o of opened.splice(0)) await o.cleanup();
    });
    async function open(): Promise<Opened> {
      const o = await backend.open();
      opened.push(o);
      return o;
    }

    it("keeps what customers and agents send even when it holds what PostgreSQL refuses (NUL, half an emoji, keys past the index limit)", async () => {
      const compareOn = async (store: Store) => {
        const clock = manualClock(T0);
        const chat = memoryChannel({ id: "webchat", capabilities: { deliveryReceipts: true } });
        const desk = deskOn(store, clock, [chat]);
        const from = { identities: [{ kind: "webchat" as const, value: "v-1" }], name: "김\u0000민수" };
        const a = await desk.ingest({ type: "message", channel: "webchat", externalId: "m\u00001", occurredAt: T0, from, text: "교환 \ud83d 언제\u0000요", conversationKey: "제목".repeat(450), meta: { title: "\udc00x", "k\u0000": 1 } });
        const b = await desk.ingest({ type: "message", channel: "webchat", externalId: "메".repeat(950), occurredAt: T0, from, text: "두 번째", conversationKey: "c2" });
        const id = a.ticket!.id;
        await desk.reply(id, { text: "a\u0000b \ud83d", agentId: "agent-1" });
        await desk.note(id, { text: "note\u0000", agentId: "agent-1" });
        await desk.setTags(id, ["a\u0000b"], { agentId: "agent-1" });
        await desk.recordEvent(id, "x.y", { s: "a\u0000", t: "\ud800" });
        const receipt = await desk.ingest({ type: "delivery", channel: "webchat", externalId: "x".repeat(3000), status: "failed", occurredAt: T0, error: { code: "E\u0000", title: "bad \ud83d" } });
        return { desk, a, b, receipt };
      };
      const o = await open();
      const mem = await compareOn(memoryStore());
      const pg = await compareOn(o.store);
      expect(pg.a.outcome).toBe("created");
      expect(pg.b.outcome).toBe("created");
      expect(pg.receipt.outcome).toBe("parked");
      const snapPg = await snapshot(pg.desk, o.store);
      expect(snapPg).toEqual(await snapshot(mem.desk, (mem.desk as unknown as { store: Store }).store));
      const texts = messagesOf(snapPg).map((m) => m.text);
      expect(texts).toEqual(expect.arrayContaining(["교환 \ufffd 언제요", "두 번째"]));
    });

    it("stores the email fixtures (DSN bounce, Apple Mail attachment with invalid bytes, EUC-KR, ISO-2022-KR, webhook, reply) exactly as the memory store does", async () => {
      const { memory, postgres } = await compare(emailScenario, await open());
      expect(postgres).toEqual(memory);
      const messages = messagesOf(postgres);
      // PostgreSQL lists oldest first, ties in insertion order (the Store port's contract).
      const o = opened[0]!;
      for (const t of postgres.tickets) {
        const listed = await o.store.listMessages(t.id);
        expect(listed.map((m) => m.createdAt.getTime())).toEqual(listed.map((m) => m.createdAt.getTime()).sort((x, y) => x - y));
      }
      // The attachment with invalid bytes keeps its exact bytes (base64) and the EUC-KR mail its Korean text and filename.
      expect(messages.some((m) => m.attachments.some((a) => a.contentBase64 !== null && a.contentBase64.length > 0))).toBe(true);
      expect(messages.find((m) => m.externalId === "20261125091203.euckr.0042@hanmail.net")).toMatchObject({
        text: expect.stringContaining("270mm로 바꿔주세요"),
        attachments: [{ filename: "영수증.txt", contentType: "text/plain", contentBase64: "v7W89sH1OiA4OSwwMDC/+A0K" }],
      });
      expect(messages.find((m) => m.externalId === "iso2022kr-1@hanmail.net")?.text).toContain("환불은 언제 되나요?");
      expect(messages.find((m) => m.direction === "outbound" && !m.automatic)).toMatchObject({ html: "<p>확인했습니다.</p>", deliveryStatus: "sent" });
      expect((postgres.extra as { outcomes: string[] }).outcomes).toContain("webhook 200");
      // The webhook sender wrote KIM@Example.com: found under any case, stored lower-cased.
      expect(postgres.customers.find((c) => c?.identities.some((i) => i.value === "kim@example.com"))).toBeDefined();
    });

    it("keeps a DSN bounce for a mail not yet recorded as a parked receipt that reads back the same", async () => {
      const o = await open();
      const { memory, postgres } = await compare(emailScenario, o);
      expect(postgres.extra).toEqual(memory.extra);
      const { rows } = await o.raw(`SELECT namespace, key, value FROM "${o.store.schema}".records WHERE namespace = 'desk.early-receipt'`);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(String(row.key)).not.toContain("\u0000");
      const mem = memoryStore();
      await emailScenario(mem);
      for (const row of rows) expect(await mem.getRecord(String(row.namespace), String(row.key), new Date(0))).toMatchObject({ value: row.value });
    });

    it("stores the WhatsApp fixtures, a reply sent through the Graph API and its receipts exactly as the memory store does", async () => {
      const { memory, postgres } = await compare(whatsappScenario, await open());
      expect(postgres).toEqual(memory);
      expect((postgres.extra as { statuses: number[] }).statuses.every((s) => s === 200)).toBe(true);
      const messages = messagesOf(postgres);
      expect(messages.find((m) => m.externalId === "wamid.OUT1")).toMatchObject({ direction: "outbound", deliveryStatus: "read" });
      // Media, location and interactive payloads keep their provider facts in meta.
      expect(messages.some((m) => m.attachments.some((a) => a.providerId !== null))).toBe(true);
      expect(messages.some((m) => typeof m.meta.location === "object" && m.meta.location !== null)).toBe(true);
    });

    it("stores Messenger and Instagram DMs, comments and an echo exactly as the memory store does", async () => {
      const { memory, postgres } = await compare(metaScenario, await open());
      expect(postgres).toEqual(memory);
      expect((postgres.extra as { statuses: number[] }).statuses.every((s) => s === 200)).toBe(true);
      expect(postgres.tickets.map((t) => `${t.channel}/${t.kind}`).sort()).toEqual(memory.tickets.map((t) => `${t.channel}/${t.kind}`).sort());
      expect(postgres.tickets.some((t) => t.kind === "comment")).toBe(true);
      // The echo is not a second copy of the reply.
      expect(messagesOf(postgres).filter((m) => m.externalId === "m_OUT1")).toHaveLength(1);
    });

    it("fires SLA timers from the jobs table through runDue and records the breach, as on the memory store", async () => {
      const scenario: Scenario = async (store) => {
        const clock = manualClock(T0);
        const chat = memoryChannel({ id: "webchat" });
        const desk = deskOn(store, clock, [chat]);
        const notices: string[] = [];
        desk.on("sla.warning", ({ metric }) => notices.push(`warning ${metric}`));
        desk.on("sla.breached", ({ metric }) => notices.push(`breached ${metric}`));
        await desk.ingest({ type: "message", channel: "webchat", externalId: "sla-1", occurredAt: T0, from: { identities: [{ kind: "email", value: "kim@example.com" }] }, text: "환불 언제 돼요? 너무 늦어요" });
        const ran: number[] = [];
        for (let h = 0; h < 30; h++) {
          clock.advance(3_600_000);
          ran.push((await desk.runDue()).ran);
        }
        return { desk, extra: { notices, ran } };
      };
      const { memory, postgres } = await compare(scenario, await open());
      expect(postgres).toEqual(memory);
      expect((postgres.extra as { notices: string[] }).notices).toContain("breached first_reply");
      expect((postgres.extra as { ran: number[] }).ran.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      expect(postgres.threads[0]!.events.some((e) => e.type === "sla.breached")).toBe(true);
    });

    it("runs a complaint, a merge and a follow-up with the same messages, order and audit log as the memory store", async () => {
      const scenario: Scenario = async (store) => {
        const clock = manualClock(T0);
        const chat = memoryChannel({ id: "webchat" });
        const desk = deskOn(store, clock, [chat], { autoAcknowledge: true });
        const from = { identities: [{ kind: "email" as const, value: "kim@example.com" }], name: "김민지" };
        const a = await desk.ingest({ type: "message", channel: "webchat", externalId: "c-1", occurredAt: clock.now(), from, text: "상품이 파손되어 왔어요. 너무 화가 나네요. 환불해 주세요." });
        const b = await desk.ingest({ type: "message", channel: "webchat", externalId: "c-2", occurredAt: clock.now(), from, text: "사진 첨부합니다", attachments: [{ contentType: "image/jpeg", filename: "파손.jpg", size: 3, contentBase64: "/9j/" }] });
        // Same instant on both tickets: the merged order must be the same on every store.
        await desk.reply(b.ticket!.id, { text: "확인 중입니다.", agentId: "agent-1" });
        clock.advance(60_000);
        await desk.merge(b.ticket!.id, a.ticket!.id, { agentId: "agent-1" });
        await desk.note(a.ticket!.id, { text: "사진 확인, 교환 진행", agentId: "agent-1" });
        await desk.setStatus(a.ticket!.id, "solved", { agentId: "agent-1" });
        clock.advance(2 * 3_600_000);
        await desk.runDue();
        const late = await desk.ingest({ type: "message", channel: "webchat", externalId: "c-3", occurredAt: clock.now(), from, text: "감사합니다! 잘 받았어요" });
        clock.advance(200 * 3_600_000);
        await desk.runDue();
        const after = await desk.ingest({ type: "message", channel: "webchat", externalId: "c-4", occurredAt: clock.now(), from, text: "또 문제가 생겼어요" });
        return { desk, extra: { outcomes: [a.outcome, b.outcome, late.outcome, after.outcome], sent: chat.sent.length } };
      };
      const { memory, postgres } = await compare(scenario, await open());
      expect(postgres).toEqual(memory);
      expect(postgres.tickets.some((t) => t.mergedInto !== null)).toBe(true);
    });

    it("erases everything about a customer on customers/redact and exports it on customers/data_request", async () => {
      const o = await open();
      const clock = manualClock(new Date("2026-03-03T00:00:00Z"));
      const email = memoryChannel({ id: "email" });
      const desk = deskOn(o.store, clock, [email]);
      const exports: unknown[] = [];
      const handle = shopifyWebhooks({ secret: SHOPIFY_SECRET, store: o.store, desk, clock, onDataRequest: ({ exports: e }) => { exports.push(...e); } });
      const post = async (topic: string, file: string) => {
        const body = readFileSync(SHOPIFY_FIXTURES + file, "utf8");
        return handle(new Request("https://support.example.com/webhooks/shopify", { method: "POST", body, headers: {
          "content-type": "application/json", "x-shopify-topic": topic, "x-shopify-webhook-id": `wh-${topic}`, "x-shopify-shop-domain": "example-shop.myshopify.com",
          "x-shopify-api-version": "2025-10", "x-shopify-hmac-sha256": signHmac(body, SHOPIFY_SECRET, "base64"),
        } }));
      };
      await desk.ingest({ type: "message", channel: "email", externalId: "kim-1", occurredAt: clock.now(), from: { identities: [{ kind: "email", value: "Kim@Example.com" }], name: "Minji Kim" }, subject: "Order #1001", text: "Where is my order #1001?" });
      for (const [topic, file] of [["orders/create", "webhook-orders-create.json"], ["fulfillments/create", "webhook-fulfillments-create.json"]] as const) {
        expect((await post(topic, file)).status).toBe(200);
      }
      expect((await post("customers/data_request", "webhook-customers-data_request.json")).status).toBe(200);
      expect(JSON.stringify(exports)).toContain("Where is my order #1001?");

      expect((await post("customers/redact", "webhook-customers-redact.json")).status).toBe(200);
      expect(await desk.findCustomer({ kind: "email", value: "kim@example.com" })).toBeNull();
      const s = `"${o.store.schema}"`;
      for (const table of ["customers", "customer_identities", "tickets", "messages", "ticket_events", "jobs"]) {
        const { rows } = await o.raw(`SELECT t::text AS row FROM ${s}.${table} t`);
        expect(rows.filter((r) => /kim@example\.com|Minji|order #1001/i.test(String(r.row))), `${table} still holds the customer`).toEqual([]);
      }
    });
  });
}

/** The 100-duplicates case needs real concurrent connections: the server only. */
const server100: Backend | undefined = backends().find((b) => b.name.startsWith("PostgreSQL server"));
describe.skipIf(!server100?.available)(
  `one message delivered 100 times at once through the desk on the PostgreSQL server${server100?.available ? "" : " (skipped: set DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test)"}`,
  () => {
    it("stores it once, with one ticket, one customer and one acknowledgement", async () => {
      const o = await server100!.open();
      try {
        const clock = manualClock(T0);
        const chat = memoryChannel({ id: "webchat" });
        // Several desks, as several instances behind a load balancer would be.
        const desks = Array.from({ length: 5 }, (_, i) => createDesk({ store: o.store, clock, channels: [chat], workerId: `w${i}` }));
        const event = { type: "message" as const, channel: "webchat", externalId: "dup-1", occurredAt: T0, from: { identities: [{ kind: "email" as const, value: "kim@example.com" }] }, text: "배송 언제 와요?" };
        const results = await Promise.all(Array.from({ length: 100 }, (_, i) => desks[i % desks.length]!.ingest(event)));
        expect(results.filter((r) => r.outcome === "created")).toHaveLength(1);
        expect(results.filter((r) => r.outcome === "duplicate")).toHaveLength(99);
        const tickets = await desks[0]!.listTickets({});
        expect(tickets).toHaveLength(1);
        expect((await desks[0]!.listMessages(tickets[0]!.id)).filter((m) => m.direction === "inbound")).toHaveLength(1);
        expect(chat.sent).toHaveLength(1);
        const { rows } = await o.raw(`SELECT count(*)::int AS n FROM "${o.store.schema}".customers`);
        expect(rows[0]!.n).toBe(1);
      } finally {
        await o.cleanup();
      }
    });
  },
);
