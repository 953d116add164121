import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { manualClock } from "@storedesk/core";
import { runChannelConformance, sampleOutboundMessage } from "@storedesk/core/testing";
import {
  APP_SECRET,
  fixture,
  GRAPH,
  IG_ID,
  IGSID,
  PAGE_ID,
  PAGE_TOKEN,
  PSID,
  signedRequest,
  testMetaChannel,
} from "../src/test-support.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const messagesUrl = `${GRAPH}/${PAGE_ID}/messages`;
const failWith = (status: number, error: Record<string, unknown>) => () => {
  server.use(http.post(messagesUrl, () => HttpResponse.json({ error }, { status })));
};
const make = () =>
  testMetaChannel({ clock: manualClock(new Date("2026-03-02T09:00:00+09:00")), sleep: async () => {}, attempts: 2 });

for (const [channel, file, userId] of [
  ["messenger", "messenger-dm.json", PSID],
  ["instagram", "instagram-dm.json", IGSID],
] as const) {
  const body = fixture(file);
  runChannelConformance({
    name: `${channel} channel conformance`,
    adapter: () => make()[channel],
    validRequest: () => signedRequest(body),
    signedBody: (bytes) => signedRequest(bytes),
    forgedRequest: () => signedRequest(body, "not-the-app-secret"),
    unsignedRequest: () => new Request("https://shop.example/webhooks/meta", { method: "POST", body }),
    malformedRequest: () =>
      signedRequest(
        JSON.stringify({
          object: channel === "messenger" ? "page" : "instagram",
          entry: [{ id: channel === "messenger" ? PAGE_ID : IG_ID, messaging: [{ sender: {}, timestamp: "soon" }] }],
        }),
      ),
    outboundMessage: (adapter) => sampleOutboundMessage(adapter.id, [{ kind: channel, value: userId }]),
    successfulSend: {
      arrange: () => {
        server.use(
          http.post(messagesUrl, () => HttpResponse.json({ recipient_id: userId, message_id: "m_CONFORMANCE" })),
        );
      },
    },
    sendScenarios: [
      {
        name: "the Graph API answers HTTP 429",
        arrange: failWith(429, { message: "Too many calls", code: 4 }),
        expect: { code: "RATE_LIMITED", retryable: true },
      },
      {
        name: "the Graph API answers 503",
        arrange: failWith(503, { message: "Service temporarily unavailable", code: 2 }),
        expect: { code: "PROVIDER_UNAVAILABLE", retryable: true },
      },
      {
        name: "the page token expired (190) and Meta echoes it",
        arrange: failWith(400, {
          message: `Error validating access token ${PAGE_TOKEN}`,
          code: 190,
          error_subcode: 463,
        }),
        expect: { code: "PROVIDER_AUTH", retryable: false },
      },
      {
        name: "Meta says the message is outside the allowed window",
        arrange: failWith(400, {
          message: "(#10) This message is sent outside of allowed window.",
          code: 10,
          error_subcode: 2018278,
        }),
        expect: { code: "REPLY_WINDOW_CLOSED" },
      },
    ],
    secrets: [PAGE_TOKEN, APP_SECRET],
  });
}
