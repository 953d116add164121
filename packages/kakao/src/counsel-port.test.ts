import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { manualClock, StoredeskError } from "@storedesk/core";
import { channelTestDesk } from "@storedesk/core/testing";
import { COUNSEL_SESSION_MS } from "./index.js";
import {
  COUNSEL_API_KEY,
  COUNSEL_BASE,
  counselBody,
  counselRequest,
  mockProviders,
  testCounselChannel,
} from "./test-support.js";

const server = mockProviders();

let calls: Array<{ path: string; body: Record<string, unknown>; auth: string | null }>;
beforeEach(() => {
  calls = [];
  server.use(
    http.post(`${COUNSEL_BASE}/v1/counsel/*`, async ({ request }) => {
      calls.push({
        path: new URL(request.url).pathname,
        body: (await request.json()) as Record<string, unknown>,
        auth: request.headers.get("authorization"),
      });
      return HttpResponse.json({ code: "0000", message_id: `d-${calls.length}` });
    }),
  );
});

function setup() {
  const clock = manualClock(new Date("2026-03-02T09:00:00+09:00"));
  const channel = testCounselChannel();
  const desk = channelTestDesk([channel], { clock, options: { outbox: { wait: "sent" } } });
  return { clock, channel, desk, hook: desk.webhook(channel.id) };
}

describe("kakao consultation talk (상담톡)", () => {
  it("turns a customer message into a ticket and sends the agent's text in the same session", async () => {
    const { desk, hook } = setup();
    expect((await hook(counselRequest(counselBody("주문 취소하고 싶어요")))).status).toBe(200);
    const [ticket] = await desk.listTickets({});
    await desk.reply(ticket!.id, { text: "주문번호를 알려주시겠어요?", agentId: "choi" });
    expect(calls).toEqual([
      {
        path: "/v1/counsel/messages",
        auth: `Bearer ${COUNSEL_API_KEY}`,
        body: {
          sender_key: "sender-1",
          user_key: "pfk-minsu",
          session_id: "S100",
          serial_number: expect.any(String),
          message_type: "TX",
          message: "주문번호를 알려주시겠어요?",
        },
      },
    ]);
  });

  it("sends images and files by URL after the text", async () => {
    const { desk, hook } = setup();
    await hook(counselRequest(counselBody("사용설명서 있나요?")));
    const [ticket] = await desk.listTickets({});
    await desk.reply(ticket!.id, { text: "첨부드립니다.", agentId: "choi" });
    const message = { ...(await desk.listMessages(ticket!.id))[0]! };
    expect(message.direction).toBe("inbound");
    const channel = setup().channel;
    await channel.send({
      messageId: "m-2",
      ticket: ticket!,
      customer: (await desk.exportCustomer(ticket!.customerId)).customer,
      text: "",
      visibility: "private",
      thread: [{ externalId: "counsel:S100:m-1", direction: "inbound", createdAt: new Date() }],
      attachments: [
        {
          filename: "manual.pdf",
          contentType: "application/pdf",
          size: 1000,
          url: "https://cdn.shop.example/manual.pdf",
          providerId: null,
          contentBase64: null,
        },
        {
          filename: "a.jpg",
          contentType: "image/jpeg",
          size: 10,
          url: "https://cdn.shop.example/a.jpg",
          providerId: null,
          contentBase64: null,
        },
      ],
    });
    expect(calls.slice(1).map((c) => c.body.message_type)).toEqual(["FI", "PH"]);
  });

  it("keeps the reply window open for 30 days from the customer's last message", async () => {
    const { desk, hook, clock } = setup();
    await hook(counselRequest(counselBody("문의")));
    const [ticket] = await desk.listTickets({});
    clock.advance(COUNSEL_SESSION_MS - 1000);
    await desk.reply(ticket!.id, { text: "늦어서 죄송합니다.", agentId: "choi" });
    clock.advance(2000);
    const err = await desk.reply(ticket!.id, { text: "또 늦음", agentId: "choi" }).catch((e: unknown) => e);
    expect(StoredeskError.is(err, "REPLY_WINDOW_CLOSED")).toBe(true);
  });

  it("ends the session at the dealer", async () => {
    const { desk, hook, channel } = setup();
    await hook(counselRequest(counselBody("문의")));
    const [ticket] = await desk.listTickets({});
    const customer = (await desk.exportCustomer(ticket!.customerId)).customer;
    await channel.endSession({
      ticket: ticket!,
      customer,
      thread: [{ externalId: "counsel:S100:m-1", direction: "inbound", createdAt: new Date() }],
    });
    expect(calls).toEqual([
      {
        path: "/v1/counsel/sessions/end",
        auth: `Bearer ${COUNSEL_API_KEY}`,
        body: { sender_key: "sender-1", user_key: "pfk-minsu", session_id: "S100" },
      },
    ]);
  });

  it("acknowledges a session-end webhook without a message", async () => {
    const { channel } = setup();
    const r = await channel.handleWebhook(counselRequest(counselBody("", { type: "end" })));
    expect(r.response.status).toBe(200);
    expect(r.events).toEqual([]);
  });
});
