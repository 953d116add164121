/**
 * Deferred bot turns are durable: the turns that run after the ingest's commit (an order question,
 * a generated answer, a message too long to search) have a `knowledge.turn` job scheduled in the
 * ingest transaction. A process that dies right after the commit loses no turn: a desk started
 * later on the same store takes it on `runDue`, exactly once; the normal path takes it once and
 * leaves no job; a person's reply in between makes the job do nothing (memory store and PGlite).
 */
import {
  createDesk,
  manualClock,
  type ChannelAdapter,
  type CommerceProvider,
  type CustomerContext,
  type InboundEventInput,
  type Store,
} from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { describe, expect, it, vi } from "vitest";
import { koreanArticles, SHOP_FAQ } from "../../test-fixtures/shop-faq.js";
import { dyingStore } from "../../test/dying-store.js";
import { storeKinds } from "../../test/stores.js";
import type { BotConfigInput, GenerateAnswer } from "../bot/bot-config.js";
import { botReplyId, TURN_JOB, TURNS_META } from "./deferred-turn.js";
import { knowledgePlugin } from "./knowledge-plugin.js";

const T0 = new Date("2026-12-01T02:00:00Z"); // Tuesday 11:00 KST
const at = (ms: number) => new Date(T0.getTime() + ms);
const GRACE_PASSED = at(61_000); // past the turn's grace (30 s) and the dead instance's outbox lease (60 s)

const context = (email: string): CustomerContext => ({
  providerCustomerId: email,
  name: null,
  email,
  phone: null,
  ordersCount: 1,
  totalSpent: 59_000,
  currency: "KRW",
  lastOrderAt: "2026-11-29T00:00:00Z",
  fetchedAt: "2026-12-01T00:00:00Z",
  recentOrders: [
    {
      id: "o1",
      name: "#1001",
      createdAt: "2026-11-29T00:00:00Z",
      currency: "KRW",
      total: 59000,
      financialStatus: "PAID",
      fulfillmentStatus: "FULFILLED",
      cancelledAt: null,
      lines: [],
      shipments: [
        {
          id: "s1",
          status: "IN_TRANSIT",
          carrier: "CJ대한통운",
          trackingNumber: "123456789",
          trackingUrl: "https://trace.example/123456789",
          estimatedDelivery: null,
          updatedAt: null,
        },
      ],
    },
  ],
});
const commerce: CommerceProvider = {
  specVersion: 1,
  id: "fake",
  customerContext: async ({ email }) => (email ? context(email) : null),
  getOrder: async () => null,
  performAction: async () => {
    throw new Error("not in this test");
  },
};
const grounded: GenerateAnswer = async () => ({
  text: "교환은 마이페이지 > 주문내역에서 신청해 주세요.",
  citedArticleIds: ["exchange-how"],
});

/** The kinds of deferred turn, with what the bot says to each. */
const CASES: ReadonlyArray<{
  name: string;
  text: string;
  bot?: BotConfigInput;
  /** false: a desk without a generate hook. */
  model?: false;
  event: { type: string; trigger: string };
  says: string;
}> = [
  {
    name: "an order question",
    text: "택배 언제 와요? 주문번호 1001",
    event: { type: "bot.answered", trigger: "order_status" },
    says: "주문 #1001: 배송 중",
  },
  {
    name: "a generated answer",
    text: "교환신청어떻게해요",
    event: { type: "bot.answered", trigger: "generated_answer" },
    says: "교환은 마이페이지",
  },
  {
    name: "a message too long to search",
    text: `주문한 옷 사이즈가 안 맞아서요. ${"정말 길게 설명드리면 ".repeat(500)}`,
    event: { type: "bot.handoff", trigger: "too_long" },
    says: "상담원",
  },
  {
    name: "a customer who is a VIP by total spent",
    text: "교환신청어떻게해요",
    // No model: deferred only because the commerce total may make the customer a VIP.
    bot: { vip: { attribute: "vip", totalSpentAtLeast: 50_000 } },
    model: false,
    event: { type: "bot.handoff", trigger: "vip" },
    says: "상담원",
  },
];

function deskOn(
  store: Store,
  chat: ChannelAdapter,
  workerId: string,
  /** `generate: null`: no model (the default is a grounded one). */
  opts: { generate?: GenerateAnswer | null; budgetMs?: number; bot?: BotConfigInput } = {},
) {
  return createDesk({
    store,
    clock: manualClock(T0),
    channels: [chat],
    workerId,
    commerce,
    ...(opts.budgetMs ? { commerceContext: { budgetMs: opts.budgetMs } } : {}),
    plugins: [
      knowledgePlugin({
        bot: { channels: ["webchat"], ...opts.bot },
        ...(opts.generate === null ? {} : { generate: opts.generate ?? grounded }),
      }),
    ],
  });
}

