/**
 * The real channel adapters through `createDesk` on `postgresStore`, compared with the
 * memory store: whatever the adapters put into messages, meta, attachments, events,
 * jobs and idempotency records must be stored and read back exactly as the memory store
 * does. Runs on PGlite always and on the server at DATABASE_URL when it is set.
 *
 * The adapters are imported from their sources by relative path: this package does not
 * (and should not) depend on them at run time.
 *
 * The scenarios are in desk-integration-kit.ts; the 100 concurrent deliveries in
 * desk-integration-concurrency.test.ts.
 */
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { manualClock, memoryStore, signHmac, type Store } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { shopifyWebhooks } from "../../shopify/src/index.js";
import { backends, backendTitle, type Opened } from "./helpers.js";
import {
  SHOPIFY_FIXTURES,
  SHOPIFY_SECRET,
  T0,
  server,
  snapshot,
  compare,
  deskOn,
  emailScenario,
  whatsappScenario,
  metaScenario,
  messagesOf,
} from "./desk-integration-kit.js";
import type { Scenario } from "./desk-integration-kit.js";

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

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
        const a = await desk.ingest({
          type: "message",
          channel: "webchat",
          externalId: "m\u00001",
          occurredAt: T0,
          from,
          text: "교환 \ud83d 언제\u0000요",
          conversationKey: "제목".repeat(450),
          meta: { title: "\udc00x", "k\u0000": 1 },
        });
        const b = await desk.ingest({
          type: "message",
          channel: "webchat",
          externalId: "메".repeat(950),
          occurredAt: T0,
          from,
          text: "두 번째",
          conversationKey: "c2",
        });
        const id = a.ticket!.id;
        await desk.reply(id, { text: "a\u0000b \ud83d", agentId: "agent-1" });
        await desk.note(id, { text: "note\u0000", agentId: "agent-1" });
        await desk.setTags(id, ["a\u0000b"], { agentId: "agent-1" });
        await desk.recordEvent(id, "x.y", { s: "a\u0000", t: "\ud800" });
        const receipt = await desk.ingest({
          type: "delivery",
          channel: "webchat",
          externalId: "x".repeat(3000),
          status: "failed",
          occurredAt: T0,
          error: { code: "E\u0000", title: "bad \ud83d" },
        });
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
        expect(listed.map((m) => m.createdAt.getTime())).toEqual(
          listed.map((m) => m.createdAt.getTime()).sort((x, y) => x - y),
        );
      }
      // The attachment with invalid bytes keeps its exact bytes (base64) and the EUC-KR mail its Korean text and filename.
      expect(
        messages.some((m) => m.attachments.some((a) => a.contentBase64 !== null && a.contentBase64.length > 0)),
      ).toBe(true);
      expect(messages.find((m) => m.externalId === "20261125091203.euckr.0042@hanmail.net")).toMatchObject({
        text: expect.stringContaining("270mm로 바꿔주세요"),
        attachments: [{ filename: "영수증.txt", contentType: "text/plain", contentBase64: "v7W89sH1OiA4OSwwMDC/+A0K" }],
      });
      expect(messages.find((m) => m.externalId === "iso2022kr-1@hanmail.net")?.text).toContain("환불은 언제 되나요?");
      expect(messages.find((m) => m.direction === "outbound" && !m.automatic)).toMatchObject({
        html: "<p>확인했습니다.</p>",
        deliveryStatus: "sent",
      });
      expect((postgres.extra as { outcomes: string[] }).outcomes).toContain("webhook 200");
      // The webhook sender wrote KIM@Example.com: found under any case, stored lower-cased.
      expect(postgres.customers.find((c) => c?.identities.some((i) => i.value === "kim@example.com"))).toBeDefined();
    });

    it("keeps a DSN bounce for a mail not yet recorded as a parked receipt that reads back the same", async () => {
      const o = await open();
      const { memory, postgres } = await compare(emailScenario, o);
      expect(postgres.extra).toEqual(memory.extra);
      const { rows } = await o.raw(
        `SELECT namespace, key, value FROM "${o.store.schema}".records WHERE namespace = 'desk.early-receipt'`,
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(String(row.key)).not.toContain("\u0000");
      const mem = memoryStore();
      await emailScenario(mem);
      for (const row of rows)
        expect(await mem.getRecord(String(row.namespace), String(row.key), new Date(0))).toMatchObject({
          value: row.value,
        });
    });

    it("stores the WhatsApp fixtures, a reply sent through the Graph API and its receipts exactly as the memory store does", async () => {
      const { memory, postgres } = await compare(whatsappScenario, await open());
      expect(postgres).toEqual(memory);
      expect((postgres.extra as { statuses: number[] }).statuses.every((s) => s === 200)).toBe(true);
      const messages = messagesOf(postgres);
      expect(messages.find((m) => m.externalId === "wamid.OUT1")).toMatchObject({
        direction: "outbound",
        deliveryStatus: "read",
      });
      // Media, location and interactive payloads keep their provider facts in meta.
      expect(messages.some((m) => m.attachments.some((a) => a.providerId !== null))).toBe(true);
      expect(messages.some((m) => typeof m.meta.location === "object" && m.meta.location !== null)).toBe(true);
    });

    it("stores Messenger and Instagram DMs, comments and an echo exactly as the memory store does", async () => {
      const { memory, postgres } = await compare(metaScenario, await open());
      expect(postgres).toEqual(memory);
      expect((postgres.extra as { statuses: number[] }).statuses.every((s) => s === 200)).toBe(true);
      expect(postgres.tickets.map((t) => `${t.channel}/${t.kind}`).sort()).toEqual(
        memory.tickets.map((t) => `${t.channel}/${t.kind}`).sort(),
      );
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
        await desk.ingest({
          type: "message",
          channel: "webchat",
          externalId: "sla-1",
          occurredAt: T0,
          from: { identities: [{ kind: "email", value: "kim@example.com" }] },
          text: "환불 언제 돼요? 너무 늦어요",
        });
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
        const a = await desk.ingest({
          type: "message",
          channel: "webchat",
          externalId: "c-1",
          occurredAt: clock.now(),
          from,
          text: "상품이 파손되어 왔어요. 너무 화가 나네요. 환불해 주세요.",
        });
        const b = await desk.ingest({
          type: "message",
          channel: "webchat",
          externalId: "c-2",
          occurredAt: clock.now(),
          from,
          text: "사진 첨부합니다",
          attachments: [{ contentType: "image/jpeg", filename: "파손.jpg", size: 3, contentBase64: "/9j/" }],
        });
        // Same instant on both tickets: the merged order must be the same on every store.
        await desk.reply(b.ticket!.id, { text: "확인 중입니다.", agentId: "agent-1" });
        clock.advance(60_000);
        await desk.merge(b.ticket!.id, a.ticket!.id, { agentId: "agent-1" });
        await desk.note(a.ticket!.id, { text: "사진 확인, 교환 진행", agentId: "agent-1" });
        await desk.setStatus(a.ticket!.id, "solved", { agentId: "agent-1" });
        clock.advance(2 * 3_600_000);
        await desk.runDue();
        const late = await desk.ingest({
          type: "message",
          channel: "webchat",
          externalId: "c-3",
          occurredAt: clock.now(),
          from,
          text: "감사합니다! 잘 받았어요",
        });
        clock.advance(200 * 3_600_000);
        await desk.runDue();
        const after = await desk.ingest({
          type: "message",
          channel: "webchat",
          externalId: "c-4",
          occurredAt: clock.now(),
          from,
          text: "또 문제가 생겼어요",
        });
        return {
          desk,
          extra: { outcomes: [a.outcome, b.outcome, late.outcome, after.outcome], sent: chat.sent.length },
        };
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
      const handle = shopifyWebhooks({
        secret: SHOPIFY_SECRET,
        store: o.store,
        desk,
        clock,
        onDataRequest: ({ exports: e }) => {
          exports.push(...e);
        },
      });
      const post = async (topic: string, file: string) => {
        const body = readFileSync(SHOPIFY_FIXTURES + file, "utf8");
        return handle(
          new Request("https://support.example.com/webhooks/shopify", {
            method: "POST",
            body,
            headers: {
              "content-type": "application/json",
              "x-shopify-topic": topic,
              "x-shopify-webhook-id": `wh-${topic}`,
              "x-shopify-shop-domain": "example-shop.myshopify.com",
              "x-shopify-api-version": "2025-10",
              "x-shopify-hmac-sha256": signHmac(body, SHOPIFY_SECRET, "base64"),
            },
          }),
        );
      };
      await desk.ingest({
        type: "message",
        channel: "email",
        externalId: "kim-1",
        occurredAt: clock.now(),
        from: { identities: [{ kind: "email", value: "Kim@Example.com" }], name: "Minji Kim" },
        subject: "Order #1001",
        text: "Where is my order #1001?",
      });
      for (const [topic, file] of [
        ["orders/create", "webhook-orders-create.json"],
        ["fulfillments/create", "webhook-fulfillments-create.json"],
      ] as const) {
        expect((await post(topic, file)).status).toBe(200);
      }
      expect((await post("customers/data_request", "webhook-customers-data_request.json")).status).toBe(200);
      expect(JSON.stringify(exports)).toContain("Where is my order #1001?");

      expect((await post("customers/redact", "webhook-customers-redact.json")).status).toBe(200);
      expect(await desk.findCustomer({ kind: "email", value: "kim@example.com" })).toBeNull();
      const s = `"${o.store.schema}"`;
      for (const table of ["customers", "customer_identities", "tickets", "messages", "ticket_events", "jobs"]) {
        const { rows } = await o.raw(`SELECT t::text AS row FROM ${s}.${table} t`);
        expect(
          rows.filter((r) => /kim@example\.com|Minji|order #1001/i.test(String(r.row))),
          `${table} still holds the customer`,
        ).toEqual([]);
      }
    });
  });
}
