import { describe, expect, it } from "vitest";
import { memoryStore } from "../../store-memory/index.js";
import { manualClock } from "../../ports/clock.js";
import { memoryChannel } from "../../testing/memory-channel.js";
import { createDesk } from "../create-desk.js";
import { csatPlugin } from "../plugins/csat/csat-plugin.js";

const HOUR = 3_600_000;

function setup() {
  const clock = manualClock(new Date("2026-03-02T01:00:00Z"));
  const chat = memoryChannel({ id: "whatsapp", windowMs: 24 * HOUR });
  const desk = createDesk({
    outbox: { wait: "sent" },
    store: memoryStore(),
    clock,
    channels: [chat],
    autoAcknowledge: false,
    ownsStore: true,
    agents: [{ id: "kim", role: "agent" }],
    plugins: [csatPlugin({ delayHours: { default: 24, whatsapp: 2 } })],
  });
  let n = 0;
  const message = (text: string, meta: Record<string, unknown> = {}) =>
    desk.ingest({
      type: "message",
      channel: "whatsapp",
      externalId: `in-${++n}`,
      occurredAt: clock.now(),
      text,
      meta,
      from: { identities: [{ kind: "phone", value: "+821012345678" }] },
      conversationKey: "c1",
    });
  return { desk, clock, chat, message };
}

describe("ingest outcome", () => {
  it("says `threaded` for a survey tap that keeps the ticket solved, `reopened` for a message that reopens it", async () => {
    const { desk, clock, chat, message } = setup();
    const { ticket } = await message("배송이 늦어요");
    await desk.assign(ticket!.id, { agentId: "kim" });
    await desk.reply(ticket!.id, { text: "내일 도착합니다", agentId: "kim", status: "solved" });
    clock.advance(2 * HOUR + 1000);
    await desk.runDue();
    const buttons = chat.sent[1]!.options?.quickReplies as Array<{ id: string; title: string }>;
    const tap = await message(buttons[0]!.title, { interactive: { type: "button_reply", id: buttons[0]!.id } });
    expect(tap.ticket?.status).toBe("solved");
    expect(tap.outcome).toBe("threaded");
    const again = await message("아직 안 왔어요");
    expect(again.ticket?.status).not.toBe("solved");
    expect(again.outcome).toBe("reopened");
    await desk.close();
  });
});
