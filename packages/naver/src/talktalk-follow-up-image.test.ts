import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore, StoredeskError } from "@storedesk/core";
import { naverTalkTalkChannel } from "./index.js";

// A reply with a composite (or text) and an image is two `send` events, the image second. These
// tests pin that the image is never dropped, and that a failed image fails the message.

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const KEY = "ct_partner_key";
const HOOK = "hook-token";
const URL_ = "https://gw.talk.naver.com/chatbot/v1/event";
const USER = "al-2eGuGr5WQOnco1_V-FQ";
const PHOTO = "https://shop.example/img/size-chart.png";
const composite = {
  compositeList: [
    {
      title: "사이즈표",
      description: "상품별 사이즈를 확인하세요",
      buttonList: [{ type: "TEXT", data: { title: "다른 상품", code: "MORE" } }],
    },
  ],
};

/** What the image event gets back; the first event always succeeds. */
let imageAnswer: () => Response;
let sent: Array<Record<string, unknown>>;
beforeEach(() => {
  sent = [];
  imageAnswer = () => HttpResponse.json({ success: true, resultCode: "00" });
  server.use(
    http.post(URL_, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      sent.push(body);
      return "imageContent" in body ? imageAnswer() : HttpResponse.json({ success: true, resultCode: "00" });
    }),
  );
});

async function ticketOpen() {
  const clock = manualClock(new Date("2026-03-02T09:00:00+09:00"));
  const channel = naverTalkTalkChannel({ authorization: KEY, webhookToken: HOOK, clock });
  const desk = createDesk({
    outbox: { wait: "sent" },
    store: memoryStore(),
    channels: [channel],
    clock,
    autoAcknowledge: false,
  });
  const request = new Request(`https://shop.example/webhooks/talktalk?token=${HOOK}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ event: "send", user: USER, textContent: { text: "사이즈표 있나요?" } }),
  });
  await desk.ingest((await channel.handleWebhook(request)).events[0]!);
  const [ticket] = await desk.listTickets({});
  return { channel, desk, ticketId: ticket!.id };
}

const image = [{ contentType: "image/png", url: PHOTO, filename: "size-chart.png" }];

describe("naver talktalk: a composite reply with an image", () => {
  it("sends the composite, then the image as its own imageContent event; the message keeps the composite's id", async () => {
    const { desk, ticketId } = await ticketOpen();
    const reply = await desk.reply(
      ticketId,
      { text: "사이즈표입니다.", agentId: "lee", attachments: image, options: { composite, notification: true } },
      { wait: "sent" },
    );
    expect(sent).toEqual([
      { event: "send", user: USER, compositeContent: composite, options: { notification: true } },
      { event: "send", user: USER, imageContent: { imageUrl: PHOTO } },
    ]);
    expect(reply.deliveryStatus).toBe("sent");
    const [stored] = (await desk.listMessages(ticketId)).filter((m) => m.direction === "outbound");
    expect(stored!.externalId).toBe(`talk-out:${stored!.id}`);
    expect(stored!.meta.naver).toEqual({
      events: [
        { externalId: `talk-out:${stored!.id}`, content: "compositeContent" },
        { externalId: `talk-out:${stored!.id}:image`, content: "imageContent" },
      ],
    });
  });

  it("sends a composite with an image and no text the same way", async () => {
    const { desk, ticketId } = await ticketOpen();
    await desk.reply(
      ticketId,
      { text: "", agentId: "lee", attachments: image, options: { composite } },
      { wait: "sent" },
    );
    expect(sent.map((b) => Object.keys(b).find((k) => k.endsWith("Content")))).toEqual([
      "compositeContent",
      "imageContent",
    ]);
  });

  it.each([
    ["a result code", () => HttpResponse.json({ success: false, resultCode: "IMG-99", resultMessage: "이미지 오류" })],
    ["an outage (503, retryable on its own)", () => new HttpResponse(null, { status: 503 })],
  ])(
    "fails the message, with the reason, when the image after the composite is refused by %s; the composite goes once",
    async (_name, answer) => {
      imageAnswer = answer;
      const { desk, ticketId } = await ticketOpen();
      const err = await desk
        .reply(
          ticketId,
          { text: "사이즈표입니다.", agentId: "lee", attachments: image, options: { composite } },
          { wait: "sent" },
        )
        .catch((e: unknown) => e);
      expect(StoredeskError.is(err, "PROVIDER_ERROR")).toBe(true);
      const error = err as StoredeskError;
      expect(error.retryable).toBe(false);
      expect(error.message).toContain("sent the composite but not the image");
      expect(error.details).toMatchObject({
        provider: "naver-talktalk",
        partial: true,
        sent: "compositeContent",
        failed: "imageContent",
        imageUrl: PHOTO,
      });
      const failed = (await desk.listMessages(ticketId)).find((m) => m.direction === "outbound");
      expect(failed?.deliveryStatus).toBe("failed");
      // Not retried: a retry would put the composite in front of the customer twice.
      expect(sent.filter((b) => "compositeContent" in b)).toHaveLength(1);
      expect(sent.filter((b) => "imageContent" in b)).toHaveLength(1);
    },
  );

  it("fails a text reply whose image is refused the same way, without sending the text twice", async () => {
    imageAnswer = () => new HttpResponse(null, { status: 503 });
    const { desk, ticketId } = await ticketOpen();
    const err = await desk
      .reply(ticketId, { text: "사이즈표입니다.", agentId: "lee", attachments: image }, { wait: "sent" })
      .catch((e: unknown) => e);
    expect(StoredeskError.is(err, "PROVIDER_ERROR")).toBe(true);
    expect((err as StoredeskError).details).toMatchObject({ partial: true, sent: "textContent" });
    expect(sent.filter((b) => "textContent" in b)).toHaveLength(1);
  });

  it("sends a reply meant for the webhook's HTTP answer through the send API when it has an image to follow", async () => {
    const { channel, desk, ticketId } = await ticketOpen();
    await desk.reply(
      ticketId,
      { text: "", agentId: "lee", attachments: image, options: { composite, talktalkInline: "tok-1" } },
      { wait: "sent" },
    );
    expect(channel.takeInline("tok-1")).toBeNull();
    expect(sent).toEqual([
      { event: "send", user: USER, compositeContent: composite },
      { event: "send", user: USER, imageContent: { imageUrl: PHOTO } },
    ]);
  });
});
