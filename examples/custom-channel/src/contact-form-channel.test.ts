import { describe, expect, it } from "vitest";
import { signHmac, StoredeskError } from "@storedesk/core";
import { runChannelConformance, sampleOutboundMessage } from "@storedesk/core/testing";
import { contactFormChannel } from "./contact-form-channel.js";
import type { ContactFormReply, SendReplyError } from "./contact-form-channel.js";

const SECRET = "form-secret-7f3a9c";
const URL_ = "https://shop.example/webhooks/contact-form";

const validBody = JSON.stringify({
  submissionId: "sub_20260302_0001",
  submittedAt: "2026-03-02T09:15:00+09:00",
  name: "김민수",
  email: "Kim.Minsu@Example.com",
  subject: "배송 문의",
  message: "주문한 운동화가 아직 도착하지 않았어요. 언제 받을 수 있을까요?",
  orderNumber: "#1001",
  locale: "ko",
});

function post(body: string | Uint8Array, signature?: string): Request {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== undefined) headers["x-storefront-signature"] = signature;
  return new Request(URL_, { method: "POST", headers, body: typeof body === "string" ? body : Buffer.from(body) });
}
/** Signed as the storefront signs: over the exact bytes it posts. */
const signed = (body: string | Uint8Array, secret = SECRET) => post(body, `sha256=${signHmac(body, secret, "hex")}`);

// The reply service the adapter calls: answers the next send with a queued failure, if any.
const failures: SendReplyError[] = [];
const sent: ContactFormReply[] = [];
async function sendReply(reply: ContactFormReply): Promise<{ id: string }> {
  const failure = failures.shift();
  if (failure) throw failure;
  sent.push(reply);
  return { id: `reply-${reply.idempotencyKey}` };
}
const failNextWith = (status: number) => () => {
  failures.push(Object.assign(new Error(`reply service answered ${status}`), { status }));
  return () => {
    failures.length = 0;
  };
};

runChannelConformance({
  adapter: () => contactFormChannel({ secret: SECRET, sendReply }),
  validRequest: () => signed(validBody),
  // Holds the adapter to checking the signature over the raw bytes, not their decoded text.
  signedBody: (bytes) => signed(bytes),
  forgedRequest: () => signed(validBody, "not-the-secret"),
  unsignedRequest: () => post(validBody),
  malformedRequest: () => signed(JSON.stringify({ submissionId: "x", email: "not an email" })),
  successfulSend: {},
  sendScenarios: [
    {
      name: "the reply service answers 429",
      arrange: failNextWith(429),
      expect: { code: "RATE_LIMITED", retryable: true },
    },
    {
      name: "the reply service answers 500",
      arrange: failNextWith(500),
      expect: { code: "PROVIDER_UNAVAILABLE", retryable: true },
    },
    {
      name: "the reply service answers 401",
      arrange: failNextWith(401),
      expect: { code: "PROVIDER_AUTH", retryable: false },
    },
    {
      name: "the reply service answers 422",
      arrange: failNextWith(422),
      expect: { code: "PROVIDER_ERROR", retryable: false },
    },
  ],
  secrets: [SECRET],
});

describe("contactFormChannel", () => {
  it("normalizes a submission into a message event from the customer's email", async () => {
    const { events } = await contactFormChannel({ secret: SECRET, sendReply }).handleWebhook(signed(validBody));
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event).toMatchObject({
      type: "message",
      channel: "contact-form",
      externalId: "form:sub_20260302_0001",
      from: { identities: [{ kind: "email", value: "Kim.Minsu@Example.com" }], name: "김민수", locale: "ko" },
      subject: "배송 문의",
    });
    expect(event.type === "message" && event.text).toContain("Order: #1001");
  });

  it("rejects a body signed with the signature of another body", async () => {
    const other = validBody.replace("운동화", "샌들");
    const request = post(other, `sha256=${signHmac(validBody, SECRET, "hex")}`);
    const { response, events } = await contactFormChannel({ secret: SECRET, sendReply }).handleWebhook(request);
    expect(response.status).toBe(401);
    expect(events).toEqual([]);
  });

  it("sends a reply to the customer's email with the ticket reference and the message id as idempotency key", async () => {
    sent.length = 0;
    const message = sampleOutboundMessage("contact-form");
    const receipt = await contactFormChannel({ secret: SECRET, sendReply }).send(message);
    expect(receipt).toEqual({ externalId: "reply-msg_conformance_1", status: "sent" });
    expect(sent[0]).toMatchObject({
      idempotencyKey: "msg_conformance_1",
      to: { email: "kim.minsu@example.com" },
      ticketRef: "SD-1042",
    });
    expect(sent[0]?.subject).toContain("[#SD-1042]");
  });

  it("refuses to send to a customer without an email address", async () => {
    const message = sampleOutboundMessage("contact-form", [{ kind: "whatsapp", value: "821012345678" }]);
    await expect(contactFormChannel({ secret: SECRET, sendReply }).send(message)).rejects.toSatisfy((err) =>
      StoredeskError.is(err, "INVALID_INPUT"),
    );
  });

  it("refuses to be made without a secret", () => {
    expect(() => contactFormChannel({ secret: "", sendReply })).toThrow(/secret is required/);
  });
});
