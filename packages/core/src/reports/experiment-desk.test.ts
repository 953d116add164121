/** Template A/B tests through the desk: the acknowledgement's variant per ticket, the audit event, the results. */
import { describe, expect, it } from "vitest";
import { createDesk } from "../desk/create-desk.js";
import { memoryStore } from "../store-memory/index.js";
import { manualClock } from "../ports/clock.js";
import { memoryChannel } from "../testing/memory-channel.js";
import { assignVariant, defineTemplateExperiment } from "./template-experiment.js";
import { experimentReport } from "./experiment-report.js";
import { reportsPlugin } from "./reports-plugin.js";

describe("template experiments on the desk", () => {
  it("sends each ticket its variant of auto_ack, records it, and reports resolution-within-target results", async () => {
    const clock = manualClock(new Date("2026-11-02T01:00:00Z"));
    const channel = memoryChannel({ id: "webchat" });
    const desk = createDesk({
      outbox: { wait: "sent" },
      store: memoryStore(),
      clock,
      channels: [channel],
      autoAcknowledge: true,
      templates: [
        { id: "ack_short", name: "짧은 접수", locales: { ko: { subject: null, body: "SHORT {{ticket.ref}}" } } },
      ],
      plugins: [reportsPlugin()],
    });
    await expect(
      desk.reports.experiments.save({ id: "x", template: "auto_ack", outcome: "csat", variants: [{ name: "a" }] }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    const exp = await desk.reports.experiments.save({
      id: "ack-2026-11",
      template: "auto_ack",
      outcome: "resolved_within_target",
      targetHours: 1,
      variants: [{ name: "control" }, { name: "short", templateId: "ack_short" }],
      stopRule: { minPerVariant: 5 },
    });
    expect(await desk.reports.experiments.list()).toEqual([exp]);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const { ticket } = await desk.ingest({
        type: "message",
        channel: "webchat",
        externalId: `m${i}`,
        occurredAt: clock.now(),
        text: "배송 언제 와요?",
        from: { identities: [{ kind: "webchat", value: `v${i}` }] },
        conversationKey: `c${i}`,
      });
      ids.push(ticket!.id);
    }
    let shorts = 0;
    for (const id of ids) {
      const variant = assignVariant(exp, id);
      const events = await desk.listEvents(id);
      const assigned = events.filter((e) => e.type === "experiment.assigned");
      expect(assigned).toHaveLength(1);
      expect(assigned[0]!.data).toMatchObject({ experimentId: "ack-2026-11", variant, template: "auto_ack" });
      const ack = (await desk.listMessages(id)).find((m) => m.direction === "outbound")!;
      expect(ack.text.startsWith("SHORT")).toBe(variant === "short");
      if (variant === "short") shorts++;
    }
    expect(shorts).toBeGreaterThan(5);
    expect(shorts).toBeLessThan(25);
    // "short" tickets are solved in 30 minutes, the control's in 2 hours.
    clock.advance(30 * 60_000);
    for (const id of ids)
      if (assignVariant(exp, id) === "short") await desk.reply(id, { text: "네", agentId: "kim", status: "solved" });
    clock.advance(90 * 60_000);
    for (const id of ids)
      if (assignVariant(exp, id) === "control") await desk.reply(id, { text: "네", agentId: "kim", status: "solved" });
    const results = await desk.reports.experiments.results("ack-2026-11");
    expect(results.assigned).toEqual({ control: 30 - shorts, short: shorts });
    expect(results.variants.map((v) => [v.variant, v.n, v.successes])).toEqual([
      ["control", 30 - shorts, 0],
      ["short", shorts, shorts],
    ]);
    expect(results.variants[1]!.test!.pValue).toBeLessThan(0.001);
    expect(results.decision).toBe("winner");
    expect(results.winner).toBe("short");
    const history = (await Promise.all(ids.map((id) => desk.listEvents(id)))).flat();
    expect(results).toEqual(experimentReport(exp, history, clock.now()));
    // Stopped: new tickets get the plain template and no assignment.
    await desk.reports.experiments.stop("ack-2026-11");
    const { ticket } = await desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: "late",
      occurredAt: clock.now(),
      text: "문의",
      from: { identities: [{ kind: "webchat", value: "late" }] },
      conversationKey: "late",
    });
    expect((await desk.listEvents(ticket!.id)).some((e) => e.type === "experiment.assigned")).toBe(false);
    await expect(desk.reports.experiments.results("nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await desk.close();
  });

  it("no_reopen_7d waits 7 days after the solve and counts a reopen within them as a failure", () => {
    const exp = defineTemplateExperiment({
      id: "e",
      template: "t",
      outcome: "no_reopen_7d",
      variants: [{ name: "a" }, { name: "b" }],
    });
    const t0 = new Date("2026-11-02T00:00:00Z");
    const at = (h: number) => new Date(t0.getTime() + h * 3_600_000);
    const ev = (ticketId: string, seq: number, h: number, type: string, data: Record<string, unknown>) => ({
      id: `${ticketId}-${seq}`,
      ticketId,
      seq,
      at: at(h),
      type,
      data,
      actor: { kind: "system" as const, id: "test" },
    });
    const history = [
      ev("t1", 1, 0, "ticket.created", { channel: "webchat" }),
      ev("t1", 2, 0, "experiment.assigned", { experimentId: "e", variant: "a" }),
      ev("t1", 3, 1, "status.changed", { from: "open", to: "solved" }),
      ev("t1", 4, 30, "status.changed", { from: "solved", to: "open" }),
      ev("t2", 1, 0, "ticket.created", { channel: "webchat" }),
      ev("t2", 2, 0, "experiment.assigned", { experimentId: "e", variant: "b" }),
      ev("t2", 3, 1, "status.changed", { from: "open", to: "solved" }),
    ];
    const early = experimentReport(exp, history, at(48));
    expect(early.variants.map((v) => [v.n, v.successes])).toEqual([
      [1, 0],
      [0, 0],
    ]);
    const late = experimentReport(exp, history, at(1 + 7 * 24));
    expect(late.variants.map((v) => [v.n, v.successes])).toEqual([
      [1, 0],
      [1, 1],
    ]);
  });
});
