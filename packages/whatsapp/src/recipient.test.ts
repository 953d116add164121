/**
 * Sends to a user known by a business-scoped user ID. Meta's "Business-scoped user IDs" page
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/)
 * lets `POST /{phone-number-id}/messages` name the user by BSUID; as its partners restate it:
 * "Use `to` for phone numbers. Use `recipient` for a BSUID or parent BSUID. If both are present, the
 * phone number in `to` takes precedence" (https://docs.kapso.ai/api/meta/whatsapp/messages/send-a-message.md,
 * https://docs.ycloud.com/reference/webhook-updates-bsuid), i.e.
 *
 *   { "messaging_product": "whatsapp", "recipient": "US.13491208655302741918", "type": "text", … }
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { manualClock } from "@storedesk/core";
import type { OutboundMessage } from "@storedesk/core";
import { recipientOf, whatsappChannel, whatsappRecipient } from "./index.js";
import { ACCESS_TOKEN, APP_SECRET, customer, GRAPH, PHONE_NUMBER_ID, ticket, VERIFY_TOKEN } from "./test-support.js";

const BSUID = "KR.1502576394655843";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let requests: Array<{ url: string; body: unknown }> = [];
beforeEach(() => {
  requests = [];
  server.use(
    http.post(`${GRAPH}/${PHONE_NUMBER_ID}/:edge`, async ({ request }) => {
      const isJson = request.headers.get("content-type")?.includes("json");
      requests.push({ url: request.url, body: isJson ? await request.json() : null });
      return HttpResponse.json({
        messaging_product: "whatsapp",
        contacts: [{ input: BSUID, user_id: BSUID }],
        messages: [{ id: `wamid.SENT${requests.length}` }],
        id: "media-1",
      });
    }),
  );
});

const now = new Date("2026-09-02T10:00:00Z");
const channel = () =>
  whatsappChannel({
    accessToken: ACCESS_TOKEN,
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    phoneNumberId: PHONE_NUMBER_ID,
    clock: manualClock(now),
  });

/** A reply on a ticket opened by a user who hides their number. */
function toBsuidUser(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    messageId: "m_bsuid",
    ticket: ticket({
      conversationKey: `wa:${PHONE_NUMBER_ID}:${BSUID}`,
      lastCustomerMessageAt: new Date("2026-09-02T09:00:00Z"),
    }),
    customer: customer({ identities: [{ kind: "whatsapp_bsuid", value: BSUID }] }),
    text: "내일 도착 예정입니다.",
    visibility: "private",
    thread: [],
    ...overrides,
  };
}

describe("whatsapp recipient", () => {
  it("takes the number of the conversation key, else a known number, else the BSUID (the key's, then the customer's)", () => {
    const onlyBsuid = customer({ identities: [{ kind: "whatsapp_bsuid", value: BSUID }] });
    const both = customer({
      identities: [
        { kind: "whatsapp_bsuid", value: BSUID },
        { kind: "whatsapp", value: "821012345678" },
      ],
    });
    const noKey = ticket({ conversationKey: null });
    expect(whatsappRecipient({ ticket: ticket(), customer: onlyBsuid })).toEqual({ to: "821012345678" });
    // A BSUID-keyed conversation still goes to the number the desk knows (with both, `to` wins at Meta).
    expect(whatsappRecipient({ ticket: toBsuidUser().ticket, customer: both })).toEqual({ to: "821012345678" });
    expect(whatsappRecipient({ ticket: toBsuidUser().ticket, customer: onlyBsuid })).toEqual({ recipient: BSUID });
    expect(whatsappRecipient({ ticket: noKey, customer: both })).toEqual({ to: "821012345678" });
    expect(whatsappRecipient({ ticket: noKey, customer: onlyBsuid })).toEqual({ recipient: BSUID });
    expect(recipientOf({ ticket: noKey, customer: onlyBsuid })).toBe(BSUID);
  });

  it("refuses a customer with neither a number nor a well-formed BSUID with INVALID_INPUT", () => {
    for (const identities of [[], [{ kind: "whatsapp_bsuid" as const, value: "not a bsuid" }]]) {
      expect(() =>
        whatsappRecipient({ ticket: ticket({ conversationKey: null }), customer: customer({ identities }) }),
      ).toThrow(expect.objectContaining({ code: "INVALID_INPUT", path: ["customer", "identities"] }) as Error);
    }
  });
});

describe("whatsapp send to a BSUID", () => {
  it("sends a text with `recipient` and no `to`, and says so in the receipt", async () => {
    const receipt = await channel().send(toBsuidUser());
    expect(receipt).toMatchObject({ externalId: "wamid.SENT1", meta: { recipient: BSUID } });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body).toMatchObject({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      recipient: BSUID,
      type: "text",
      text: { body: "내일 도착 예정입니다." },
      biz_opaque_callback_data: "m_bsuid",
    });
    expect(requests[0]!.body).not.toHaveProperty("to");
  });

  it("sends a template to a BSUID the same way (the way back in after 24 hours), and says so in the receipt", async () => {
    const receipt = await channel().send(
      toBsuidUser({
        ticket: ticket({ conversationKey: null, lastCustomerMessageAt: null }),
        template: { name: "support_followup", language: "ko", parameters: { body: ["SD-1042"] } },
      }),
    );
    expect(requests[0]!.body).toMatchObject({ recipient: BSUID, type: "template" });
    expect(requests[0]!.body).not.toHaveProperty("to");
    expect(receipt.meta).toMatchObject({ template: "support_followup", recipient: BSUID });
    expect(receipt.meta).not.toHaveProperty("to");
  });

  it("uploads inline media before sending it to the BSUID; a customer it cannot address is refused before any upload", async () => {
    const attachments = [
      {
        filename: "receipt.pdf",
        contentType: "application/pdf",
        size: 3,
        url: null,
        providerId: null,
        contentBase64: "JVBE",
      },
    ];
    await channel().send(toBsuidUser({ text: "", attachments }));
    expect(requests.map((r) => new URL(r.url).pathname.split("/").at(-1))).toEqual(["media", "messages"]);
    expect(requests[1]!.body).toMatchObject({ recipient: BSUID, type: "document", document: { id: "media-1" } });

    requests = [];
    const nobody = toBsuidUser({
      ticket: ticket({ conversationKey: null }),
      customer: customer({ identities: [{ kind: "email", value: "kim@example.com" }] }),
      attachments,
    });
    await expect(channel().send(nobody)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(requests).toEqual([]);
  });
});
