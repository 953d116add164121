import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { StoredeskError } from "@storedesk/core";
import { defineTemplateRegistry } from "../src/index.js";
import { cloudApiBody, GRAPH, PHONE_NUMBER_ID, signedRequest, whatsappTestDesk } from "../src/test-support.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const unixSeconds = (at: Date) => String(Math.floor(at.getTime() / 1000));

function inbound(id: string, at: Date, text: string): string {
  return cloudApiBody({
    contacts: [{ profile: { name: "김민지" }, wa_id: "821012345678" }],
    messages: [{ from: "821012345678", id, timestamp: unixSeconds(at), type: "text", text: { body: text } }],
  });
}

function statusBody(id: string, status: string, at: Date): string {
  return cloudApiBody({ statuses: [{ id, status, timestamp: unixSeconds(at), recipient_id: "821012345678" }] });
}

describe("whatsapp reply window through the desk", () => {
  it("refuses a free-form reply after 24 h, sends the suggested template instead, and reopens on a new inbound", async () => {
    const t0 = new Date("2026-03-02T09:00:00Z");
    const sent: Array<Record<string, unknown>> = [];
    server.use(
      http.post(`${GRAPH}/${PHONE_NUMBER_ID}/messages`, async ({ request }) => {
        sent.push((await request.json()) as Record<string, unknown>);
        return HttpResponse.json({ messages: [{ id: `wamid.OUT${sent.length}` }] });
      }),
    );
    const { clock, desk } = whatsappTestDesk(t0, {
      desk: { outbox: { wait: "sent" } },
      channel: {
        templates: defineTemplateRegistry([
          { name: "support_followup", language: "ko", category: "utility", parameters: { body: 1 } },
        ]),
      },
    });
    const webhook = desk.webhook("whatsapp");

    expect((await webhook(signedRequest(inbound("wamid.IN1", t0, "주문한 상품 언제 와요?")))).status).toBe(200);
    const [ticket] = await desk.listTickets({});
    if (!ticket) throw new Error("no ticket");
    expect(ticket.channel).toBe("whatsapp");

    // 23 h 59 min later: still open
    clock.advance(23 * 3_600_000 + 59 * 60_000);
    const early = await desk.reply(ticket.id, { text: "내일 도착 예정입니다.", agentId: "agent-1" });
    expect(early.externalId).toBe("wamid.OUT1");

    // 24 h 01 min after the customer's message: closed
    clock.advance(2 * 60_000);
    let refused: unknown = null;
    try {
      await desk.reply(ticket.id, { text: "혹시 받으셨나요?", agentId: "agent-1" });
    } catch (err) {
      refused = err;
    }
    expect(StoredeskError.is(refused, "REPLY_WINDOW_CLOSED")).toBe(true);
    const suggested = (refused as StoredeskError).details?.suggestedTemplate;
    expect(suggested).toBe("support_followup");
    expect(sent).toHaveLength(1);

    const viaTemplate = await desk.reply(ticket.id, {
      text: "혹시 받으셨나요?",
      agentId: "agent-1",
      template: { name: String(suggested), language: "ko", parameters: { body: [`SD-${ticket.number}`] } },
    });
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({
      type: "template",
      template: {
        name: "support_followup",
        language: { code: "ko" },
        components: [{ type: "body", parameters: [{ type: "text", text: `SD-${ticket.number}` }] }],
      },
    });
    expect(viaTemplate.externalId).toBe("wamid.OUT2");

    // Meta's receipt for the template updates the stored message
    expect((await webhook(signedRequest(statusBody("wamid.OUT2", "delivered", clock.now())))).status).toBe(200);
    const afterReceipt = await desk.listMessages(ticket.id);
    expect(afterReceipt.find((m) => m.externalId === "wamid.OUT2")?.deliveryStatus).toBe("delivered");

    // the customer answers: the window reopens and free text goes out again
    clock.advance(60_000);
    await webhook(signedRequest(inbound("wamid.IN2", clock.now(), "네 받았어요")));
    const reopened = await desk.reply(ticket.id, { text: "감사합니다!", agentId: "agent-1" });
    expect(reopened.externalId).toBe("wamid.OUT3");
    expect(sent[2]).toMatchObject({ type: "text", text: { body: "감사합니다!" } });
    expect((await desk.listTickets({})).length).toBe(1);
  });
});
