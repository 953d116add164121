/**
 * Template A/B test results in SQL (PostgreSQL server and PGlite) equal core's pure
 * `experimentReport` over the same history, for each outcome; and the flow through a desk.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assignVariant,
  createDesk,
  defineTemplateExperiment,
  experimentReport,
  generateReportHistory,
  manualClock,
  reportsPlugin,
  type TicketEvent,
} from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { backends, type Opened } from "./helpers.js";

const experiments = (["csat", "no_reopen_7d", "resolved_within_target"] as const).map((outcome) =>
  defineTemplateExperiment({
    id: `exp-${outcome}`,
    template: "auto_ack",
    outcome,
    targetHours: 8,
    variants: [{ name: "control" }, { name: "b", weight: 2 }, { name: "c" }],
    stopRule: { minPerVariant: 20 },
  }),
);

/** The generated history with every ticket in each experiment (a second, ignored assignment on some). */
function historyWithAssignments(): TicketEvent[] {
  const base = generateReportHistory({ tickets: 600, seed: 11 });
  const last = new Map<string, TicketEvent>();
  for (const e of base) if ((last.get(e.ticketId)?.seq ?? -1) < e.seq) last.set(e.ticketId, e);
  const extra: TicketEvent[] = [];
  for (const [ticketId, e] of last) {
    let seq = e.seq;
    for (const exp of experiments) {
      const variant = assignVariant(exp, ticketId);
      const data = { experimentId: exp.id, template: "auto_ack", variant, templateId: "auto_ack" };
      extra.push({ ...e, id: `${ticketId}-x${++seq}`, seq, type: "experiment.assigned", data });
      if (seq % 5 === 0)
        extra.push({
          ...e,
          id: `${ticketId}-x${++seq}`,
          seq,
          type: "experiment.assigned",
          data: { ...data, variant: "c" },
        });
    }
  }
  return [...base, ...extra];
}

const history = historyWithAssignments();
const nows = [new Date("2026-11-20T00:00:00Z"), new Date("2027-01-01T00:00:00Z")];

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`template experiments in SQL on ${backend.name}`, () => {
    let opened: Opened;
    beforeAll(async () => {
      await backend.start();
      opened = await backend.open();
      for (let i = 0; i < history.length; i += 2000) await opened.store.appendEvents!(history.slice(i, i + 2000));
    }, 120_000);
    afterAll(async () => {
      await opened?.cleanup();
      await backend.stop();
    });
    for (const exp of experiments) {
      it(`${exp.outcome} equals the pure results`, async () => {
        for (const now of nows) {
          const expected = experimentReport(exp, history, now);
          expect(expected.variants.every((v) => v.n > 0)).toBe(true);
          expect(await opened.store.reports.experimentReport!(exp, now)).toEqual(expected);
        }
      });
    }

    it("through a desk: the acknowledgement's variant, the audit event and desk.reports.experiments.results", async () => {
      const o = await backend.open();
      try {
        const clock = manualClock(new Date("2026-11-02T01:00:00Z"));
        const desk = createDesk({
          outbox: { wait: "sent" },
          store: o.store,
          clock,
          channels: [memoryChannel({ id: "webchat" })],
          autoAcknowledge: true,
          templates: [{ id: "ack_b", name: "B", locales: { ko: { subject: null, body: "B {{ticket.ref}}" } } }],
          plugins: [reportsPlugin()],
        });
        const exp = await desk.reports.experiments.save({
          id: "ack",
          template: "auto_ack",
          outcome: "resolved_within_target",
          targetHours: 1,
          variants: [{ name: "control" }, { name: "b", templateId: "ack_b" }],
          stopRule: { minPerVariant: 3 },
        });
        const ids: string[] = [];
        for (let i = 0; i < 16; i++) {
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
        for (const id of ids) {
          const variant = assignVariant(exp, id);
          const assigned = (await desk.listEvents(id)).filter((e) => e.type === "experiment.assigned");
          expect(assigned.map((e) => e.data.variant)).toEqual([variant]);
          const ack = (await desk.listMessages(id)).find((m) => m.direction === "outbound")!;
          expect(ack.text.startsWith("B ")).toBe(variant === "b");
        }
        clock.advance(30 * 60_000);
        for (const id of ids.filter((id) => assignVariant(exp, id) === "b"))
          await desk.reply(id, { text: "네", agentId: "kim", status: "solved" });
        const results = await desk.reports.experiments.results("ack");
        const bs = ids.filter((id) => assignVariant(exp, id) === "b").length;
        expect(results.assigned).toEqual({ control: 16 - bs, b: bs });
        expect(results.variants.map((v) => [v.n, v.successes])).toEqual([
          [0, 0],
          [bs, bs],
        ]);
        const events = (await Promise.all(ids.map((id) => desk.listEvents(id)))).flat();
        expect(results).toEqual(experimentReport(exp, events, clock.now()));
        await desk.close();
      } finally {
        await o.cleanup();
      }
    });
  });
}
