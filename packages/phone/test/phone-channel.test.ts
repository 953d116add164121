/** The phone webhook: signed call-back requests and Twilio Voice callbacks into the inbox. */
import { describe, expect, it } from "vitest";
import { phoneIdentity, twilioSignature, verifyCallbackSignature, signCallbackRequest } from "../src/index.js";
import { inboundCall, MONDAY_10_KST, phoneDesk, requestPost, SECRET, twilioPost } from "./helpers.js";

async function counts(desk: ReturnType<typeof phoneDesk>["desk"]) {
  const tickets = await desk.listTickets();
  const messages = (await Promise.all(tickets.map((t) => desk.listMessages(t.id)))).flat();
  return { tickets: tickets.length, messages: messages.length };
}

describe("signatures", () => {
  it("computes Twilio's signature of its documented example request", () => {
    // The example of Twilio's security guide: the URL with its query, the form parameters, token 12345.
    const params = new URLSearchParams({
      CallSid: "CA1234567890ABCDE",
      Caller: "+12349013030",
      Digits: "1234",
      From: "+12349013030",
      To: "+18005551212",
    });
    expect(twilioSignature("https://mycompany.com/myapp.php?foo=1&bar=2", params, "12345")).toBe(
      "0/KCTR6DLpKmkAf8muzZqo1nDgQ=",
    );
  });

  it("refuses a call-back signature older than five minutes and a changed body", () => {
    const body = '{"requestId":"r1","phone":"01012345678"}';
    const old = signCallbackRequest(body, SECRET, new Date(MONDAY_10_KST.getTime() - 301_000));
    expect(verifyCallbackSignature(body, old, SECRET, MONDAY_10_KST)).toBe(false);
    const fresh = signCallbackRequest(body, SECRET, MONDAY_10_KST);
    expect(verifyCallbackSignature(body, fresh, SECRET, MONDAY_10_KST)).toBe(true);
    expect(verifyCallbackSignature(body.replace("r1", "r2"), fresh, SECRET, MONDAY_10_KST)).toBe(false);
    expect(verifyCallbackSignature(body, "t=abc,v1=00", SECRET, MONDAY_10_KST)).toBe(false);
  });

  it("reads Korean national, international and foreign numbers as E.164, and refuses caller ids that are no number", () => {
    expect(phoneIdentity("010-1234-5678", "KR")).toEqual({ kind: "phone", value: "+821012345678" });
    expect(phoneIdentity("+82 10 1234 5678", "KR")).toEqual({ kind: "phone", value: "+821012345678" });
    expect(phoneIdentity("(415) 555-2671", "US")).toEqual({ kind: "phone", value: "+14155552671" });
    for (const bad of ["anonymous", "client:Anonymous", "+266696687", "+7378742833", "+", "12"])
      expect(phoneIdentity(bad, "KR")).toBeNull();
  });
});

describe("call-back requests", () => {
  it("turns a signed request into a ticket on the caller's number, once", async () => {
    const { desk } = phoneDesk();
    const body = { requestId: "cb-1", phone: "010-1234-5678", name: "김민지", reason: "반품 문의드려요", locale: "ko" };
    const res = await desk.webhook("phone")(requestPost(body, { at: MONDAY_10_KST }));
    expect(res.status).toBe(200);
    const [ticket] = await desk.listTickets();
    expect(ticket).toMatchObject({ channel: "phone", conversationKey: "+821012345678" });
    expect(ticket!.meta.callback).toMatchObject({ status: "scheduled", number: "+821012345678", source: "request" });
    const customer = await desk.getCustomer(ticket!.customerId);
    expect(customer?.identities).toContainEqual({ kind: "phone", value: "+821012345678" });
    expect((await desk.listMessages(ticket!.id))[0]?.text).toBe("반품 문의드려요");
    // The shop's server retries: the same request id is the same request.
    expect((await desk.webhook("phone")(requestPost(body, { at: MONDAY_10_KST }))).status).toBe(200);
    expect(await counts(desk)).toEqual({ tickets: 1, messages: 1 });
  });

  it("is one customer with a WhatsApp customer of the same number", async () => {
    const { desk } = phoneDesk();
    const first = await desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: "wa-1",
      occurredAt: MONDAY_10_KST,
      from: {
        identities: [
          { kind: "whatsapp", value: "821012345678" },
          { kind: "phone", value: "+821012345678" },
        ],
      },
      text: "배송 문의",
      conversationKey: "wa-chat",
    });
    await desk.webhook("phone")(requestPost({ requestId: "cb-2", phone: "01012345678" }, { at: MONDAY_10_KST }));
    const tickets = await desk.listTickets();
    expect(tickets).toHaveLength(2);
    expect(new Set(tickets.map((t) => t.customerId))).toEqual(new Set([first.ticket!.customerId]));
  });

  it.each([
    ["no signature", 401, { requestId: "x", phone: "01012345678" }, { signature: null }],
    ["a wrong secret", 401, { requestId: "x", phone: "01012345678" }, { secret: "other" }],
    ["a stale signature", 401, { requestId: "x", phone: "01012345678" }, { at: new Date("2026-03-02T00:50:00Z") }],
    ["a number that is none", 400, { requestId: "x", phone: "call me" }, {}],
    ["an unknown field", 400, { requestId: "x", phone: "01012345678", extra: 1 }, {}],
    ["a wrong type", 400, { requestId: 5, phone: "01012345678" }, {}],
    ["no JSON", 400, "{not json", {}],
    ["an invalid preferred time", 400, { requestId: "x", phone: "01012345678", preferredAt: "tomorrow" }, {}],
  ] as const)("answers %s with %i and writes nothing", async (_name, status, body, opts) => {
    const { desk } = phoneDesk();
    const res = await desk.webhook("phone")(requestPost(body, { at: MONDAY_10_KST, ...opts }));
    expect(res.status).toBe(status);
    expect((await res.json()).error.code).toMatch(status === 401 ? "SIGNATURE_INVALID" : "INVALID_INPUT");
    expect(await counts(desk)).toEqual({ tickets: 0, messages: 0 });
  });

  it("refuses other content types and methods", async () => {
    const { desk } = phoneDesk();
    const text = new Request("https://shop.example/x", {
      method: "POST",
      body: "hi",
      headers: { "content-type": "text/plain" },
    });
    expect((await desk.webhook("phone")(text)).status).toBe(400);
    expect((await desk.webhook("phone")(new Request("https://shop.example/x"))).status).toBe(405);
  });
});

