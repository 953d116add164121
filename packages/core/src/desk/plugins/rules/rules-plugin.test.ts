import { describe, expect, it } from "vitest";
import { createDesk } from "../../create-desk.js";
import { memoryStore } from "../../../store-memory/memory-store.js";
import { memoryChannel } from "../../../testing/memory-channel.js";
import { manualClock } from "../../../ports/clock.js";
import { StoredeskError } from "../../../errors.js";
import type { InboundEventInput } from "../../../domain/inbound.js";
import { rulesPlugin, type RulesPluginOptions } from "./rules-plugin.js";

const T0 = new Date("2026-03-02T01:00:00.000Z");
let n = 0;

function msg(
  text: string,
  who = "visitor-1",
  overrides: Partial<Extract<InboundEventInput, { type: "message" }>> = {},
): InboundEventInput {
  return {
    type: "message",
    channel: "webchat",
    externalId: `ext-${++n}`,
    occurredAt: T0,
    from: { identities: [{ kind: "webchat", value: who }], name: "김민수" },
    text,
    conversationKey: `chat-${who}`,
    ...overrides,
  };
}

function setup(options: RulesPluginOptions = {}, extra: Partial<Parameters<typeof createDesk>[0]> = {}) {
  const store = memoryStore();
  const clock = manualClock(T0);
  const chat = memoryChannel({ id: "webchat" });
  const desk = createDesk({
    store,
    clock,
    channels: [chat],
    autoAcknowledge: false,
    ...extra,
    plugins: [rulesPlugin(options)],
  });
  return { store, clock, chat, desk };
}

