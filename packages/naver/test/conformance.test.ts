import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { manualClock } from "@storedesk/core";
import { runChannelConformance, sampleOutboundMessage } from "@storedesk/core/testing";
import { naverCommerceClient, naverQnaChannel, naverTalkTalkChannel } from "../src/index.js";
import { BASE, CLIENT_ID, CLIENT_SECRET, question, tokenEndpoint } from "../src/test-support.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const clock = () => manualClock(new Date("2026-03-02T09:00:00+09:00"));

// The Q&A channel has no provider webhook: the poller hands pages to handleWebhook signed with
// the process's batch key, so the suite's signature, bad-input and redelivery checks run on
// exactly the path every polled page takes.
const BATCH_SECRET = "batch-secret-for-tests";
const page = { contents: [question(901)], page: 1, size: 100, totalPages: 1 };
const qna = () =>
  naverQnaChannel({
    client: naverCommerceClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      clock: clock(),
      sleep: async () => {},
      attempts: 1,
    }),
    batchSecret: BATCH_SECRET,
  });
const qnaMessage = () => ({
  ...sampleOutboundMessage("naver_qna"),
  ticket: { ...sampleOutboundMessage("naver_qna").ticket, conversationKey: "qna:901" },
});
const failQna = (status: number) => () => {
  tokenEndpoint(server);
  server.use(
    http.put(`${BASE}/v1/contents/qnas/901`, () => HttpResponse.json({ code: "E", message: "failed" }, { status })),
  );
};

runChannelConformance({
  name: "naver product Q&A channel conformance (polled pages)",
  adapter: qna,
  validRequest: () => qna().batchRequest(page),
  forgedRequest: () =>
    naverQnaChannel({
      client: naverCommerceClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
      batchSecret: "another-process",
    }).batchRequest(page),
  unsignedRequest: () =>
    new Request("https://storedesk.internal/naver_qna/poll", { method: "POST", body: JSON.stringify(page) }),
  malformedRequest: () => qna().batchRequest({ contents: [{ questionId: "x", question: 1 }] }),
  outboundMessage: qnaMessage,
  successfulSend: {
    arrange: () => {
      tokenEndpoint(server);
      server.use(http.put(`${BASE}/v1/contents/qnas/901`, () => new HttpResponse(null, { status: 204 })));
    },
  },
  sendScenarios: [
    {
      name: "the Commerce API answers 429",
      arrange: failQna(429),
      expect: { code: "RATE_LIMITED", retryable: true },
    },
    {
      name: "the Commerce API answers 503",
      arrange: failQna(503),
      expect: { code: "PROVIDER_UNAVAILABLE", retryable: true },
    },
    {
      name: "the app lacks the Q&A scope (403)",
      arrange: failQna(403),
      expect: { code: "PROVIDER_AUTH", retryable: false },
    },
  ],
  secrets: [CLIENT_SECRET, BATCH_SECRET],
});

const TALK_KEY = "ct_partner_key_for_tests";
const HOOK = "hook-token-for-tests";
const talkBody = JSON.stringify({
  event: "send",
  user: "al-2eGuGr5WQOnco1_V-FQ",
  textContent: { text: "주문한 상품 언제 와요?" },
});
const talk = () => naverTalkTalkChannel({ authorization: TALK_KEY, webhookToken: HOOK, clock: clock() });
const talkRequest = (body: string, token: string | null) =>
  new Request(`https://shop.example/webhooks/talktalk${token ? `?token=${token}` : ""}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
const talkMessage = () =>
  sampleOutboundMessage("naver_talk", [{ kind: "naver", value: "talktalk:al-2eGuGr5WQOnco1_V-FQ" }]);
const TALK_URL = "https://gw.talk.naver.com/chatbot/v1/event";

runChannelConformance({
  name: "naver talktalk channel conformance",
  adapter: talk,
  validRequest: () => talkRequest(talkBody, HOOK),
  forgedRequest: () => talkRequest(talkBody, "guessed-token"),
  unsignedRequest: () => talkRequest(talkBody, null),
  malformedRequest: () => talkRequest(JSON.stringify({ event: "send", user: "u1" }), HOOK),
  outboundMessage: talkMessage,
  successfulSend: {
    arrange: () => {
      server.use(http.post(TALK_URL, () => HttpResponse.json({ success: true, resultCode: "00" })));
    },
  },
  sendScenarios: [
    {
      name: "the partner key is wrong (resultCode 01)",
      arrange: () => {
        server.use(
          http.post(TALK_URL, () =>
            HttpResponse.json({
              success: false,
              resultCode: "01",
              resultMessage: `Authorization 정보 에러 ${TALK_KEY}`,
            }),
          ),
        );
      },
      expect: { code: "PROVIDER_AUTH", retryable: false },
    },
    {
      name: "TalkTalk answers 429",
      arrange: () => {
        server.use(http.post(TALK_URL, () => new HttpResponse(null, { status: 429 })));
      },
      expect: { code: "RATE_LIMITED", retryable: true },
    },
    {
      name: "TalkTalk answers 502",
      arrange: () => {
        server.use(http.post(TALK_URL, () => new HttpResponse(null, { status: 502 })));
      },
      expect: { code: "PROVIDER_UNAVAILABLE", retryable: true },
    },
  ],
  secrets: [TALK_KEY, HOOK],
});
