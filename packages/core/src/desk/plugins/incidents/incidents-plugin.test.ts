import { describe, expect, it } from "vitest";
import { memoryStore } from "../../../store-memory/index.js";
import { manualClock } from "../../../ports/clock.js";
import { memoryChannel } from "../../../testing/memory-channel.js";
import { createDesk } from "../../create-desk.js";
import { defineSlaPolicy } from "../../../sla/index.js";
import { defaultSlaPolicies } from "../../../sla/index.js";
import { incidentsPlugin } from "./incidents-plugin.js";

const HOUR = 3_600_000;

function setup() {
  const clock = manualClock(new Date("2026-03-02T01:00:00Z"));
  const chat = memoryChannel({ id: "webchat" });
  const wa = memoryChannel({ id: "whatsapp", windowMs: 24 * HOUR });
  // While an incident is open its tickets carry the tag "incident": this policy, first, gives them longer targets.
  const crisis = defineSlaPolicy({
    id: "incident",
    name: "Incident",
    conditions: { tagsAny: ["incident"] },
    targets: { default: { first_reply: { minutes: 48 * 60, time: "calendar" } } },
  });
  const desk = createDesk({
    outbox: { wait: "sent" },
    store: memoryStore(),
    clock,
    channels: [chat, wa],
    autoAcknowledge: false,
    ownsStore: true,
    sla: { policies: [crisis, ...defaultSlaPolicies()] },
    plugins: [incidentsPlugin()],
  });
  let n = 0;
  const message = (text: string, channel = "webchat", who = `v${n}`) =>
    desk.ingest({
      type: "message",
      channel,
      externalId: `m${++n}`,
      occurredAt: clock.now(),
      text,
      from: {
        identities: [
          {
            kind: channel === "whatsapp" ? "phone" : "webchat",
            value: channel === "whatsapp" ? `+8210000000${n}` : who,
          },
        ],
      },
      conversationKey: `c${n}`,
    });
  return { desk, clock, chat, wa, message };
}

describe("incidents plugin", () => {
  it("an open incident tags, links and answers matching new tickets at once (ko/en); others are left alone", async () => {
    const { desk, chat, message } = setup();
    const strike = await desk.incidents.open({
      title: "택배 파업",
      match: { text: ["택배 파업", "courier strike"] },
      autoReply: {
        ko: "택배 파업으로 배송이 늦어지고 있습니다. 죄송합니다.",
        en: "Deliveries are delayed by a courier strike. We are sorry.",
      },
    });
    const ko = await message("택배파업 때문에 배송이 늦나요?");
    const en = await message("Is the courier strike delaying my parcel?");
    const other = await message("사이즈 교환하고 싶어요");
    expect(ko.ticket?.tags).toEqual(expect.arrayContaining(["incident", strike.tag]));
    expect(other.ticket?.tags).not.toContain("incident");
    expect(chat.sent.map((m) => m.text)).toEqual([
      "택배 파업으로 배송이 늦어지고 있습니다. 죄송합니다.",
      "Deliveries are delayed by a courier strike. We are sorry.",
    ]);
    expect((await desk.incidents.tickets(strike.id)).sort()).toEqual([ko.ticket!.id, en.ticket!.id].sort());
    expect((await desk.incidents.get(strike.id)).linked).toBe(2);
    expect((await desk.listEvents(ko.ticket!.id)).find((e) => e.type === "incident.linked")?.data.incidentId).toBe(
      strike.id,
    );
    // SLA through the contract: the tag selects the incident policy.
    expect((await desk.getTicket(ko.ticket!.id)).sla?.policyId).toBe("incident");
    expect((await desk.getTicket(other.ticket!.id)).sla?.policyId).not.toBe("incident");
    // Closed without solving: the tickets stay open, their SLA goes back to the usual policy.
    const closed = await desk.incidents.close(strike.id);
    expect(closed).toMatchObject({ total: 2, skipped: 2 });
    const after = await desk.getTicket(ko.ticket!.id);
    expect(after.tags).not.toContain("incident");
    expect(after.tags).toContain(strike.tag);
    expect(after.sla?.policyId).not.toBe("incident");
    await desk.close();
  });

  it("broadcast replies to every linked ticket through the desk, with progress and counts; a closed window takes the template or is skipped", async () => {
    const { desk, clock, chat, wa, message } = setup();
    const outage = await desk.incidents.open({
      title: "Site outage",
      match: { text: ["결제 오류", "checkout error"] },
    });
    await message("결제 오류가 나요");
    await message("checkout error again", "whatsapp");
    await message("결제 오류 때문에 주문이 안 돼요", "whatsapp");
    clock.advance(25 * HOUR); // the WhatsApp windows closed
    const progress: number[] = [];
    const first = await desk.incidents.broadcast(outage.id, {
      text: { ko: "복구되었습니다.", en: "We are back." },
      onProgress: (p) => progress.push(p.done),
    });
    expect(first).toMatchObject({ total: 3, sent: 1, skipped: 2, failed: 0 });
    expect(progress).toEqual([1, 2, 3]);
    expect(chat.sent.at(-1)?.text).toBe("복구되었습니다.");
    const second = await desk.incidents.broadcast(outage.id, {
      text: "복구되었습니다.",
      template: { name: "service_update", language: "ko" },
    });
    expect(second).toMatchObject({ total: 3, sent: 3, skipped: 0 });
    expect(wa.sent.map((m) => m.template?.name)).toEqual(["service_update", "service_update"]);
    await desk.close();
  });

  it("closing solves the linked tickets with a final message and links no more tickets", async () => {
    const { desk, chat, message } = setup();
    const strike = await desk.incidents.open({ title: "택배 파업", match: { text: ["파업"] } });
    const a = await message("파업 언제 끝나요?");
    const b = await message("택배 파업 배송 문의");
    const done = await desk.incidents.close(strike.id, {
      solve: true,
      finalMessage: { ko: "파업이 끝나 배송이 재개되었습니다.", en: "The strike is over." },
    });
    expect(done).toMatchObject({ total: 2, sent: 2, failed: 0 });
    expect((await desk.getTicket(a.ticket!.id)).status).toBe("solved");
    expect((await desk.getTicket(b.ticket!.id)).status).toBe("solved");
    expect(chat.sent.at(-1)?.text).toBe("파업이 끝나 배송이 재개되었습니다.");
    const later = await message("파업 때문에 늦나요?");
    expect(later.ticket?.tags).not.toContain("incident");
    expect((await desk.incidents.get(strike.id)).status).toBe("closed");
    await expect(desk.incidents.open({ title: "", match: {} })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await desk.close();
  });
});
