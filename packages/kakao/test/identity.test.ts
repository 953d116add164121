import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { manualClock } from "@storedesk/core";
import { channelTestDesk } from "@storedesk/core/testing";
import { alimTalkChannel, defineAlimTalkTemplates, kakaoSkillChannel, lunasoftAlimTalkProvider } from "../src/index.js";
import {
  counselBody,
  counselRequest,
  mockProviders,
  SKILL_TOKEN,
  skillPayload,
  skillRequest,
  testCounselChannel,
} from "../src/test-support.js";

const server = mockProviders();

function setup() {
  const clock = manualClock(new Date("2026-03-02T09:00:00+09:00"));
  const skill = kakaoSkillChannel({ skillToken: SKILL_TOKEN, clock });
  const templates = defineAlimTalkTemplates([
    { code: "SHIP_01", purpose: "shipping", status: "approved", body: "#{name}님 상품이 출고되었습니다." },
  ]);
  const alimtalk = alimTalkChannel({
    provider: lunasoftAlimTalkProvider({ agentKey: "a", senderKey: "s", callback: "0212345678" }),
    templates,
  });
  const desk = channelTestDesk([skill, testCounselChannel(), alimtalk], {
    clock,
    options: { outbox: { wait: "sent" } },
  });
  return { desk };
}

describe("one Korean customer across KakaoTalk, consultation talk, e-mail and AlimTalk", () => {
  it("is one customer when the chatbot, consultation talk and an e-mail share the channel user key or the phone number", async () => {
    const { desk } = setup();
    // E-mail customer whose phone the shop knows (from a Smartstore order).
    const mail = await desk.ingest({
      type: "message",
      channel: "email",
      externalId: "<mail-1@example.com>",
      occurredAt: new Date("2026-03-01T10:00:00+09:00"),
      from: {
        identities: [
          { kind: "email", value: "minsu@example.com" },
          { kind: "phone", value: "+82 10-1234-5678" },
        ],
      },
      text: "주문 문의",
    });
    // The chatbot collected the same phone number (national form).
    const chat = await desk.webhook("kakao")(
      skillRequest(skillPayload("주문 확인해 주세요", { params: { phone_number: "010-1234-5678" } })),
    );
    expect(chat.status).toBe(200);
    // Consultation talk knows the user by the same channel user key.
    const counsel = await desk.webhook("kakao_counsel")(counselRequest(counselBody("상담원 연결 부탁드려요")));
    expect(counsel.status).toBe(200);
    const tickets = await desk.listTickets({});
    expect(tickets).toHaveLength(3);
    expect(new Set(tickets.map((t) => t.customerId))).toEqual(new Set([mail.ticket!.customerId]));
  });

  it("reaches that customer by AlimTalk through the phone number the shop knows", async () => {
    const { desk } = setup();
    const sent: Array<Record<string, unknown>> = [];
    server.use(
      http.post("https://kakao-bizmessage.lunasoft.co.kr/api/v3/alimtalk/send", async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        sent.push(body);
        return HttpResponse.json({ code: "0000", message_key: body.message_key });
      }),
    );
    await desk.webhook("kakao")(
      skillRequest(skillPayload("배송 알려주세요", { params: { phone: "+82 10-1234-5678" } })),
    );
    const [ticket] = await desk.listTickets({});
    await desk.sendToCustomer(ticket!.customerId, {
      channel: "alimtalk",
      reason: "shipping",
      text: "출고",
      template: { name: "SHIP_01", language: "ko", parameters: { name: "고객" } },
    });
    expect(sent.map((s) => s.recipient_number)).toEqual(["01012345678"]);
  });
});
