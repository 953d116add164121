import { describe, expect, it } from "vitest";
import { defineCalendar } from "../../../calendar/define-calendar.js";
import { createDesk } from "../../create-desk.js";
import { memoryStore } from "../../../store-memory/memory-store.js";
import { memoryChannel } from "../../../testing/memory-channel.js";
import { manualClock } from "../../../ports/clock.js";
import { defineSlaPolicy } from "../../../sla/index.js";
import { rulesPlugin } from "./rules-plugin.js";

const weekdays = [{ start: "09:00", end: "18:00" }];
const refundsHours = defineCalendar({
  id: "refunds-hours",
  timeZone: "Asia/Seoul",
  weekly: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays },
});
const policy = defineSlaPolicy({
  id: "business",
  name: "Business hours",
  targets: { default: { first_reply: { minutes: 60, time: "business" } } },
});
const plan = (serviceHours: typeof refundsHours | string) => ({
  category: "refund_exchange" as const,
  responsibleTeam: "refunds",
  decisionMaker: "lead",
  informationNeeded: [],
  channels: ["webchat"],
  serviceHours,
  compensation: { currency: "KRW", kinds: ["refund" as const], limits: [], approverRole: "lead" },
});

function setup(serviceHours: typeof refundsHours | string, at: Date) {
  const chat = memoryChannel({ id: "webchat" });
  const desk = createDesk({
    store: memoryStore(),
    clock: manualClock(at),
    channels: [chat],
    autoAcknowledge: false,
    actionPlans: [plan(serviceHours)],
    sla: { policies: [policy] },
    plugins: [rulesPlugin()],
  });
  const ingest = (text: string, id: string) =>
    desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: id,
      occurredAt: at,
      from: { identities: [{ kind: "webchat", value: "v-1" }], name: "김민수" },
      text,
      conversationKey: "c-1",
    });
  return { desk, chat, ingest };
}

