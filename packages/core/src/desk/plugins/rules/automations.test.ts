import { setupServer } from "msw/node";
import { http, HttpResponse } from "msw";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDesk } from "../../create-desk.js";
import { memoryStore } from "../../../store-memory/memory-store.js";
import { memoryChannel } from "../../../testing/memory-channel.js";
import { manualClock } from "../../../ports/clock.js";
import type { InboundEventInput } from "../../../domain/inbound.js";
import { rulesPlugin, type RulesPluginOptions } from "./rules-plugin.js";
import { signNotification } from "./notify-webhook.js";
import { defineSlaPolicy } from "../../../sla/index.js";
import { defineCalendar } from "../../../calendar/define-calendar.js";

const T0 = new Date("2026-03-02T01:00:00.000Z");
const HOUR = 3_600_000;
let n = 0;

function msg(text: string, who: string, name = "김민수"): InboundEventInput {
  return {
    type: "message",
    channel: "webchat",
    externalId: `a-${++n}`,
    occurredAt: T0,
    from: { identities: [{ kind: "webchat", value: who }], name },
    text,
    conversationKey: `c-${who}`,
  };
}

function setup(options: RulesPluginOptions = {}, extra: Partial<Parameters<typeof createDesk>[0]> = {}) {
  const clock = manualClock(T0);
  const chat = memoryChannel({ id: "webchat" });
  const desk = createDesk({
    store: memoryStore(),
    clock,
    channels: [chat],
    autoAcknowledge: false,
    ...extra,
    plugins: [rulesPlugin(options)],
  });
  const at = async (hours: number) => {
    clock.set(new Date(T0.getTime() + hours * HOUR));
    await desk.runDue(clock.now());
    await desk.rules.settle();
  };
  return { clock, chat, desk, at };
}

async function pendingTicket(
  desk: ReturnType<typeof setup>["desk"],
  who: string,
  text = "사이즈 교환 되나요?",
  name = "김민수",
) {
  const { ticket } = await desk.ingest(msg(text, who, name));
  await desk.reply(ticket!.id, { text: "주문번호를 알려주세요.", agentId: "kim", status: "pending" });
  return ticket!.id;
}