async function seed(desk: ReturnType<typeof deskOn>) {
  await desk.knowledge.base.articles.importMany(
    koreanArticles(SHOP_FAQ.filter((f) => ["ship-fee", "exchange-how"].includes(f.id))),
  );
}

/** The desk options of a case. */
const optsOf = (c: Partial<(typeof CASES)[number]>) => ({
  ...(c.bot ? { bot: c.bot } : {}),
  ...(c.model === false ? { generate: null } : {}),
});

let n = 0;
const from = (who: string, text: string): InboundEventInput => ({
  type: "message",
  channel: "webchat",
  externalId: `kb-deferred-${++n}`,
  occurredAt: T0,
  conversationKey: `webchat:${who}`,
  from: { identities: [{ kind: "email", value: `${who}@example.com` }] },
  text,
});

/** The bot's audit events and messages on a ticket, and its pending turn jobs. */
async function botTrail(desk: ReturnType<typeof deskOn>, ticketId: string) {
  const events = (await desk.listEvents(ticketId)).filter((e) => e.type.startsWith("bot."));
  const messages = (await desk.listMessages(ticketId)).filter((m) => m.direction === "outbound");
  const jobs = (await desk.store.listJobs({ ticketId })).filter((j) => j.type === TURN_JOB);
  return { events, bot: messages.filter((m) => m.authorKind === "bot"), messages, jobs };
}

/** Ingests `text` on a desk that dies right after the ingest's commit; returns its ticket id. */
async function crashAfterCommit(store: Store, text: string, who: string, c: Partial<(typeof CASES)[number]> = {}) {
  const dying = dyingStore(store);
  const a = deskOn(dying.store, dying.channel(memoryChannel({ id: "webchat" })), "first", optsOf(c));
  await seed(a);
  dying.arm();
  void a.ingest(from(who, text));
  await vi.waitFor(() => expect(dying.dead).toBe(true));
  const [ticket] = await store.listTickets({ conversationKey: `webchat:${who}` });
  return ticket!.id;
}

