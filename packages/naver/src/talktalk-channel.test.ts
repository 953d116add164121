import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore, StoredeskError } from "@storedesk/core";
import { naverTalkTalkChannel, talkTalkWebhook } from "./index.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const KEY = "ct_partner_key";
const HOOK = "hook-token";
const URL_ = "https://gw.talk.naver.com/chatbot/v1/event";
const USER = "al-2eGuGr5WQOnco1_V-FQ";
let sent: Array<{ body: Record<string, unknown>; auth: string | null }>;
beforeEach(() => {
  sent = [];
  server.use(
    http.post(URL_, async ({ request }) => {
      sent.push({
        body: (await request.json()) as Record<string, unknown>,
        auth: request.headers.get("authorization"),
      });
      return HttpResponse.json({ success: true, resultCode: "00" });
    }),
  );
});

const post = (body: unknown) =>
  new Request(`https://shop.example/webhooks/talktalk?token=${HOOK}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const open = (options: Record<string, unknown>) =>
  post({
    event: "open",
    user: USER,
    options: {
      inflow: "button",
      referer: "https://smartstore.naver.com/shop/products/309672359",
      from: "309672359",
      friend: false,
      under14: false,
      under19: false,
      ...options,
    },
  });
const say = (text: string) => post({ event: "send", user: USER, textContent: { text } });

function setup(opts: { guardianConsent?: (u: string) => boolean } = {}) {
  const clock = manualClock(new Date("2026-03-02T09:00:00+09:00"));
  const channel = naverTalkTalkChannel({ authorization: KEY, webhookToken: HOOK, clock, ...opts });
  const desk = createDesk({
    outbox: { wait: "sent" },
    store: memoryStore(),
    channels: [channel],
    clock,
    autoAcknowledge: false,
  });
  return { clock, channel, desk };
}

describe("naver talktalk webhook", () => {
  it("keeps the open event's inflow, referer and product on the next message", async () => {
    const { channel } = setup();
    expect((await channel.handleWebhook(open({}))).events).toEqual([]);
    const { events } = await channel.handleWebhook(say("이 상품 재입고 되나요?"));
    const meta = (events[0] as { meta: Record<string, unknown> }).meta;
    expect(meta.naver).toMatchObject({ inflow: "button", from: "309672359", under14: false, friend: false });
    expect(meta.context).toEqual({
      product: { id: "309672359", url: "https://smartstore.naver.com/shop/products/309672359" },
    });
  });

  it("stores no contact details of an under-14 user without the guardian's consent", async () => {
    const { channel, desk } = setup();
    await channel.handleWebhook(open({ under14: true }));
    const { events } = await channel.handleWebhook(say("제 번호 010-1234-5678, kid@example.com 으로 연락주세요"));
    const result = await desk.ingest(events[0]!);
    expect(result.message!.text).not.toContain("010-1234-5678");
    expect(result.message!.text).not.toContain("kid@example.com");
    expect(result.message!.meta.naver).toMatchObject({ under14: true, guardianConsent: false });
  });

  it("keeps the message whole for an under-14 user whose guardian consented", async () => {
    const { channel } = setup({ guardianConsent: (u) => u === USER });
    await channel.handleWebhook(open({ under14: true }));
    const { events } = await channel.handleWebhook(say("제 번호 010-1234-5678"));
    expect((events[0] as { text: string }).text).toContain("010-1234-5678");
  });

  it("keeps the friend flag current: a friend event changes it on the next message, with or without an open seen", async () => {
    const { channel } = setup();
    const friendFlag = async () => {
      const [event] = (await channel.handleWebhook(say("문의"))).events;
      const meta = (event as { meta?: { naver?: { friend?: unknown } } } | undefined)?.meta;
      return meta?.naver?.friend;
    };
    // No open event seen by this process (a restart, another instance): the friend event still counts.
    await channel.handleWebhook(post({ event: "friend", user: USER, options: { set: "on" } }));
    expect(await friendFlag()).toBe(true);
    await channel.handleWebhook(open({ friend: true }));
    await channel.handleWebhook(post({ event: "friend", user: USER, options: { set: "off" } }));
    expect(await friendFlag()).toBe(false);
  });

  it("acknowledges leave and friend events without a message", async () => {
    const { channel } = setup();
    for (const body of [
      { event: "leave", user: USER },
      { event: "friend", user: USER, options: { set: "on" } },
    ]) {
      const r = await channel.handleWebhook(post(body));
      expect(r.response.status).toBe(200);
      expect(r.events).toEqual([]);
    }
  });
});

describe("naver talktalk answers", () => {
  it("answers inside the HTTP response when the bot is quick, and records the reply on the ticket", async () => {
    const { channel, desk } = setup();
    const handle = talkTalkWebhook({
      desk,
      channel,
      answer: async () => "보통 2~3일 안에 도착합니다.",
      budgetMs: 1000,
    });
    const response = await handle(say("배송 얼마나 걸려요?"));
    expect(await response.json()).toEqual({
      event: "send",
      textContent: { text: "보통 2~3일 안에 도착합니다." },
    });
    expect(sent).toEqual([]);
    const [ticket] = await desk.listTickets({});
    const messages = await desk.listMessages(ticket!.id);
    expect(messages.map((m) => [m.direction, m.authorKind])).toEqual([
      ["inbound", "customer"],
      ["outbound", "bot"],
    ]);
  });

  it("sends a slow answer afterwards through the send API with the partner key", async () => {
    const { channel, desk } = setup();
    let release!: (text: string) => void;
    const slow = new Promise<string>((resolve) => {
      release = resolve;
    });
    const handle = talkTalkWebhook({ desk, channel, answer: () => slow, budgetMs: 20 });
    const response = await handle(say("교환 되나요?"));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    release("네, 수령 후 7일 안에 교환됩니다.");
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).toEqual([
      {
        body: { event: "send", user: USER, textContent: { text: "네, 수령 후 7일 안에 교환됩니다." } },
        auth: KEY,
      },
    ]);
  });

  it("hands the chat to a person when the bot has no answer: the ticket waits, nothing is sent", async () => {
    const { channel, desk } = setup();
    const response = await talkTalkWebhook({ desk, channel, answer: async () => null })(say("불량품이 왔어요"));
    expect(await response.text()).toBe("");
    const [ticket] = await desk.listTickets({});
    expect(ticket!.status).toBe("new");
    await desk.reply(ticket!.id, { text: "불편을 드려 죄송합니다. 사진을 보내주시겠어요?", agentId: "lee" });
    expect(sent).toHaveLength(1);
  });

  it("sends composite messages with buttons, a push flag, and typing actions", async () => {
    const { channel, desk } = setup();
    await desk.ingest((await channel.handleWebhook(say("메뉴"))).events[0]!);
    const [ticket] = await desk.listTickets({});
    const composite = {
      compositeList: [
        {
          title: "주문 조회",
          description: "최근 주문을 확인하세요",
          buttonList: [
            { type: "TEXT", data: { title: "주문 조회", code: "ORDERS" } },
            {
              type: "LINK",
              data: {
                title: "배송 조회",
                url: "https://shop.example/track",
                mobileUrl: "https://m.shop.example/track",
              },
            },
          ],
        },
      ],
    };
    await desk.reply(ticket!.id, {
      text: "메뉴",
      agentId: "lee",
      options: { composite, notification: true },
    });
    await channel.typing(USER, true);
    expect(sent.map((s) => s.body)).toEqual([
      { event: "send", user: USER, compositeContent: composite, options: { notification: true } },
      { event: "action", user: USER, options: { action: "typingOn" } },
    ]);
  });

  it("sends a reply's text and image both: the text first, then the image (one content per event)", async () => {
    const { channel, desk } = setup();
    await desk.ingest((await channel.handleWebhook(say("사이즈표 있나요?"))).events[0]!);
    const [ticket] = await desk.listTickets({});
    const photo = "https://shop.example/img/size-chart.png";
    const reply = await desk.reply(
      ticket!.id,
      {
        text: "사이즈표입니다.",
        agentId: "lee",
        attachments: [{ contentType: "image/png", url: photo, filename: "size-chart.png" }],
      },
      { wait: "sent" },
    );
    expect(reply.deliveryStatus).toBe("sent");
    expect(sent.map((s) => s.body).filter((b) => "imageContent" in b || "textContent" in b)).toEqual([
      { event: "send", user: USER, textContent: { text: "사이즈표입니다." } },
      { event: "send", user: USER, imageContent: { imageUrl: photo } },
    ]);
  });

  it.each([
    ["a PDF", [{ contentType: "application/pdf", url: "https://shop.example/label.pdf" }]],
    ["an inline image", [{ contentType: "image/png", contentBase64: "iVBORw0KGgo=" }]],
    [
      "two images",
      [
        { contentType: "image/png", url: "https://shop.example/a.png" },
        { contentType: "image/png", url: "https://shop.example/b.png" },
      ],
    ],
  ])("fails a reply with %s with the reason, never sending it without the file", async (_name, attachments) => {
    const { channel, desk } = setup();
    await desk.ingest((await channel.handleWebhook(say("라벨 보내주세요"))).events[0]!);
    const [ticket] = await desk.listTickets({});
    const before = sent.length;
    const err = await desk
      .reply(ticket!.id, { text: "보내드려요", agentId: "lee", attachments }, { wait: "sent" })
      .catch((e: unknown) => e);
    expect(StoredeskError.is(err, "INVALID_INPUT")).toBe(true);
    expect(sent.length).toBe(before);
    const failed = (await desk.listMessages(ticket!.id)).find((m) => m.text === "보내드려요");
    expect(failed?.deliveryStatus).toBe("failed");
  });

  it("refuses a composite past TalkTalk's limits before calling the API", async () => {
    const { channel, desk } = setup();
    await desk.ingest((await channel.handleWebhook(say("메뉴"))).events[0]!);
    const [ticket] = await desk.listTickets({});
    const tooLong = {
      compositeList: [
        {
          title: "t",
          buttonList: [{ type: "TEXT", data: { title: "버튼 제목이 열여덟 자를 훌쩍 넘어 버립니다" } }],
        },
      ],
    };
    const err = await desk
      .reply(ticket!.id, { text: "x", agentId: "lee", options: { composite: tooLong } })
      .catch((e: unknown) => e);
    expect(StoredeskError.is(err, "INVALID_INPUT")).toBe(true);
    expect(sent).toEqual([]);
  });
});
