import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { manualClock } from "@storedesk/core";
import { runChannelConformance } from "@storedesk/core/testing";
import { ACCESS_TOKEN, APP_SECRET, sharedFixture, signedRequest, testWhatsAppChannel } from "../src/test-support.js";

// The real captured payload when the shared fixtures are there, our own otherwise.
const [body, phoneNumberId] = [sharedFixture("inbound-text.json"), "643196615539553"];
const messagesUrl = `https://graph.facebook.com/v21.0/${phoneNumberId}/messages`;

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const failWith = (status: number, error: Record<string, unknown>) => () => {
  server.use(http.post(messagesUrl, () => HttpResponse.json({ error }, { status })));
};

runChannelConformance({
  name: "whatsapp channel conformance",
  adapter: () =>
    testWhatsAppChannel({
      phoneNumberId,
      clock: manualClock(new Date("2026-03-02T09:00:00+09:00")),
      sleep: async () => {},
      attempts: 2,
    }),
  validRequest: () => signedRequest(body),
  signedBody: (bytes) => signedRequest(bytes),
  forgedRequest: () => signedRequest(body, "not-the-app-secret"),
  unsignedRequest: () => new Request("https://shop.example/webhooks/whatsapp", { method: "POST", body }),
  malformedRequest: () =>
    signedRequest(
      JSON.stringify({
        object: "whatsapp_business_account",
        entry: [{ id: "1", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: {} } }] }],
      }),
    ),
  successfulSend: {
    arrange: () => {
      server.use(http.post(messagesUrl, () => HttpResponse.json({ messages: [{ id: "wamid.CONFORMANCE" }] })));
    },
  },
  sendScenarios: [
    {
      name: "the Cloud API answers HTTP 429",
      arrange: failWith(429, { message: "(#130429) Rate limit hit", code: 130429 }),
      expect: { code: "RATE_LIMITED", retryable: true },
    },
    {
      name: "the Cloud API answers 500",
      arrange: failWith(500, { message: "An unknown error occurred", code: 1 }),
      expect: { code: "PROVIDER_UNAVAILABLE", retryable: true },
    },
    {
      name: `the token is invalid (190) and Meta echoes it`,
      arrange: failWith(401, { message: `Invalid OAuth access token - ${ACCESS_TOKEN}`, code: 190 }),
      expect: { code: "PROVIDER_AUTH", retryable: false },
    },
    {
      name: "the customer is outside the 24-hour window (131047)",
      arrange: failWith(400, { message: "(#131047) Re-engagement message", code: 131047 }),
      expect: { code: "REPLY_WINDOW_CLOSED", retryable: false },
    },
  ],
  secrets: [ACCESS_TOKEN, APP_SECRET],
});
