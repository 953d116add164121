/**
 * The CSAT and incidents plugins on PostgreSQL (PGlite, and the server when DATABASE_URL is set):
 * their records, jobs and hooks in the store's transactions, as on the memory store.
 */
import { expect } from "vitest";
import { csatPlugin, incidentsPlugin, surveyButtonId } from "@storedesk/core";
import { runPluginTest } from "@storedesk/core/testing";
import { pluginTestStores } from "./helpers.js";

const stores = pluginTestStores();
const options = { autoAcknowledge: false, outbox: { wait: "sent" as const } };

runPluginTest(
  "a CSAT survey is sent once after a solve and a button answers it",
  { plugins: [csatPlugin()], stores, options },
  async (kit) => {
    const { ticket } = await kit.message("배송 언제 와요?");
    await kit.desk.reply(ticket!.id, { text: "내일 도착합니다", agentId: "kim", status: "solved" });
    kit.clock.advance(24 * 3_600_000 + 1000);
    await kit.desk.runDue();
    await kit.desk.runDue();
    expect(kit.chat.sent).toHaveLength(2);
    expect((kit.chat.sent[1]!.options?.quickReplies as unknown[]).length).toBe(5);
    const answer = await kit.message(surveyButtonId(ticket!.id, 4));
    expect(answer.ticket?.status).toBe("solved");
    const events = await kit.desk.listEvents(ticket!.id);
    expect(events.filter((e) => e.type === "csat.received").map((e) => e.data.rating)).toEqual([4]);
    expect((await kit.desk.csat.survey(ticket!.id))?.state).toBe("answered");
  },
);

runPluginTest(
  "an incident tags, links and answers matching new tickets, and broadcasts to them",
  { plugins: [incidentsPlugin()], stores, options },
  async (kit) => {
    const strike = await kit.desk.incidents.open({
      title: "택배 파업",
      match: { text: ["택배 파업"] },
      autoReply: { ko: "파업으로 늦어지고 있습니다.", en: "Delayed by a strike." },
    });
    const hit = await kit.message("택배 파업 때문에 늦나요?");
    await kit.message("교환하고 싶어요", { conversation: "chat-2", visitor: "v2" });
    expect(hit.ticket?.tags).toContain(strike.tag);
    expect(await kit.desk.incidents.tickets(strike.id)).toEqual([hit.ticket!.id]);
    const run = await kit.desk.incidents.broadcast(strike.id, { text: "배송이 재개되었습니다." });
    expect(run).toMatchObject({ total: 1, sent: 1 });
    expect(kit.chat.sent.map((m) => m.text)).toEqual(["파업으로 늦어지고 있습니다.", "배송이 재개되었습니다."]);
  },
);