describe("rules plugin: time-based automations", () => {
  it("ships the defaults: a reminder after 48 h pending in the customer's language, solved with a closing message after 96 h", async () => {
    const { desk, chat, at } = setup();
    const ko = await pendingTicket(desk, "v1");
    const en = await pendingTicket(desk, "v2", "Can I exchange the size?", "Sam Lee");
    await at(47);
    expect(chat.sent.filter((s) => s.text.includes("다시 연락드립니다"))).toHaveLength(0);
    await at(49);
    expect(chat.sent.filter((s) => s.text.includes("다시 연락드립니다"))).toHaveLength(1);
    expect(chat.sent.filter((s) => s.text.includes("still waiting for your reply"))).toHaveLength(1);
    expect((await desk.getTicket(ko)).tags).toContain("pending-reminded");
    await at(50); // the same pending spell never fires twice
    expect(chat.sent.filter((s) => s.text.includes("다시 연락드립니다"))).toHaveLength(1);
    await at(97);
    expect((await desk.getTicket(ko)).status).toBe("solved");
    expect((await desk.getTicket(en)).status).toBe("solved");
    expect(chat.sent.filter((s) => s.text.includes("해결됨으로 처리합니다"))).toHaveLength(1);
    const fired = (await desk.listEvents(ko))
      .filter((e) => e.type === "automation.fired")
      .map((e) => e.data["automationId"]);
    expect(fired).toEqual(["pending-reminder-48h", "pending-solve-96h"]);
  });

  it("defers solved → closed to the built-in auto-close while it runs, and closes after 7 days when it is off", async () => {
    const withBuiltin = setup();
    const listed = await withBuiltin.desk.rules.automations.list();
    expect(listed.find((a) => a.id === "solved-close-7d")).toMatchObject({ enabled: false, deferredTo: "auto-close" });

    const { desk, at } = setup({}, { builtins: { autoClose: false } });
    expect((await desk.rules.automations.list()).find((a) => a.id === "solved-close-7d")?.enabled).toBe(true);
    const { ticket } = await desk.ingest(msg("감사합니다 해결됐어요", "v3"));
    await desk.setStatus(ticket!.id, "solved", { agentId: "kim" });
    await at(24 * 6);
    expect((await desk.getTicket(ticket!.id)).status).toBe("solved");
    await at(24 * 7 + 1);
    expect((await desk.getTicket(ticket!.id)).status).toBe("closed");
  });

  it("refuses an automation without a nullifying effect, and lets the shop turn a default off at run time", async () => {
    const { desk, chat, at } = setup();
    await expect(
      desk.rules.automations.create({
        id: "nag",
        title: "nag",
        conditions: {
          type: "all",
          conditions: [
            { type: "ticket", field: "status", op: "is", value: "pending" },
            { type: "hours_since", since: "updated", op: "at_least", hours: 1 },
          ],
        },
        actions: [{ type: "add_note", text: "still pending" }],
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await desk.rules.automations.setEnabled("pending-reminder-48h", false);
    await pendingTicket(desk, "v4");
    await at(49);
    expect(chat.sent.filter((s) => s.text.includes("다시 연락드립니다"))).toHaveLength(0);
  });

  it("snoozes until a time (woken by the scheduler) or until the customer's reply", async () => {
    const { desk, at } = setup({
      triggers: [
        {
          id: "snooze",
          title: "snooze 2h",
          events: ["tags_changed"],
          conditions: { type: "ticket", field: "tags", op: "has", value: "later" },
          actions: [{ type: "snooze", hours: 2 }],
        },
      ],
    });
    const { ticket } = await desk.ingest(msg("나중에 다시 볼게요", "v5"));
    await desk.assign(ticket!.id, { agentId: "kim" });
    await desk.setTags(ticket!.id, ["later"], { agentId: "kim" });
    await desk.rules.settle();
    expect((await desk.getTicket(ticket!.id)).status).toBe("pending");
    await at(1);
    expect((await desk.getTicket(ticket!.id)).status).toBe("pending");
    await at(2.1);
    expect((await desk.getTicket(ticket!.id)).status).toBe("open");
  });
});

describe("rules plugin: SLA events", () => {
  it("fires sla_warning and sla_breach triggers when the scheduler checks the SLA", async () => {
    const policy = defineSlaPolicy({
      id: "fast",
      name: "Fast",
      warnBeforeMinutes: 30,
      targets: { default: { first_reply: { minutes: 60, time: "calendar" } } },
    });
    const { desk, at } = setup(
      {
        triggers: [
          {
            id: "warned",
            title: "warn → high",
            events: ["sla_warning"],
            conditions: { type: "ticket", field: "priority", op: "at_most", value: "normal" },
            actions: [{ type: "set_priority", priority: "high" }],
          },
          {
            id: "breached",
            title: "breach → tag",
            events: ["sla_breach"],
            conditions: { type: "ticket", field: "tags", op: "lacks", value: "sla-breached" },
            actions: [{ type: "add_tags", tags: ["sla-breached"] }],
          },
        ],
      },
      { sla: { policies: [policy] } },
    );
    const { ticket } = await desk.ingest(msg("배송 문의합니다", "v7"));
    await at(0.6);
    expect((await desk.getTicket(ticket!.id)).priority).toBe("high");
    expect((await desk.getTicket(ticket!.id)).tags).not.toContain("sla-breached");
    await at(1.1);
    expect((await desk.getTicket(ticket!.id)).tags).toContain("sla-breached");
  });
});

describe("rules plugin: automations on the ticket's team calendar", () => {
  it("counts a business-clock hours_since on the team's serviceHours calendar, as triggers do", async () => {
    const weekdays = [{ start: "09:00", end: "18:00" }];
    const refundsHours = defineCalendar({
      id: "refunds-hours",
      timeZone: "Asia/Seoul",
      weekly: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays },
    });
    const plan = {
      category: "refund_exchange" as const,
      responsibleTeam: "refunds",
      decisionMaker: "lead",
      informationNeeded: [],
      channels: ["webchat"],
      serviceHours: refundsHours,
      compensation: { currency: "KRW", kinds: ["refund" as const], limits: [], approverRole: "lead" },
    };
    // No rulesPlugin({ calendar }): the only calendar is the refunds team's.
    const { desk, at } = setup(
      {
        defaults: false,
        automations: [
          {
            id: "nudge-2bh",
            title: "Nudge after 2 business hours pending",
            conditions: {
              type: "all",
              conditions: [
                { type: "ticket", field: "status", op: "is", value: "pending" },
                { type: "hours_since", since: "status_changed", op: "at_least", hours: 2, clock: "business" },
                { type: "ticket", field: "tags", op: "lacks", value: "nudged" },
              ],
            },
            actions: [{ type: "add_tags", tags: ["nudged"] }],
          },
        ],
      },
      { actionPlans: [plan] },
    );
    // Monday 10:00 in Seoul: the refunds team is working.
    const id = await pendingTicket(desk, "v-cal", "받은 컵이 깨져 있어요. 환불해주세요");
    expect((await desk.getTicket(id)).team).toBe("refunds");
    await at(1); // one business hour
    expect((await desk.getTicket(id)).tags).not.toContain("nudged");
    await at(3); // three business hours on the team's calendar
    expect((await desk.getTicket(id)).tags).toContain("nudged");
  });
});

describe("rules plugin: notify", () => {
  const received: Array<{ body: string; signature: string | null; timestamp: string | null }> = [];
  let failFirst = true;
  const server = setupServer(
    http.post("https://shop.example/hooks/storedesk", async ({ request }) => {
      received.push({
        body: await request.text(),
        signature: request.headers.get("x-storedesk-signature"),
        timestamp: request.headers.get("x-storedesk-timestamp"),
      });
      if (failFirst) {
        failFirst = false;
        return new HttpResponse(null, { status: 503 });
      }
      return HttpResponse.json({ ok: true });
    }),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterAll(() => server.close());

  it("posts a signed HMAC-SHA256 webhook, retried with backoff through the scheduler", async () => {
    const { desk, at } = setup({
      notify: { secret: "s3cret" },
      triggers: [
        {
          id: "vip-alert",
          title: "VIP alert",
          events: ["ticket_created"],
          conditions: { type: "text", contains: ["환불"] },
          actions: [{ type: "notify", url: "https://shop.example/hooks/storedesk", event: "refund.requested" }],
        },
      ],
    });
    const { ticket } = await desk.ingest(msg("환불 요청합니다", "v6"));
    await at(0);
    expect(received).toHaveLength(1); // 503: the job is retried later
    await at(0.005); // 18 s: before the backoff
    expect(received).toHaveLength(1);
    await at(0.02); // 72 s: after the first backoff (30 s)
    expect(received).toHaveLength(2);
    const last = received[1]!;
    expect(last.signature).toBe(signNotification("s3cret", last.timestamp!, last.body));
    expect(JSON.parse(last.body)).toMatchObject({
      event: "refund.requested",
      ruleId: "vip-alert",
      ticket: { id: ticket!.id },
    });
    await at(1);
    expect(received).toHaveLength(2);
  });
});