describe("rules plugin: stored triggers", () => {
  it("stores, lists, updates and deletes triggers at run time, refusing bad ones by field", async () => {
    const { desk } = setup();
    await desk.rules.create({
      id: "vip",
      title: "VIP",
      events: ["ticket_created"],
      conditions: { type: "customer", field: "vip", value: true },
      actions: [{ type: "set_priority", priority: "high" }],
    });
    await desk.rules.create({
      id: "refund",
      title: "환불",
      events: ["customer_message"],
      conditions: { type: "text", contains: ["환불"] },
      actions: [{ type: "set_team", team: "refunds" }],
    });
    expect((await desk.rules.list()).map((t) => t.id)).toEqual(["vip", "refund"]);
    await expect(
      desk.rules.create({
        id: "vip",
        title: "again",
        events: ["ticket_created"],
        conditions: { type: "customer", field: "vip", value: true },
        actions: [{ type: "set_priority", priority: "high" }],
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      desk.rules.create({
        id: "bad",
        title: "bad",
        events: ["nope" as "ticket_created"],
        conditions: { type: "all", conditions: [] },
        actions: [],
      }),
    ).rejects.toBeInstanceOf(StoredeskError);
    await expect(
      desk.rules.create({
        id: "hook",
        title: "hook",
        events: ["ticket_created"],
        conditions: { type: "customer", field: "vip", value: true },
        actions: [{ type: "notify", url: "https://shop.example/h" }],
      }),
    ).rejects.toThrow(/secret/);
    const updated = await desk.rules.update("vip", { enabled: false });
    expect(updated.enabled).toBe(false);
    expect((await desk.rules.list()).map((t) => t.id)).toEqual(["vip", "refund"]); // keeps its place
    expect(await desk.rules.delete("vip")).toBe(true);
    expect((await desk.rules.list()).map((t) => t.id)).toEqual(["refund"]);
  });

  it("fires on a new ticket in the ingest's own transaction, each action audited with the rule id", async () => {
    const { desk } = setup({
      triggers: [
        {
          id: "refund-ko",
          title: "환불 → refunds",
          events: ["customer_message"],
          conditions: {
            type: "all",
            conditions: [
              { type: "text", contains: ["환불"] },
              { type: "ticket", field: "language", op: "is", value: "ko" },
            ],
          },
          actions: [
            { type: "set_category", category: "refund_exchange" },
            { type: "set_team", team: "refunds" },
            { type: "add_note", text: "환불 규칙 적용" },
          ],
        },
      ],
    });
    const { ticket } = await desk.ingest(msg("주문한 신발 환불해주세요"));
    expect(ticket).toMatchObject({ team: "refunds", category: "refund_exchange" });
    await desk.rules.settle();
    const events = await desk.listEvents(ticket!.id);
    const ruled = events.filter((e) => e.type === "rule.action");
    expect(ruled.map((e) => [e.data["action"], e.actor.id])).toEqual([
      ["set_category", "rules:refund-ko"],
      ["set_team", "rules:refund-ko"],
      ["add_note", "rules:refund-ko"],
    ]);
    expect(
      (await desk.listMessages(ticket!.id)).some((m) => m.direction === "note" && m.text === "환불 규칙 적용"),
    ).toBe(true);
    // An English message does not match the Korean condition.
    const other = await desk.ingest(msg("I want a refund please", "visitor-2"));
    expect(other.ticket!.team).toBeNull();
  });

  it("fires on agent changes after commit (priority, tags) and a customer's follow-up", async () => {
    const { desk } = setup({
      triggers: [
        {
          id: "urgent-tag",
          title: "urgent → tag",
          events: ["priority_changed"],
          conditions: { type: "ticket", field: "priority", op: "is", value: "urgent" },
          actions: [{ type: "add_tags", tags: ["escalated"] }],
        },
        {
          id: "again",
          title: "follow-up",
          events: ["customer_message"],
          conditions: { type: "text", contains: ["아직"] },
          actions: [{ type: "set_priority", priority: "high" }],
        },
      ],
    });
    const { ticket } = await desk.ingest(msg("배송 문의"));
    await desk.setPriority(ticket!.id, "urgent", { agentId: "kim" });
    await desk.rules.settle();
    expect((await desk.getTicket(ticket!.id)).tags).toContain("escalated");
    const other = await desk.ingest(msg("안녕하세요", "v9"));
    const again = await desk.ingest(msg("아직 안 왔어요", "v9"));
    expect(again.ticket!.id).toBe(other.ticket!.id);
    expect(again.ticket!.priority).toBe("high");
  });

  it("does not loop: two rules that undo each other stop at the once-per-rule guard, a chain stops at the depth cap", async () => {
    const { desk } = setup({
      maxDepth: 2,
      triggers: [
        {
          id: "ping",
          title: "ping",
          events: ["tags_changed", "ticket_created"],
          conditions: { type: "ticket", field: "tags", op: "lacks", value: "ping" },
          actions: [
            { type: "add_tags", tags: ["ping"] },
            { type: "remove_tags", tags: ["pong"] },
          ],
        },
        {
          id: "pong",
          title: "pong",
          events: ["tags_changed"],
          conditions: { type: "ticket", field: "tags", op: "has", value: "ping" },
          actions: [
            { type: "remove_tags", tags: ["ping"] },
            { type: "add_tags", tags: ["pong"] },
          ],
        },
        {
          id: "p1",
          title: "p1",
          events: ["ticket_created"],
          conditions: { type: "ticket", field: "status", op: "is_not", value: "closed" },
          actions: [{ type: "set_priority", priority: "high" }],
        },
        {
          id: "p2",
          title: "p2",
          events: ["priority_changed"],
          conditions: { type: "ticket", field: "priority", op: "is", value: "high" },
          actions: [{ type: "set_category", category: "order_change" }],
        },
        {
          id: "p3",
          title: "p3",
          events: ["category_changed"],
          conditions: { type: "ticket", field: "category", op: "is", value: "order_change" },
          actions: [{ type: "set_team", team: "billing" }],
        },
        {
          id: "p4",
          title: "p4",
          events: ["team_changed"],
          conditions: { type: "ticket", field: "team", op: "is", value: "billing" },
          actions: [{ type: "set_priority", priority: "urgent" }],
        },
      ],
    });
    const { ticket } = await desk.ingest(msg("안녕하세요"));
    await desk.rules.settle();
    const events = await desk.listEvents(ticket!.id);
    const fired = events.filter((e) => e.type === "rule.fired").map((e) => e.data["ruleId"]);
    expect(fired.filter((id) => id === "ping")).toHaveLength(1);
    expect(fired.filter((id) => id === "pong")).toHaveLength(1);
    expect(fired).not.toContain("p4"); // depth 3 > cap 2
    expect(events.some((e) => e.type === "rule.depth_capped")).toBe(true);
    const saved = await desk.getTicket(ticket!.id);
    expect(saved).toMatchObject({ priority: "high", category: "order_change", team: "billing" });
    // An agent's later tag change fires the rules again (a new event), still once each.
    await desk.setTags(ticket!.id, [], { agentId: "kim" });
    await desk.rules.settle();
    const after = (await desk.listEvents(ticket!.id)).filter((e) => e.type === "rule.fired").length;
    expect(after).toBe(fired.length + 2);
  });

  it("never fires on closed tickets, and says so in a dry run that names the failing condition", async () => {
    const { desk } = setup({
      triggers: [
        {
          id: "vip",
          title: "VIP",
          events: ["status_changed"],
          conditions: {
            type: "all",
            conditions: [
              { type: "customer", field: "vip", value: true },
              { type: "ticket", field: "priority", op: "at_least", value: "high" },
            ],
          },
          actions: [{ type: "add_tags", tags: ["vip"] }],
        },
      ],
    });
    const { ticket } = await desk.ingest(msg("문의드려요"));
    const explained = await desk.rules.test("vip", ticket!.id, "status_changed");
    expect(explained.wouldFire).toBe(false);
    expect(explained.failed).toEqual(["customer vip is true (was false)", 'priority at_least "high" (was "normal")']);
    await desk.updateCustomer(ticket!.customerId, { attributes: { vip: true } });
    await desk.setPriority(ticket!.id, "high");
    expect((await desk.rules.test("vip", ticket!.id)).wouldFire).toBe(true);
    await desk.setStatus(ticket!.id, "solved", { agentId: "kim" });
    await desk.setStatus(ticket!.id, "closed", { agentId: "kim" });
    await desk.rules.settle();
    expect((await desk.getTicket(ticket!.id)).tags).not.toContain("vip");
    expect((await desk.rules.test("vip", ticket!.id)).failed[0]).toMatch(/closed/);
  });

  it("replies and sends templates through desk.reply, so the reply window applies", async () => {
    const { desk, chat } = setup({
      triggers: [
        {
          id: "thanks",
          title: "thanks",
          events: ["ticket_created"],
          conditions: { type: "text", contains: ["감사"] },
          actions: [{ type: "reply", body: { ko: "감사합니다, 곧 답변드릴게요.", en: "Thanks, we will reply soon." } }],
        },
      ],
    });
    const { ticket } = await desk.ingest(msg("미리 감사드려요"));
    await desk.rules.settle();
    expect(chat.sent.map((s) => s.text)).toContain("감사합니다, 곧 답변드릴게요.");
    expect(
      (await desk.listEvents(ticket!.id)).some((e) => e.type === "rule.action" && e.data["action"] === "reply"),
    ).toBe(true);
  });

  it("fires on audit events other engineers' features write: csat.received and bot.handoff", async () => {
    const { desk } = setup({
      triggers: [
        {
          id: "bad-csat",
          title: "low CSAT → follow up",
          events: ["csat_received"],
          conditions: {
            type: "all",
            conditions: [
              { type: "ticket", field: "status", op: "is_not", value: "closed" },
              { type: "event_data", key: "rating", op: "at_most", value: 2 },
            ],
          },
          actions: [{ type: "add_tags", tags: ["csat-follow-up"] }],
        },
        {
          id: "handoff",
          title: "bot hand-off → urgent",
          events: ["bot_handoff"],
          conditions: { type: "ticket", field: "priority", op: "at_most", value: "normal" },
          actions: [{ type: "set_priority", priority: "high" }],
        },
      ],
    });
    const { ticket } = await desk.ingest(msg("상담원 연결해주세요"));
    await desk.recordEvent(ticket!.id, "bot.handoff", { reason: "asked for a person" }, { bot: "answer-bot" });
    await desk.rules.settle();
    expect((await desk.getTicket(ticket!.id)).priority).toBe("high");
    expect((await desk.getTicket(ticket!.id)).tags).not.toContain("csat-follow-up");
    // A good rating (the survey's own data shape) does not match the rating condition; a low one does.
    await desk.recordEvent(ticket!.id, "csat.received", { rating: 5, comment: null }, { system: "csat" });
    await desk.rules.settle();
    expect((await desk.getTicket(ticket!.id)).tags).not.toContain("csat-follow-up");
    await desk.recordEvent(ticket!.id, "csat.received", { rating: 2, comment: "늦어요" }, { system: "csat" });
    await desk.rules.settle();
    expect((await desk.getTicket(ticket!.id)).tags).toContain("csat-follow-up");
    const explained = await desk.rules.test("bad-csat", ticket!.id, "csat_received");
    expect(JSON.stringify(explained)).toContain("event data rating");
  });

  it("applies a macro as one audited action and finds it by Korean text", async () => {
    const { desk, chat } = setup({
      macros: [
        {
          id: "refund-done",
          title: "환불 완료 안내",
          reply: {
            ko: "{{customer.name}}님, 환불이 완료되었습니다.",
            en: "Hi {{customer.name}}, your refund is done.",
          },
          actions: [
            { type: "set_status", status: "solved" },
            { type: "add_tags", tags: ["refunded"] },
          ],
        },
      ],
    });
    expect((await desk.rules.macros.search("환불")).map((m) => m.id)).toEqual(["refund-done"]);
    expect(await desk.rules.macros.search("배송")).toEqual([]);
    const { ticket } = await desk.ingest(msg("환불 됐나요?"));
    await desk.assign(ticket!.id, { agentId: "kim" });
    const outcome = await desk.rules.macros.apply("refund-done", ticket!.id, { agentId: "kim" });
    if (outcome.status !== "done") throw new Error("expected the macro to be applied");
    const after = outcome.ticket;
    await desk.settle();
    expect(after).toMatchObject({ status: "solved", tags: expect.arrayContaining(["refunded"]) });
    expect(chat.sent.map((s) => s.text)).toContain("김민수님, 환불이 완료되었습니다.");
    expect((await desk.listEvents(ticket!.id)).find((e) => e.type === "macro.applied")?.data).toMatchObject({
      macroId: "refund-done",
    });
  });

  it("shows on the ticket what the action plan's informationNeeded still lacks, updated as the customer writes", async () => {
    const plan = {
      category: "refund_exchange" as const,
      responsibleTeam: "refunds",
      decisionMaker: "lead",
      informationNeeded: ["주문번호", "파손 사진", "계좌 정보"],
      channels: ["webchat"],
      serviceHours: "평일 09:00–18:00",
      compensation: { currency: "KRW", kinds: ["refund" as const], limits: [], approverRole: "lead" },
    };
    const { desk } = setup({}, { actionPlans: [plan] });
    const { ticket } = await desk.ingest(msg("받은 컵이 깨져 있어요. 환불해주세요"));
    expect(ticket!.category).toBe("refund_exchange");
    expect(ticket!.meta["informationMissing"]).toEqual(["주문번호", "파손 사진", "계좌 정보"]);
    const next = await desk.ingest(
      msg("주문번호 1001 입니다", "visitor-1", {
        attachments: [
          { filename: "cup.jpg", contentType: "image/jpeg", size: 1000, url: "https://cdn.example/cup.jpg" },
        ],
      }),
    );
    expect(next.ticket!.id).toBe(ticket!.id);
    expect(next.ticket!.meta["informationMissing"]).toEqual(["계좌 정보"]);
    expect(await desk.rules.provideInformation(ticket!.id, ["계좌 정보"], { agentId: "kim" })).toEqual([]);
    expect((await desk.listEvents(ticket!.id)).filter((e) => e.type === "information.provided")).toHaveLength(2);
  });
});
