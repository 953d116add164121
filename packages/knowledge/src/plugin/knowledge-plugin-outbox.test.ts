/**
 * The bot's answers through the outbox: decided in the ingest transaction and written `queued`
 * with the customer's message, so an instance that dies right after the commit loses no answer —
 * a desk started afterwards on the same store sends it, exactly once (memory store and PGlite).
 */
import {
  createDesk,
  manualClock,
  memoryStore,
  type ChannelAdapter,
  type InboundEventInput,
  type Store,
} from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { describe, expect, it, vi } from "vitest";
import { koreanArticles, SHOP_FAQ } from "../../test-fixtures/shop-faq.js";
import { dyingStore } from "../../test/dying-store.js";
import { storeKinds } from "../../test/stores.js";
import { knowledgePlugin } from "./knowledge-plugin.js";

const T0 = new Date("2026-12-01T02:00:00Z"); // Tuesday 11:00 KST
const LEASE_PASSED = new Date(T0.getTime() + 61_000); // the dead instance's outbox lease (60 s) is over

async function seed(desk: ReturnType<typeof deskOn>) {
  await desk.knowledge.base.articles.importMany(
    koreanArticles(SHOP_FAQ.filter((f) => ["ship-fee", "exchange-how"].includes(f.id))),
  );
}

function deskOn(store: Store, chat: ChannelAdapter, workerId: string) {
  return createDesk({
    store,
    clock: manualClock(T0),
    channels: [chat],
    workerId,
    plugins: [knowledgePlugin({ bot: { channels: ["webchat"] } })],
  });
}

let n = 0;
const from = (who: string, text: string, meta: Record<string, unknown> = {}): InboundEventInput => ({
  type: "message",
  channel: "webchat",
  externalId: `kb-outbox-${++n}`,
  occurredAt: T0,
  conversationKey: `webchat:${who}`,
  from: { identities: [{ kind: "email", value: `${who}@example.com` }] },
  text,
  meta,
});

describe.each(storeKinds().filter((k) => k.available))("the bot's answers in the outbox on $name", (kind) => {
  it("a crash right after a new ticket's commit still delivers the bot's answer, once, with its buttons", async () => {
    const opened = await kind.open();
    try {
      const dying = dyingStore(opened.store);
      const first = dying.channel(memoryChannel({ id: "webchat" }));
      const a = deskOn(dying.store, first, "first");
      await seed(a);
      dying.arm();
      void a.ingest(from("minji", "교환신청어떻게해요"));
      await vi.waitFor(() => expect(dying.dead).toBe(true));

      const chat = memoryChannel({ id: "webchat" });
      const b = deskOn(opened.store, chat, "restarted");
      const [ticket] = await b.listTickets({});
      expect(ticket!.meta.firstContact).toBe("knowledge");
      const queued = (await b.listMessages(ticket!.id)).filter((m) => m.direction === "outbound");
      expect(queued).toMatchObject([{ authorKind: "bot", automatic: true, deliveryStatus: "queued" }]);
      const answered = (await b.listEvents(ticket!.id)).find((e) => e.type === "bot.answered");
      expect(answered).toMatchObject({
        actor: { kind: "bot" },
        data: { trigger: "confident_article", articleId: "exchange-how", messageId: queued[0]!.id },
      });

      await b.runDue(LEASE_PASSED);
      await b.runDue(new Date(LEASE_PASSED.getTime() + 3_600_000));
      expect(chat.sent).toHaveLength(1);
      expect(chat.sent[0]).toMatchObject({ messageId: queued[0]!.id, automatic: true });
      expect(chat.sent[0]!.text).toContain("교환 신청");
      expect(chat.sent[0]!.options).toEqual({
        quickReplies: [
          { id: "kb:helpful:yes:exchange-how", title: "예" },
          { id: "kb:helpful:no:exchange-how", title: "아니요" },
        ],
      });
      const [sent] = (await b.listMessages(ticket!.id)).filter((m) => m.direction === "outbound");
      expect(sent).toMatchObject({ authorKind: "bot", deliveryStatus: "sent" });
      await b.close();
    } finally {
      await opened.close();
    }
  }, 60_000);

  it("a crash right after a follow-up's commit still delivers the hand-off, once, with its event and tag", async () => {
    const opened = await kind.open();
    try {
      const dying = dyingStore(opened.store);
      const first = dying.channel(memoryChannel({ id: "webchat" }));
      const a = deskOn(dying.store, first, "first");
      await seed(a);
      const { ticket } = await a.ingest(from("jiho", "배송비는 얼마인가요"));
      await a.knowledge.bot!.idle();
      await a.settle();
      dying.arm();
      void a.ingest(from("jiho", "아니요", { quickReply: { id: "kb:helpful:no:ship-fee" } }));
      await vi.waitFor(() => expect(dying.dead).toBe(true));

      const chat = memoryChannel({ id: "webchat" });
      const b = deskOn(opened.store, chat, "restarted");
      const handoff = (await b.listEvents(ticket!.id)).find((e) => e.type === "bot.handoff");
      expect(handoff).toMatchObject({ data: { trigger: "not_helpful", articleId: "ship-fee" } });
      expect((await b.getTicket(ticket!.id)).tags).toContain("bot-handoff");
      await b.runDue(LEASE_PASSED);
      await b.runDue(new Date(LEASE_PASSED.getTime() + 3_600_000));
      expect(chat.sent).toHaveLength(1);
      expect(chat.sent[0]!.messageId).toBe(handoff!.data.messageId);
      expect(chat.sent[0]!.text).toContain("상담원");
      const outbound = (await b.listMessages(ticket!.id)).filter((m) => m.direction === "outbound");
      expect(outbound.map((m) => [m.authorKind, m.deliveryStatus])).toEqual([
        ["bot", "sent"],
        ["bot", "sent"],
      ]);
      await b.close();
    } finally {
      await opened.close();
    }
  }, 60_000);
});

describe("the bot's answers in the outbox", () => {
  it("a new ticket's answer does not wait for a slow commerce provider past the after-commit budget", async () => {
    const chat = memoryChannel({ id: "webchat" });
    const desk = createDesk({
      store: memoryStore(),
      clock: manualClock(T0),
      channels: [chat],
      commerce: {
        specVersion: 1,
        id: "slow",
        customerContext: () => new Promise((resolve) => setTimeout(() => resolve(null), 1_000)),
        getOrder: async () => null,
        performAction: async () => {
          throw new Error("not in this test");
        },
      },
      commerceContext: { budgetMs: 50 },
      plugins: [knowledgePlugin({ bot: { channels: ["webchat"] } })],
    });
    await seed(desk);
    const { ticket } = await desk.ingest(from("quick", "교환신청어떻게해요"));
    await desk.settle();
    // The answer went out with the ingest, not after the provider answered in the background.
    expect(chat.sent).toHaveLength(1);
    expect((await desk.listMessages(ticket!.id)).filter((m) => m.direction === "outbound")).toMatchObject([
      { authorKind: "bot", deliveryStatus: "sent" },
    ]);
    await desk.close();
  });
});
