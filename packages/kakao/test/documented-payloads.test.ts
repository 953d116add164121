/**
 * Skill payloads as Kakao's Open Builder guides show them (skill development guide v1's request
 * example; SkillPayload of the answer-format guide, with a 지식+ match), posted through
 * `kakaoSkillHandler` into a real desk.
 */
import { describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore } from "@storedesk/core";
import { kakaoSkillChannel, kakaoSkillHandler } from "../src/index.js";
import { SKILL_TOKEN, skillPayload, skillRequest } from "../src/test-support.js";

function setup() {
  const clock = manualClock(new Date("2026-03-02T09:00:00+09:00"));
  const channel = kakaoSkillChannel({ skillToken: SKILL_TOKEN, clock });
  const desk = createDesk({ store: memoryStore(), channels: [channel], clock, autoAcknowledge: false });
  return { clock, desk, handle: kakaoSkillHandler({ desk, channel, clock }) };
}

/** The v1 guide's request: `talk_user_id`, `lang: "kr"`, snake_case keys, `clientExtra: "null"` (a string). */
const v1Request = {
  intent: { id: "5a56ec0008cc1461d75291f6", name: "스킬테스트" },
  userRequest: {
    timezone: "Asia/Seoul",
    params: { exampleParam: "example" },
    block: { id: "5a56ec0008cc1461d75291f6", name: "스킬테스트" },
    utterance: "스킬",
    lang: "kr",
    user: {
      id: "620678",
      type: "talk_user_id",
      properties: { appUserId: "708203191", appUserStatus: "REGISTERED", plusfriend_user_key: "BlGTEYoiNoSh" },
    },
  },
  contexts: [],
  bot: { id: "5a548e36aea1a43fa851ecd9", name: "또봇" },
  action: { name: "스킬원", clientExtra: "null", params: {}, id: "5a56ebaa211ee046633e958d", detailParams: {} },
};

describe("kakao documented skill payloads through the desk", () => {
  it("stores the v1 guide's request, the user known by the plus-friend key", async () => {
    const { desk, handle } = setup();
    const res = await handle(skillRequest(v1Request));
    expect(res.status).toBe(200);
    const [ticket] = await desk.listTickets({});
    const [message] = await desk.listMessages(ticket!.id);
    expect(message!.text).toBe("스킬");
    const customer = await desk.getCustomer(ticket!.customerId);
    expect(customer!.identities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "kakao", value: "plusfriend:BlGTEYoiNoSh" }),
        expect.objectContaining({ kind: "kakao", value: "talk_user_id:620678" }),
      ]),
    );
  });

  it("makes one customer of the snake_case and camelCase plus-friend key", async () => {
    const { clock, desk, handle } = setup();
    await handle(skillRequest(v1Request));
    clock.advance(10_000);
    const v2 = skillPayload("주문 취소할게요", { userKey: "BlGTEYoiNoSh" });
    expect((await handle(skillRequest(v2))).status).toBe(200);
    const tickets = await desk.listTickets({});
    const messages = (await Promise.all(tickets.map((t) => desk.listMessages(t.id)))).flat();
    expect(messages.map((m) => m.text).sort()).toEqual(["스킬", "주문 취소할게요"].sort());
    expect(new Set(tickets.map((t) => t.customerId)).size).toBe(1);
  });

  it("stores a 지식+ match (intent.extra.knowledge) with null lang and null clientExtra", async () => {
    const { desk, handle } = setup();
    const body = skillPayload("환불은 얼마나 걸려요?");
    Object.assign(body.intent, {
      name: "지식+",
      extra: {
        reason: { code: 1, message: "OK" },
        knowledge: {
          responseType: "skill",
          matchedKnowledges: [
            {
              categories: ["결제", "환불"],
              question: "환불 기간",
              answer: "영업일 기준 3일 안에 환불됩니다.",
              imageUrl: "https://shop.example/refund.png",
              landingUrl: "https://shop.example/help/refund",
            },
          ],
        },
      },
    });
    Object.assign(body.userRequest, { lang: null });
    Object.assign(body.action, { clientExtra: null });
    expect((await handle(skillRequest(body))).status).toBe(200);
    const [ticket] = await desk.listTickets({});
    const [message] = await desk.listMessages(ticket!.id);
    expect(message!.text).toBe("환불은 얼마나 걸려요?");
    expect(message!.meta.kakao).toMatchObject({ intent: "지식+", block: "배송 문의" });
  });
});