describe.each(storeKinds().filter((k) => k.available))("durable deferred bot turns on $name", (kind) => {
  it.each(CASES)(
    "$name: a crash right after the commit loses no turn; a later desk's runDue takes it once",
    async (c) => {
      const opened = await kind.open();
      try {
        const ticketId = await crashAfterCommit(opened.store, c.text, `crash-${c.event.trigger}`, c);
        const chat = memoryChannel({ id: "webchat" });
        const b = deskOn(opened.store, chat, "restarted", optsOf(c));
        // The ingest's commit holds the job; nothing else happened yet.
        const before = await botTrail(b, ticketId);
        expect(before.jobs).toHaveLength(1);
        expect(before.events).toEqual([]);

        await b.runDue(GRACE_PASSED);
        // The job's answer is sent in the background right after its commit (the outbox's lease).
        await b.settle();
        await b.runDue(at(3_600_000));
        await b.settle();
        const after = await botTrail(b, ticketId);
        expect(after.events.map((e) => [e.type, e.data.trigger])).toEqual([[c.event.type, c.event.trigger]]);
        expect(after.bot).toHaveLength(1);
        expect(after.bot[0]).toMatchObject({ deliveryStatus: "sent", id: after.events[0]!.data.messageId });
        expect(after.bot[0]!.text).toContain(c.says);
        expect(chat.sent.filter((m) => m.messageId === after.bot[0]!.id)).toHaveLength(1);
        expect(after.jobs).toEqual([]);
        if (c.event.type === "bot.handoff") expect((await b.getTicket(ticketId)).tags).toContain("bot-handoff");
        await b.close();
      } finally {
        await opened.close();
      }
    },
    60_000,
  );

  it.each(CASES)(
    "$name: the normal path takes the turn once, marked and keyed by the message, and leaves no job",
    async (c) => {
      const opened = await kind.open();
      try {
        const chat = memoryChannel({ id: "webchat" });
        const desk = deskOn(opened.store, chat, "only", optsOf(c));
        await seed(desk);
        const { ticket, message } = await desk.ingest(from(`normal-${c.event.trigger}`, c.text));
        await desk.knowledge.bot!.idle();
        const trail = await botTrail(desk, ticket!.id);
        expect(trail.events.map((e) => [e.type, e.data.trigger])).toEqual([[c.event.type, c.event.trigger]]);
        // The reply's id is derived from the customer's message: a second take could not queue another.
        expect(trail.bot.map((m) => m.id)).toEqual([botReplyId(message!.id)]);
        expect((await desk.getTicket(ticket!.id)).meta[TURNS_META]).toEqual([message!.id]);
        expect(trail.jobs).toEqual([]);

        await desk.runDue(at(3_600_000));
        const later = await botTrail(desk, ticket!.id);
        expect(later.events).toHaveLength(1);
        expect(later.bot).toHaveLength(1);
        expect(chat.sent.filter((m) => m.messageId === trail.bot[0]!.id)).toHaveLength(1);
        await desk.close();
      } finally {
        await opened.close();
      }
    },
    60_000,
  );

  it("a person who answered after the message makes the job do nothing", async () => {
    const opened = await kind.open();
    try {
      const ticketId = await crashAfterCommit(opened.store, CASES[0]!.text, "agent-first");
      const chat = memoryChannel({ id: "webchat" });
      const b = deskOn(opened.store, chat, "restarted");
      expect((await botTrail(b, ticketId)).jobs).toHaveLength(1);
      await b.reply(ticketId, { text: "주문 확인해 드릴게요.", agentId: "kim" });
      await b.runDue(GRACE_PASSED);
      const after = await botTrail(b, ticketId);
      expect(after.events).toEqual([]);
      expect(after.messages.map((m) => m.authorKind)).toEqual(["agent"]);
      expect(after.jobs).toEqual([]);
      await b.close();
    } finally {
      await opened.close();
    }
  }, 60_000);

  it("a model that throws is retried with backoff; one that stays down hands off to a person", async () => {
    const opened = await kind.open();
    try {
      const flaky = await crashAfterCommit(opened.store, "교환신청어떻게해요", "flaky-model");
      const down = await crashAfterCommit(opened.store, "교환 신청 방법 알려주세요", "down-model");
      let flakyCalls = 0;
      const generate: GenerateAnswer = async (question, hits) => {
        if (question.includes("방법") || ++flakyCalls <= 2) throw new Error("model unavailable");
        return grounded(question, hits);
      };
      const chat = memoryChannel({ id: "webchat" });
      const b = deskOn(opened.store, chat, "restarted", { generate });
      const errors: string[] = [];
      b.on("error", ({ context }) => errors.push(context));
      // The first attempts, then each retry as it falls due (30 s, 60 s, 120 s after the last one).
      for (const t of [31_000, 61_000, 121_000, 241_000, 3_600_000]) {
        await b.runDue(at(t));
        await b.settle();
      }
      const answered = await botTrail(b, flaky);
      expect(flakyCalls).toBe(3);
      expect(answered.events.map((e) => [e.type, e.data.trigger])).toEqual([["bot.answered", "generated_answer"]]);
      const handedOff = await botTrail(b, down);
      expect(handedOff.events.map((e) => [e.type, e.data.trigger])).toEqual([["bot.handoff", "bot_unavailable"]]);
      expect(handedOff.bot[0]!.text).toContain("상담원");
      expect((await b.getTicket(down)).tags).toContain("bot-handoff");
      for (const t of [answered, handedOff]) {
        expect(t.bot).toHaveLength(1);
        expect(t.jobs).toEqual([]);
      }
      // Two failed attempts of the flaky one, three of the one that stayed down; no job given up.
      expect(errors.filter((e) => e.startsWith(`job ${TURN_JOB}`))).toHaveLength(5);
      expect((await b.listEvents(down)).some((e) => e.type === "job.abandoned")).toBe(false);
      await b.close();
    } finally {
      await opened.close();
    }
  }, 60_000);

  it("two instances: a slow after-commit turn and another instance's job answer once between them", async () => {
    const opened = await kind.open();
    try {
      let release = () => undefined as void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slow: GenerateAnswer = async (question, hits) => {
        await gate;
        return grounded(question, hits);
      };
      const chatA = memoryChannel({ id: "webchat" });
      const a = deskOn(opened.store, chatA, "a", { generate: slow, budgetMs: 50 });
      await seed(a);
      const { ticket } = await a.ingest(from("two-instances", "교환신청어떻게해요"));
      const chatB = memoryChannel({ id: "webchat" });
      const b = deskOn(opened.store, chatB, "b");
      // Past the grace, instance b's runDue takes the turn while a's model is still thinking.
      await b.runDue(GRACE_PASSED);
      await b.settle();
      release();
      await a.knowledge.bot!.idle();
      const trail = await botTrail(a, ticket!.id);
      expect(trail.events.map((e) => [e.type, e.data.trigger])).toEqual([["bot.answered", "generated_answer"]]);
      expect(trail.bot).toHaveLength(1);
      expect([chatA.sent.length, chatB.sent.length]).toEqual([0, 1]);
      expect(trail.jobs).toEqual([]);
      await a.close();
      await b.close();
    } finally {
      await opened.close();
    }
  }, 60_000);
});
