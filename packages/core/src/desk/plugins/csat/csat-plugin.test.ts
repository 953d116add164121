import { describe, expect, it } from "vitest";
import { memoryStore } from "../../../store-memory/index.js";
import { manualClock } from "../../../ports/clock.js";
import { memoryChannel } from "../../../testing/memory-channel.js";
import { createDesk } from "../../create-desk.js";
import type { CsatOptions } from "./csat-options.js";
import { csatPlugin } from "./csat-plugin.js";
import { computeReport } from "../../../reports/compute-report.js";

const HOUR = 3_600_000;

function setup(options: CsatOptions = {}, channel = "whatsapp", windowMs: number | null = 24 * HOUR) {
  const clock = manualClock(new Date("2026-03-02T01:00:00Z"));
  const chat = memoryChannel({ id: channel, windowMs });
  const desk = createDesk({
    outbox: { wait: "sent" },
    store: memoryStore(),
    clock,
    channels: [chat],
    autoAcknowledge: false,
    ownsStore: true,
    agents: [{ id: "kim", role: "agent" }],
    plugins: [csatPlugin({ delayHours: { default: 24, whatsapp: 2 }, ...options })],
  });
  let n = 0;
  const message = (text: string, meta: Record<string, unknown> = {}) =>
    desk.ingest({
      type: "message",
      channel,
      externalId: `in-${++n}`,
      occurredAt: clock.now(),
      text,
      meta,
      from: {
        identities: [
          {
            kind: channel === "email" ? "email" : "phone",
            value: channel === "email" ? "kim@example.com" : "+821012345678",
          },
        ],
      },
      conversationKey: "c1",
    });
  const solve = async () => {
    const { ticket } = await message("배송이 늦어요");
    await desk.assign(ticket!.id, { agentId: "kim" });
    await desk.reply(ticket!.id, { text: "내일 도착합니다", agentId: "kim", status: "solved" });
    return ticket!.id;
  };
  return { desk, clock, chat, message, solve };
}

describe("csat plugin", () => {
  it("sends a survey with buttons N hours after a solve, once, and a button tap answers it without reopening", async () => {
    const { desk, clock, chat, message, solve } = setup();
    const ticketId = await solve();
    const received: unknown[] = [];
    desk.on("plugin.csat.received", (e) => received.push(e));
    clock.advance(1 * HOUR);
    await desk.runDue();
    expect(chat.sent).toHaveLength(1); // only the agent's reply: the survey is due at 2 h on WhatsApp
    clock.advance(1 * HOUR + 1000);
    await desk.runDue();
    expect(chat.sent).toHaveLength(2);
    const survey = chat.sent[1]!;
    const buttons = survey.options?.quickReplies as Array<{ id: string; title: string }>;
    expect(buttons.map((b) => b.title)).toContain("5 매우 만족");
    clock.advance(10 * HOUR);
    await desk.runDue();
    expect(chat.sent).toHaveLength(2); // at most once

    const tap = await message(buttons.find((b) => b.title.startsWith("2"))!.title, {
      interactive: { type: "button_reply", id: buttons.find((b) => b.title.startsWith("2"))!.id },
    });
    expect(tap.ticket?.status).toBe("solved");
    const events = await desk.listEvents(ticketId);
    const answer = events.find((e) => e.type === "csat.received")!;
    expect(answer.data).toMatchObject({ rating: 2, channel: "whatsapp", agentId: "kim", category: "shipping" });
    expect(received).toHaveLength(1);
    expect((await desk.csat.survey(ticketId))?.state).toBe("answered");
    // A second tap changes nothing; the report does not count the tap as a reopen.
    await message("5", { interactive: { id: buttons[0]!.id } });
    expect(events.filter((e) => e.type === "csat.received")).toHaveLength(1);
    expect((await desk.listEvents(ticketId)).filter((e) => e.type === "csat.received")).toHaveLength(1);
    const report = computeReport(await desk.listEvents(ticketId));
    expect(report.reopen.count).toBe(0);
    expect(report.resolution.count).toBe(1);
    await desk.close();
  });

  it("a typed digit answers the survey of its ticket", async () => {
    const { desk, clock, message, solve } = setup();
    const ticketId = await solve();
    clock.advance(3 * HOUR);
    await desk.runDue();
    await message("4");
    expect((await desk.csat.survey(ticketId))?.rating).toBe(4);
    await desk.close();
  });

  it("outside the reply window: the channel's template, or a skip with an audit note when there is none", async () => {
    const late = setup({ delayHours: 30 });
    const ticketId = await late.solve();
    late.clock.advance(31 * HOUR);
    await late.desk.runDue();
    expect(late.chat.sent).toHaveLength(1);
    expect((await late.desk.listEvents(ticketId)).find((e) => e.type === "csat.skipped")?.data.reason).toBe(
      "reply_window_closed",
    );
    await late.desk.close();

    const templated = setup({ delayHours: 30, templates: { whatsapp: { name: "csat_survey", language: "ko" } } });
    const id2 = await templated.solve();
    templated.clock.advance(31 * HOUR);
    await templated.desk.runDue();
    expect(templated.chat.sent[1]?.template?.name).toBe("csat_survey");
    expect((await templated.desk.listEvents(id2)).find((e) => e.type === "csat.sent")?.data.via).toBe("template");
    await templated.desk.close();
  });

  it("never after an auto-close unless the shop says so; never for a ticket marked no survey; not after a reopen", async () => {
    const closed = setup({ delayHours: 100 });
    const id = await closed.solve();
    closed.clock.advance(97 * HOUR);
    await closed.desk.runDue(); // auto-close at 96 h
    closed.clock.advance(4 * HOUR);
    await closed.desk.runDue();
    expect((await closed.desk.getTicket(id)).status).toBe("closed");
    expect((await closed.desk.listEvents(id)).find((e) => e.type === "csat.skipped")?.data.reason).toBe("auto_closed");
    await closed.desk.close();

    const marked = setup();
    const id2 = await marked.solve();
    expect(await marked.desk.csat.skip(id2)).toBe(true);
    marked.clock.advance(3 * HOUR);
    await marked.desk.runDue();
    expect(marked.chat.sent).toHaveLength(1);
    await marked.desk.close();

    const reopened = setup();
    const id3 = await reopened.solve();
    await reopened.message("아직 안 왔어요");
    reopened.clock.advance(3 * HOUR);
    await reopened.desk.runDue();
    expect(reopened.chat.sent).toHaveLength(1);
    expect(await reopened.desk.csat.survey(id3)).toBeNull();
    await reopened.desk.close();
  });

  it("after an auto-close when the shop allows it: the survey opens a ticket of its own, a digit answers it", async () => {
    const { desk, clock, chat, message, solve } = setup({ delayHours: 100, afterAutoClose: true }, "webchat", null);
    const id = await solve();
    clock.advance(97 * HOUR);
    await desk.runDue();
    clock.advance(4 * HOUR);
    await desk.runDue();
    expect(chat.sent).toHaveLength(2);
    expect((await desk.csat.survey(id))?.viaTicketId).not.toBeNull();
    await message("5");
    expect((await desk.csat.survey(id))?.rating).toBe(5);
    await desk.close();
  });
});