describe("Twilio Voice callbacks", () => {
  it("turns a missed inbound call into a call-back on the caller's number, once", async () => {
    const { desk } = phoneDesk();
    const params = inboundCall("+821055556666", "no-answer", {
      CallerName: "LEE",
      Timestamp: "Mon, 02 Mar 2026 00:59:00 +0000",
    });
    const res = await desk.webhook("phone")(twilioPost(params));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/xml");
    await desk.webhook("phone")(twilioPost(params));
    const [ticket] = await desk.listTickets();
    expect(ticket!.meta.callback).toMatchObject({
      source: "missed_call",
      number: "+821055556666",
      status: "scheduled",
    });
    const [message] = await desk.listMessages(ticket!.id);
    expect(message).toMatchObject({ text: "부재중 전화", createdAt: new Date("2026-03-02T00:59:00Z") });
    expect(await counts(desk)).toEqual({ tickets: 1, messages: 1 });
  });

  it("threads a voicemail's recording and its transcription onto the caller's call-back", async () => {
    const { desk } = phoneDesk();
    const recording = {
      RecordingUrl: "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
      RecordingSid: "RE1",
      RecordingDuration: "14",
    };
    await desk.webhook("phone")(twilioPost(inboundCall("01077778888", "completed", recording)));
    const transcribed = {
      ...recording,
      TranscriptionSid: "TR1",
      TranscriptionStatus: "completed",
      TranscriptionText: "주문한 신발 사이즈 교환하고 싶어요",
    };
    await desk.webhook("phone")(twilioPost(inboundCall("01077778888", "completed", transcribed)));
    const [ticket] = await desk.listTickets();
    const messages = await desk.listMessages(ticket!.id);
    expect(messages.map((m) => m.text)).toEqual([
      "음성 메시지를 남겼습니다 (14s)",
      "주문한 신발 사이즈 교환하고 싶어요",
    ]);
    expect(messages[0]!.attachments[0]).toMatchObject({
      contentType: "audio/mpeg",
      url: `${recording.RecordingUrl}.mp3`,
    });
    expect(ticket!.meta.callback).toMatchObject({ source: "voicemail", number: "+821077778888" });
  });

  it.each([
    ["an answered call", inboundCall("+821055556666", "completed"), "call_completed"],
    ["a ringing call", inboundCall("+821055556666", "ringing"), "call_ringing"],
    ["a withheld caller id", inboundCall("anonymous", "no-answer"), "no_caller"],
    [
      "the shop's own outbound call",
      { ...inboundCall("+8215881234", "no-answer"), Direction: "outbound-api" },
      "outbound_call",
    ],
  ])("answers %s 200 and ingests nothing", async (_name, params, reason) => {
    const { desk } = phoneDesk();
    const res = await desk.webhook("phone")(twilioPost(params));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-storedesk-ignored")).toBe(reason);
    expect(await counts(desk)).toEqual({ tickets: 0, messages: 0 });
  });

  it("refuses a forged or unsigned Twilio callback and one without a call id", async () => {
    const { desk } = phoneDesk();
    const missed = inboundCall("+821055556666", "no-answer");
    expect((await desk.webhook("phone")(twilioPost(missed, "wrong-token"))).status).toBe(401);
    expect((await desk.webhook("phone")(twilioPost(missed, null))).status).toBe(401);
    const { CallSid: _drop, ...noSid } = missed;
    expect((await desk.webhook("phone")(twilioPost(noSid))).status).toBe(400);
    expect(await counts(desk)).toEqual({ tickets: 0, messages: 0 });
  });
});