describe("action plans: serviceHours as the team's calendar", () => {
  it("times the team's SLA on its calendar and tells a customer after hours when a person answers (once)", async () => {
    const monNight = new Date("2026-03-02T12:00:00Z"); // Monday 21:00 in Seoul
    const { desk, chat, ingest } = setup(refundsHours, monNight);
    const { ticket } = await ingest("받은 컵이 깨져 있어요. 환불해주세요", "m-1");
    expect(ticket!.team).toBe("refunds");
    // One business hour from Monday 21:00 on the refunds calendar: Tuesday 10:00 KST.
    expect(ticket!.slaDueAt).toEqual(new Date("2026-03-03T01:00:00Z"));
    await desk.settle();
    expect(chat.sent.map((m) => m.text)).toEqual([
      "지금은 상담 시간이 아닙니다. 내일 09:00부터 상담원이 답변드립니다.",
    ]);
    expect((await desk.listEvents(ticket!.id)).find((e) => e.type === "service_hours.notice")?.data).toMatchObject({
      calendarId: "refunds-hours",
      opensAt: "2026-03-03T00:00:00.000Z",
    });
    await ingest("언제 답변 주시나요?", "m-2");
    await desk.settle();
    expect(chat.sent).toHaveLength(1); // same closed period: no second notice
  });

  it("keeps the older description string readable: the desk's calendar (none here: calendar time), no notice", async () => {
    const monNight = new Date("2026-03-02T12:00:00Z");
    const { desk, chat, ingest } = setup("평일 09:00–18:00", monNight);
    const { ticket } = await ingest("받은 컵이 깨져 있어요. 환불해주세요", "m-3");
    expect(ticket!.slaDueAt).toEqual(new Date("2026-03-02T13:00:00Z"));
    await desk.settle();
    expect(chat.sent).toEqual([]);
  });

  it("gives a new notice in the next closed period, in the customer's language; off with serviceHoursNotice: false", async () => {
    const monNight = new Date("2026-03-02T12:00:00Z"); // Monday 21:00 in Seoul
    const tueNight = new Date("2026-03-03T11:00:00Z"); // Tuesday 20:00 in Seoul
    const run = async (options: Parameters<typeof rulesPlugin>[0]) => {
      const clock = manualClock(monNight);
      const chat = memoryChannel({ id: "webchat" });
      const desk = createDesk({
        store: memoryStore(),
        clock,
        channels: [chat],
        autoAcknowledge: false,
        actionPlans: [plan(refundsHours)],
        sla: { policies: [policy] },
        plugins: [rulesPlugin(options)],
      });
      const ingest = (text: string, id: string) =>
        desk.ingest({
          type: "message",
          channel: "webchat",
          externalId: id,
          occurredAt: clock.now(),
          from: { identities: [{ kind: "webchat", value: "v-en" }], name: "Sam Lee", locale: "en" },
          text,
          conversationKey: "c-en",
        });
      await ingest("The cup arrived broken, I want a refund", "e-1");
      await desk.settle();
      clock.set(tueNight);
      await ingest("Any news about my refund?", "e-2");
      await desk.settle();
      return chat.sent.map((m) => m.text);
    };
    expect(await run({})).toEqual([
      "Our team is away right now. A person will answer from 09:00 tomorrow.",
      "Our team is away right now. A person will answer from 09:00 tomorrow.",
    ]);
    expect(await run({ serviceHoursNotice: false })).toEqual([]);
  });

  it("refuses two plans giving one team different calendars when the desk is created (INVALID_INPUT)", () => {
    const other = defineCalendar({ id: "other", timeZone: "Asia/Seoul", weekly: { sat: weekdays } });
    const plans = [plan(refundsHours), { ...plan(other), category: "shipping" as const }];
    const make = (builtins?: { sla: false }) =>
      createDesk({
        store: memoryStore(),
        channels: [memoryChannel({ id: "webchat" })],
        actionPlans: plans,
        ...(builtins ? { builtins } : {}),
      });
    expect(() => make()).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
    // Without the built-in SLA plugin nothing reads the team calendars at creation.
    expect(() => make({ sla: false })).not.toThrow();
  });

  it("reads the team after the ticket's triggers ran: a trigger's set_team brings its team's notice", async () => {
    const monNight = new Date("2026-03-02T12:00:00Z"); // Monday 21:00 in Seoul
    const chat = memoryChannel({ id: "webchat" });
    const desk = createDesk({
      store: memoryStore(),
      clock: manualClock(monNight),
      channels: [chat],
      autoAcknowledge: false,
      actionPlans: [plan(refundsHours)],
      sla: { policies: [policy] },
      plugins: [
        rulesPlugin({
          triggers: [
            {
              id: "vip-to-refunds",
              title: "VIP → refunds team",
              events: ["ticket_created"],
              conditions: { type: "text", contains: ["VIP"] },
              actions: [{ type: "set_team", team: "refunds" }],
            },
          ],
        }),
      ],
    });
    const { ticket } = await desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: "t-1",
      occurredAt: monNight,
      from: { identities: [{ kind: "webchat", value: "v-t" }], name: "김민수" },
      text: "VIP 고객입니다. 배송이 언제 오나요?",
      conversationKey: "c-t",
    });
    await desk.settle();
    expect(ticket!.team).toBe("refunds");
    const notice = (await desk.listEvents(ticket!.id)).find((e) => e.type === "service_hours.notice");
    expect(notice?.data).toMatchObject({ calendarId: "refunds-hours", team: "refunds" });
    expect(chat.sent).toHaveLength(1);
  });

  it("times a ticket moved to another team on the new team's calendar, from the ticket's start", async () => {
    const monNight = new Date("2026-03-02T12:00:00Z"); // Monday 21:00 in Seoul
    const evenings = [{ start: "20:00", end: "24:00" }];
    const nightHours = defineCalendar({
      id: "night-hours",
      timeZone: "Asia/Seoul",
      weekly: { mon: evenings, tue: evenings, wed: evenings, thu: evenings, fri: evenings },
    });
    const clock = manualClock(monNight);
    const desk = createDesk({
      store: memoryStore(),
      clock,
      channels: [memoryChannel({ id: "webchat" })],
      autoAcknowledge: false,
      actionPlans: [
        plan(refundsHours),
        { ...plan(nightHours), category: "shipping" as const, responsibleTeam: "night" },
      ],
      sla: { policies: [policy] },
      plugins: [rulesPlugin({ serviceHoursNotice: false })],
    });
    const { ticket } = await desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: "mv-1",
      occurredAt: monNight,
      from: { identities: [{ kind: "webchat", value: "v-mv" }], name: "김민수" },
      text: "받은 컵이 깨져 있어요. 환불해주세요",
      conversationKey: "c-mv",
    });
    expect(ticket!.team).toBe("refunds");
    expect(ticket!.slaDueAt).toEqual(new Date("2026-03-03T01:00:00Z")); // Tuesday 10:00 on the refunds calendar
    clock.set(new Date("2026-03-02T12:10:00Z"));
    const moved = await desk.assign(ticket!.id, { agentId: null, team: "night" }, { system: "test" });
    // One business hour from Monday 21:00 (the ticket's start) on the night calendar: Monday 22:00.
    expect(moved.slaDueAt).toEqual(new Date("2026-03-02T13:00:00Z"));
  });
});
