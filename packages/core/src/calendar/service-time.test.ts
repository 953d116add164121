import { describe, expect, it } from "vitest";
import type { ActionPlanInput } from "../domain/action-plan.js";
import { ActionPlanSchema } from "../domain/action-plan.js";
import { defineCalendar } from "./define-calendar.js";
import { nextServiceTime, serviceHoursNotice } from "./service-time.js";
import { calendarForTicket, teamCalendars } from "./team-calendar.js";

const weekdays = [{ start: "09:00", end: "18:00" }];
const refunds = defineCalendar({
  id: "refunds",
  timeZone: "Asia/Seoul",
  weekly: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays },
  holidays: [{ date: "2026-03-03", name: "test holiday" }],
});

function plan(category: string, team: string, serviceHours: ActionPlanInput["serviceHours"]) {
  return ActionPlanSchema.parse({
    category,
    responsibleTeam: team,
    decisionMaker: "lead",
    informationNeeded: [],
    channels: [],
    serviceHours,
    compensation: { currency: "KRW", kinds: [], limits: [], approverRole: "lead" },
  });
}

describe("nextServiceTime and serviceHoursNotice", () => {
  it("says when a person answers, in the team's zone, skipping holidays (ko/en)", () => {
    const monNight = new Date("2026-03-02T12:00:00Z"); // Mon 21:00 KST; Tue is a holiday
    expect(nextServiceTime(refunds, monNight)).toEqual({
      open: false,
      at: new Date("2026-03-04T00:00:00Z"),
      localTime: "09:00",
      daysAhead: 2,
    });
    expect(serviceHoursNotice(refunds, monNight, "ko")).toBe(
      "지금은 상담 시간이 아닙니다. 수요일(3월 4일) 09:00부터 상담원이 답변드립니다.",
    );
    expect(serviceHoursNotice(refunds, monNight, "en")).toBe(
      "Our team is away right now. A person will answer from 09:00 on Wednesday 4 March.",
    );
    const wedEarly = new Date("2026-03-03T22:00:00Z"); // Wed 07:00 KST
    expect(serviceHoursNotice(refunds, wedEarly, "ko")).toBe(
      "지금은 상담 시간이 아닙니다. 오늘 09:00부터 상담원이 답변드립니다.",
    );
    const wedNight = new Date("2026-03-04T12:00:00Z"); // Wed 21:00 KST
    expect(serviceHoursNotice(refunds, wedNight, "en-US")).toBe(
      "Our team is away right now. A person will answer from 09:00 tomorrow.",
    );
    const open = new Date("2026-03-04T01:00:00Z");
    expect(nextServiceTime(refunds, open).open).toBe(true);
    expect(serviceHoursNotice(refunds, open, "ko")).toBeNull();
  });
});

describe("team calendars from action plans", () => {
  it("gives each team its plan's calendar, keeps description strings readable, refuses two calendars for one team", () => {
    const teams = teamCalendars([
      plan("refund_exchange", "refunds", refunds),
      plan("shipping", "logistics", "Mon–Fri 09:00–18:00 KST"),
    ]);
    expect(calendarForTicket(teams, { team: "refunds", category: "other" }, null)?.id).toBe("refunds");
    expect(calendarForTicket(teams, { team: null, category: "refund_exchange" }, null)?.id).toBe("refunds");
    const desk = defineCalendar({ id: "desk", timeZone: "Asia/Seoul" });
    expect(calendarForTicket(teams, { team: "logistics", category: "shipping" }, desk)?.id).toBe("desk");
    expect(() =>
      teamCalendars([
        plan("refund_exchange", "refunds", refunds),
        plan("complaint", "refunds", { ...refunds, id: "other-hours" }),
      ]),
    ).toThrow(/two different serviceHours calendars/);
    expect(() => plan("other", "x", { id: "bad", timeZone: "Mars/Base" })).toThrow();
  });
});
