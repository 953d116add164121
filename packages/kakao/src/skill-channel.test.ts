import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { manualClock, StoredeskError } from "@storedesk/core";
import { channelTestDesk } from "@storedesk/core/testing";
import { kakaoSkillChannel, kakaoSkillHandler, skillResponse } from "./index.js";
import { CALLBACK_URL, mockProviders, SKILL_TOKEN, skillPayload, skillRequest } from "./test-support.js";

const server = mockProviders();

function setup() {
  const clock = manualClock(new Date("2026-03-02T09:00:00+09:00"));
  const channel = kakaoSkillChannel({ skillToken: SKILL_TOKEN, clock });
  const desk = channelTestDesk([channel], { clock, options: { outbox: { wait: "sent" } } });
  return { clock, channel, desk };
}

describe("kakao skill responses", () => {
  it("builds a version 2.0 response with simpleText and quick replies", () => {
    expect(skillResponse({ text: "안녕하세요", quickReplies: ["주문 조회"] })).toEqual({
      version: "2.0",
      template: {
        outputs: [{ simpleText: { text: "안녕하세요" } }],
        quickReplies: [{ label: "주문 조회", action: "message", messageText: "주문 조회" }],
      },
    });
  });

  it("splits a long text into simpleText bubbles of 1,000 characters and refuses more than three outputs", () => {
    expect(skillResponse("가".repeat(2500)).template.outputs).toHaveLength(3);
    expect(() => skillResponse("가".repeat(3001))).toThrow(StoredeskError);
  });

  it("refuses more than 10 quick replies and more than 3 card buttons", () => {
    expect(() => skillResponse({ text: "x", quickReplies: Array.from({ length: 11 }, (_, i) => `q${i}`) })).toThrow(
      /quickReplies/,
    );
    const button = { label: "보기", action: "webLink" as const, webLinkUrl: "https://shop.example" };
    expect(() => skillResponse({ text: "x", card: { title: "t", buttons: [button, button, button, button] } })).toThrow(
      /buttons/,
    );
  });
});

