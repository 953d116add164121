import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fixture, GRAPH, metaTestDesk, PAGE_ID, PSID, signedRequest } from "../src/test-support.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const setup = () => metaTestDesk(new Date("2026-03-02T10:05:00Z"), { outbox: { wait: "sent" } });

function dm(mid: string, at: Date, text: string): string {
  return JSON.stringify({
    object: "page",
    entry: [
      {
        id: PAGE_ID,
        time: at.getTime(),
        messaging: [
          { sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: at.getTime(), message: { mid, text } },
        ],
      },
    ],
  });
}

describe("meta comments through the desk", () => {
  it("turns an angry Korean Facebook comment into a comment ticket categorized as a complaint", async () => {
    const { desk } = setup();
    expect((await desk.webhook("messenger")(signedRequest(fixture("facebook-comment.json")))).status).toBe(200);
    const tickets = await desk.listTickets({});
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({
      channel: "messenger",
      kind: "comment",
      category: "complaint",
      conversationKey: `meta:comment:${PAGE_ID}_111:24681357913579`,
    });
  });

  it("turns an angry English Instagram comment into a complaint ticket on the instagram channel, through the messenger-mounted webhook", async () => {
    const { desk } = setup();
    // one callback URL for both objects: the events carry their own channel
    expect((await desk.webhook("messenger")(signedRequest(fixture("instagram-comment.json")))).status).toBe(200);
    const [ticket] = await desk.listTickets({});
    expect(ticket).toMatchObject({ channel: "instagram", kind: "comment", category: "complaint" });
  });

  it("keeps a comment, its private reply and the customer's DM answer on one ticket", async () => {
    const { clock, desk } = setup();
    const sent: Array<Record<string, unknown>> = [];
    server.use(
      http.post(`${GRAPH}/${PAGE_ID}/messages`, async ({ request }) => {
        sent.push((await request.json()) as Record<string, unknown>);
        return HttpResponse.json({ recipient_id: PSID, message_id: `m_PRIVATE${sent.length}` });
      }),
    );
    const webhook = desk.webhook("messenger");
    await webhook(signedRequest(fixture("facebook-comment.json")));
    const [comment] = await desk.listTickets({});
    if (!comment) throw new Error("no ticket");

    const reply = await desk.reply(comment.id, {
      text: "불편을 드려 죄송합니다. 주문번호를 DM으로 알려주세요.",
      agentId: "agent-1",
      options: { privateReply: true },
    });
    expect(sent[0]).toEqual({
      recipient: { comment_id: "111_222" },
      message: { text: "불편을 드려 죄송합니다. 주문번호를 DM으로 알려주세요." },
    });
    expect(reply.externalId).toBe("m_PRIVATE1");

    clock.advance(10 * 60_000);
    expect((await webhook(signedRequest(dm("m_CUSTOMER_DM1", clock.now(), "주문번호 #1001 입니다")))).status).toBe(200);
    const tickets = await desk.listTickets({});
    expect(tickets).toHaveLength(1);
    const messages = await desk.listMessages(comment.id);
    expect(messages.map((m) => [m.direction, m.externalId])).toEqual([
      ["inbound", "111_222"],
      ["outbound", "m_PRIVATE1"],
      ["inbound", "m_CUSTOMER_DM1"],
    ]);

    // the agent's next private reply on the comment ticket goes to the PSID as a DM
    await desk.reply(comment.id, {
      text: "확인했습니다. 오늘 재발송해 드릴게요.",
      agentId: "agent-1",
      visibility: "private",
    });
    expect(sent[1]).toMatchObject({ recipient: { id: PSID }, messaging_type: "RESPONSE" });
  });
});
