import { http, HttpResponse } from "msw";
import { manualClock } from "@storedesk/core";
import { runChannelConformance, sampleOutboundMessage } from "@storedesk/core/testing";
import { kakaoSkillChannel } from "../src/index.js";
import {
  CALLBACK_URL,
  COUNSEL_API_KEY,
  COUNSEL_BASE,
  COUNSEL_SECRET,
  counselBody,
  counselRequest,
  mockProviders,
  SKILL_TOKEN,
  skillPayload,
  skillRequest,
  testCounselChannel,
} from "../src/test-support.js";

const server = mockProviders();

const clock = () => manualClock(new Date("2026-03-02T09:00:00+09:00"));
const skillBody = JSON.stringify(skillPayload("배송 언제 와요?", { callbackUrl: CALLBACK_URL }));

// Each send scenario first opens a callback (as a skill request with callbackUrl does), since a
// skill answer can only go out through one.
let current: ReturnType<typeof kakaoSkillChannel> | null = null;
const skill = async () => {
  current = kakaoSkillChannel({ skillToken: SKILL_TOKEN, clock: clock() });
  await current.handleWebhook(skillRequest(skillBody));
  return current;
};
const skillMessage = () => ({
  ...sampleOutboundMessage("kakao", [{ kind: "kakao", value: "plusfriend:pfk-minsu" }]),
  ticket: { ...sampleOutboundMessage("kakao").ticket, conversationKey: "kakao:plusfriend:pfk-minsu" },
});
const callbackFails = (status: number) => () => {
  server.use(http.post(CALLBACK_URL, () => new HttpResponse(null, { status })));
};

runChannelConformance({
  name: "kakao skill channel conformance",
  adapter: skill,
  validRequest: () => skillRequest(skillBody),
  forgedRequest: () => skillRequest(skillBody, "not-the-skill-token"),
  unsignedRequest: () => skillRequest(skillBody, null),
  malformedRequest: () => skillRequest({ userRequest: { utterance: 1 } }),
  outboundMessage: skillMessage,
  successfulSend: {
    arrange: () => {
      server.use(http.post(CALLBACK_URL, () => HttpResponse.json({ status: "SUCCESS" })));
    },
  },
  sendScenarios: [
    {
      name: "the callback answers 429",
      arrange: callbackFails(429),
      expect: { code: "RATE_LIMITED", retryable: true },
    },
    {
      name: "the callback answers 500",
      arrange: callbackFails(500),
      expect: { code: "PROVIDER_UNAVAILABLE", retryable: true },
    },
    {
      name: "the callback expired (a minute passed)",
      arrange: () => {
        (current as unknown as { dropCallback(k: string): void }).dropCallback("plusfriend:pfk-minsu");
      },
      expect: { code: "REPLY_WINDOW_CLOSED", retryable: false },
    },
  ],
  secrets: [SKILL_TOKEN],
});

const counselMessage = () => ({
  ...sampleOutboundMessage("kakao_counsel", [{ kind: "kakao", value: "plusfriend:pfk-minsu" }]),
  ticket: { ...sampleOutboundMessage("kakao_counsel").ticket, conversationKey: "counsel:pfk-minsu" },
  thread: [
    {
      externalId: "counsel:S100:m-1",
      direction: "inbound" as const,
      createdAt: new Date("2026-03-02T00:00:00Z"),
    },
  ],
});
const dealerAnswers =
  (status: number, body: Record<string, unknown> = {}) =>
  () => {
    server.use(http.post(`${COUNSEL_BASE}/v1/counsel/messages`, () => HttpResponse.json(body, { status })));
  };

runChannelConformance({
  name: "kakao consultation talk channel conformance (reference dealer)",
  adapter: testCounselChannel,
  validRequest: () => counselRequest(counselBody("주문 취소 가능한가요?")),
  forgedRequest: () => counselRequest(counselBody("주문 취소 가능한가요?"), "wrong-secret"),
  unsignedRequest: () => counselRequest(counselBody("주문 취소 가능한가요?"), null),
  malformedRequest: () => counselRequest({ user_key: "pfk", type: "text" }),
  outboundMessage: counselMessage,
  successfulSend: { arrange: dealerAnswers(200, { code: "0000", message_id: "d-1" }) },
  sendScenarios: [
    {
      name: "the dealer answers 429",
      arrange: dealerAnswers(429),
      expect: { code: "RATE_LIMITED", retryable: true },
    },
    {
      name: "the dealer answers 401",
      arrange: dealerAnswers(401),
      expect: { code: "PROVIDER_AUTH", retryable: false },
    },
    {
      name: "the session expired at Kakao (3005)",
      arrange: dealerAnswers(200, { code: "3005", message: `expired ${COUNSEL_API_KEY}` }),
      expect: { code: "REPLY_WINDOW_CLOSED", retryable: false },
    },
  ],
  secrets: [COUNSEL_API_KEY, COUNSEL_SECRET],
});