describe("kakao skill handler", () => {
  it("answers a quick bot reply inside the response and records it on the ticket", async () => {
    const { channel, desk } = setup();
    const handle = kakaoSkillHandler({
      desk,
      channel,
      answer: async () => ({ text: "보통 2일 안에 도착해요.", quickReplies: ["상담원 연결"] }),
    });
    const response = await handle(skillRequest(skillPayload("배송 얼마나 걸려요?")));
    const body = (await response.json()) as ReturnType<typeof skillResponse>;
    expect(body.version).toBe("2.0");
    expect(body.template.outputs[0]).toEqual({ simpleText: { text: "보통 2일 안에 도착해요." } });
    expect(body.template.quickReplies?.[0]?.label).toBe("상담원 연결");
    const [ticket] = await desk.listTickets({});
    expect((await desk.listMessages(ticket!.id)).map((m) => m.authorKind)).toEqual(["customer", "bot"]);
  });

  it("answers within the limit with useCallback when the bot is slow, then posts the answer to the callback URL", async () => {
    const { channel, desk } = setup();
    const posted: unknown[] = [];
    server.use(
      http.post(CALLBACK_URL, async ({ request }) => {
        posted.push(await request.json());
        return HttpResponse.json({ taskId: "t1", status: "SUCCESS" });
      }),
    );
    let release!: (t: string) => void;
    const slow = new Promise<string>((r) => {
      release = r;
    });
    const handle = kakaoSkillHandler({ desk, channel, answer: () => slow, budgetMs: 50 });
    const started = Date.now();
    const response = await handle(skillRequest(skillPayload("환불 규정 알려주세요", { callbackUrl: CALLBACK_URL })));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await response.json()).toMatchObject({ version: "2.0", useCallback: true });
    release("구매 후 7일 안에 환불할 수 있어요.");
    await new Promise((r) => setTimeout(r, 100));
    expect(posted).toEqual([skillResponse("구매 후 7일 안에 환불할 수 있어요.")]);
  });

  it("posts a slow answer's card to the callback URL too, not only its text and quick replies", async () => {
    const { channel, desk } = setup();
    const posted: unknown[] = [];
    server.use(
      http.post(CALLBACK_URL, async ({ request }) => {
        posted.push(await request.json());
        return HttpResponse.json({ taskId: "t2", status: "SUCCESS" });
      }),
    );
    const card = { title: "환불 안내", description: "구매 후 7일 안에 환불할 수 있어요." };
    let release!: (a: { text: string; card: typeof card; quickReplies: string[] }) => void;
    const slow = new Promise<{ text: string; card: typeof card; quickReplies: string[] }>((r) => {
      release = r;
    });
    const handle = kakaoSkillHandler({ desk, channel, answer: () => slow, budgetMs: 50 });
    await handle(skillRequest(skillPayload("환불 규정 알려주세요", { callbackUrl: CALLBACK_URL })));
    release({ text: "환불 규정이에요.", card, quickReplies: ["상담원 연결"] });
    await new Promise((r) => setTimeout(r, 100));
    expect(posted).toEqual([skillResponse({ text: "환불 규정이에요.", card, quickReplies: ["상담원 연결"] })]);
  });

  it("hands the chat to a person: the customer is told, the ticket waits, and the agent answers through the open callback", async () => {
    const { channel, desk } = setup();
    const posted: unknown[] = [];
    server.use(
      http.post(CALLBACK_URL, async ({ request }) => {
        posted.push(await request.json());
        return HttpResponse.json({ status: "SUCCESS" });
      }),
    );
    const response = await kakaoSkillHandler({ desk, channel, answer: async () => null })(
      skillRequest(skillPayload("불량 교환하고 싶어요", { callbackUrl: CALLBACK_URL })),
    );
    expect(await response.json()).toMatchObject({
      useCallback: true,
      data: { text: expect.stringContaining("상담원") },
    });
    const [ticket] = await desk.listTickets({});
    expect(ticket!.status).toBe("new");
    await desk.reply(ticket!.id, { text: "사진을 보내주시면 바로 교환해 드릴게요.", agentId: "park" });
    expect(posted).toHaveLength(1);
  });

  it("refuses an agent reply once the callback minute has passed (reply through 상담톡 instead)", async () => {
    const { channel, desk, clock } = setup();
    await kakaoSkillHandler({ desk, channel, answer: async () => null })(
      skillRequest(skillPayload("문의", { callbackUrl: CALLBACK_URL })),
    );
    clock.advance(61_000);
    const [ticket] = await desk.listTickets({});
    const err = await desk.reply(ticket!.id, { text: "늦은 답변", agentId: "park" }).catch((e: unknown) => e);
    expect(StoredeskError.is(err, "REPLY_WINDOW_CLOSED")).toBe(true);
  });

  it("says a person will answer when there is no callback and the bot is slow", async () => {
    const { channel, desk } = setup();
    const response = await kakaoSkillHandler({
      desk,
      channel,
      answer: () => new Promise(() => undefined),
      budgetMs: 20,
    })(skillRequest(skillPayload("문의")));
    const body = (await response.json()) as ReturnType<typeof skillResponse>;
    expect(body.template.outputs[0]).toEqual({ simpleText: { text: expect.stringContaining("상담원") } });
  });

  it("knows the customer by the channel user key and by a phone number the bot collected", async () => {
    const { channel } = setup();
    const { events } = await channel.handleWebhook(
      skillRequest(skillPayload("주문 확인", { params: { phone: "010-1234-5678" } })),
    );
    expect((events[0] as { from: { identities: unknown[] } }).from.identities).toEqual([
      { kind: "kakao", value: "plusfriend:pfk-minsu" },
      { kind: "kakao", value: "botUserKey:bot-user-key-1" },
      { kind: "phone", value: "+821012345678" },
    ]);
  });
});
