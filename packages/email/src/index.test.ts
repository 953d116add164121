import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signHmac } from "@storedesk/core";
import { runChannelConformance } from "@storedesk/core/testing";
import { emailChannel } from "./index.js";
import { startSmtpPeer } from "./test-support.js";
import type { SmtpPeer } from "./test-support.js";

const SECRET = "relay-secret-93ab";
const SMTP_PASS = "smtp-pass-5e1f";
const URL_ = "https://shop.example/webhooks/email";
const gmailReply = readFileSync(fileURLToPath(new URL("../test-fixtures/gmail-ko-reply.eml", import.meta.url)));

function post(body: Uint8Array | string, signature?: string, contentType = "message/rfc822"): Request {
  const headers: Record<string, string> = { "content-type": contentType };
  if (signature !== undefined) headers["x-storedesk-signature"] = signature;
  return new Request(URL_, { method: "POST", headers, body: typeof body === "string" ? body : new Uint8Array(body) });
}
const signed = (body: Uint8Array | string, secret = SECRET, contentType?: string) =>
  post(body, `sha256=${signHmac(body, secret, "hex")}`, contentType);

let peer: SmtpPeer;
beforeAll(async () => {
  peer = await startSmtpPeer({ user: "shop", pass: SMTP_PASS });
});
afterAll(async () => {
  await peer.close();
});

const makeChannel = () =>
  emailChannel({
    from: { address: "support@dalbit.example", name: "달빛상점" },
    smtp: {
      host: "127.0.0.1",
      port: peer.port,
      secure: false,
      ignoreTLS: true,
      auth: { user: "shop", pass: SMTP_PASS },
    },
    webhookSecret: SECRET,
  });

runChannelConformance({
  name: "channel conformance: email (raw-MIME webhook, SMTP out to a real server)",
  adapter: makeChannel,
  validRequest: () => signed(gmailReply),
  signedBody: (bytes) => signed(bytes),
  forgedRequest: () => signed(gmailReply, "wrong-secret"),
  unsignedRequest: () => post(gmailReply),
  malformedRequest: () => signed("this is not an email, it has no headers at all"),
  successfulSend: {},
  sendScenarios: [
    {
      name: "the server answers 451 to DATA (greylisting)",
      arrange: () => {
        peer.failNextData(451);
      },
      expect: { code: "PROVIDER_UNAVAILABLE", retryable: true },
    },
    {
      name: "the server answers 554 to DATA",
      arrange: () => {
        peer.failNextData(554);
      },
      expect: { code: "PROVIDER_ERROR", retryable: false },
    },
    {
      name: "the server answers 550 to RCPT TO",
      arrange: () => {
        peer.failRcpt(550);
        return () => peer.failRcpt(null);
      },
      expect: { code: "PROVIDER_ERROR", retryable: false },
    },
    {
      name: "the server refuses the login with 535",
      arrange: () => {
        peer.refuseAuth(true);
        return () => peer.refuseAuth(false);
      },
      expect: { code: "PROVIDER_AUTH", retryable: false },
    },
  ],
  secrets: [SECRET, SMTP_PASS],
});

describe("emailChannel webhook", () => {
  it("verifies the signature over the raw bytes, so 8-bit EUC-KR mail arrives intact", async () => {
    const raw = Buffer.concat([
      Buffer.from(
        "From: minsu@hanmail.net\r\nTo: support@dalbit.example\r\nSubject: test\r\nMessage-ID: <e1@hanmail.net>\r\nContent-Type: text/plain; charset=euc-kr\r\n\r\n",
      ),
      Buffer.from([0xb9, 0xe8, 0xbc, 0xdb, 0x20, 0xb9, 0xae, 0xc0, 0xc7]), // "배송 문의" in EUC-KR
    ]);
    const { response, events } = await makeChannel().handleWebhook(signed(raw));
    expect(response.status).toBe(200);
    expect(events[0]).toMatchObject({ type: "message", text: "배송 문의", externalId: "e1@hanmail.net" });
  });

  it("accepts text/plain bodies and refuses other content types with 400", async () => {
    expect(
      (await makeChannel().handleWebhook(signed(gmailReply, SECRET, "text/plain; charset=utf-8"))).response.status,
    ).toBe(200);
    const json = await makeChannel().handleWebhook(signed('{"raw":"..."}', SECRET, "application/json"));
    expect(json.response.status).toBe(400);
    expect(json.events).toEqual([]);
  });

  it("refuses a message larger than maxMessageBytes with 413, as every other webhook does", async () => {
    const small = emailChannel({
      from: { address: "support@dalbit.example" },
      webhookSecret: SECRET,
      maxMessageBytes: 100,
    });
    const { response } = await small.handleWebhook(signed(gmailReply));
    expect(response.status).toBe(413);
  });

  it("refuses every post with 401 when no webhook secret is configured", async () => {
    const open = emailChannel({ from: { address: "support@dalbit.example" } });
    const { response, events } = await open.handleWebhook(signed(gmailReply));
    expect(response.status).toBe(401);
    expect(events).toEqual([]);
  });

  it("refuses bad options with INVALID_INPUT", () => {
    expect(() => emailChannel({ from: { address: "not-an-address" } })).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT" }),
    );
    expect(() => emailChannel({ from: { address: "a@b.example" }, threadWindowMs: -1 })).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT" }),
    );
  });

  it("refuses to send without a transport with UNSUPPORTED", async () => {
    const receiveOnly = emailChannel({ from: { address: "support@dalbit.example" }, webhookSecret: SECRET });
    const { sampleOutboundMessage } = await import("@storedesk/core/testing");
    await expect(receiveOnly.send(sampleOutboundMessage("email"))).rejects.toMatchObject({ code: "UNSUPPORTED" });
  });
});
