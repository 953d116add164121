import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { InboundEventSchema, createDesk, manualClock, memoryStore } from "@storedesk/core";
import type { InboundEventInput } from "@storedesk/core";
import { emailToEvents } from "./inbound.js";
import { encodeIso2022KrForTest } from "./test-support.js";

// The shared fixtures, vendored unchanged (see test-fixtures/shared/SOURCES.md); the originals, when present, must equal them.
const SHARED = fileURLToPath(new URL("../test-fixtures/shared/", import.meta.url));
const ORIGINALS = fileURLToPath(new URL("../../../../shared/fixtures/email/", import.meta.url));
const LOCAL = fileURLToPath(new URL("../test-fixtures/", import.meta.url));
const NOW = new Date("2026-11-26T00:00:00Z");
const parse = (raw: Uint8Array | string, envelopeRecipients?: string[]) =>
  emailToEvents(raw, { now: () => NOW, ...(envelopeRecipients ? { envelopeRecipients } : {}) });

function onlyMessage(events: InboundEventInput[]) {
  expect(events).toHaveLength(1);
  const parsed = InboundEventSchema.parse(events[0]);
  if (parsed.type !== "message") throw new Error(`expected a message event, got ${parsed.type}`);
  return parsed;
}

const encodedWord = (charset: string, bytes: Buffer) => `=?${charset}?B?${bytes.toString("base64")}?=`;

describe.skipIf(!existsSync(ORIGINALS))(
  "vendored shared fixtures (skipped: ../shared/fixtures/email is absent on this machine)",
  () => {
    it("equal the originals byte for byte", () => {
      for (const name of ["apple-mail-attachment.eml", "dsn-bounce-ses.eml"]) {
        expect(readFileSync(`${SHARED}${name}`).equals(readFileSync(`${ORIGINALS}${name}`)), name).toBe(true);
      }
    });
  },
);

describe("shared fixtures (real mail written by others)", () => {
  it("reads the Apple Mail message with its attachment", async () => {
    const event = onlyMessage(await parse(readFileSync(`${SHARED}apple-mail-attachment.eml`)));
    expect(event).toMatchObject({
      externalId: "E3FA4232-8F88-4A4E-BDD8-D33856191F5B@gmail.com",
      from: { identities: [{ kind: "email", value: "andris.reinman@gmail.com" }], name: "Andris Reinman" },
      subject: "test",
      text: "test",
      automatic: false,
      conversationKey: "test",
    });
    expect(event.occurredAt.toISOString()).toBe("2012-01-04T14:06:41.000Z");
    expect(event.attachments).toHaveLength(1);
    const attachment = event.attachments[0]!;
    expect(attachment).toMatchObject({ filename: "test.txt", contentType: "text/plain", size: 21 });
    // Quoted-printable "tere tere =FF=00 =C3=B5hkard!" decoded to its exact bytes.
    expect(Buffer.from(attachment.contentBase64!, "base64")).toEqual(
      Buffer.from([...Buffer.from("tere tere "), 0xff, 0x00, 0x20, ...Buffer.from("õhkard!")]),
    );
  });

  it("turns the SES bounce into a failed delivery of the embedded original message", async () => {
    const events = await parse(readFileSync(`${SHARED}dsn-bounce-ses.eml`));
    expect(events).toHaveLength(1);
    const event = InboundEventSchema.parse(events[0]);
    expect(event).toMatchObject({
      type: "delivery",
      channel: "email",
      externalId: "xxxxx@email.amazonses.com",
      status: "failed",
    });
    if (event.type !== "delivery") throw new Error("not a delivery");
    expect(event.error?.code).toBe("5.1.1");
    expect(event.error?.title).toContain("suppression list");
  });
});

describe("emailToEvents", () => {
  it("decodes an EUC-KR message (encoded-word headers, 8-bit body) to Korean text", async () => {
    const head = [
      `From: ${encodedWord("EUC-KR", iconv.encode("김민수", "euc-kr"))} <minsu@hanmail.net>`,
      "To: support@dalbit.example",
      `Subject: ${encodedWord("EUC-KR", iconv.encode("배송 문의드립니다", "euc-kr"))}`,
      "Message-ID: <euckr-0001@hanmail.net>",
      "Date: Wed, 25 Nov 2026 10:00:00 +0900",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=EUC-KR",
      "Content-Transfer-Encoding: 8bit",
      "",
      "",
    ].join("\r\n");
    const raw = Buffer.concat([
      Buffer.from(head, "latin1"),
      iconv.encode("주문한 운동화가 아직 안 왔어요.\r\n언제 받을 수 있나요?\r\n", "euc-kr"),
    ]);
    expect(raw.includes(Buffer.from("주문", "utf8"))).toBe(false); // really EUC-KR bytes, not UTF-8
    const event = onlyMessage(await parse(raw));
    expect(event).toMatchObject({
      subject: "배송 문의드립니다",
      from: { name: "김민수" },
      text: "주문한 운동화가 아직 안 왔어요.\n언제 받을 수 있나요?",
    });
  });

  it("decodes an ISO-2022-KR message (RFC 1557), which iconv-lite cannot, in the subject, sender and body", async () => {
    const head = [
      `From: ${encodedWord("ISO-2022-KR", encodeIso2022KrForTest("이하늘"))} <haneul@example.co.kr>`,
      "To: support@dalbit.example",
      `Subject: ${encodedWord("ISO-2022-KR", encodeIso2022KrForTest("교환 요청"))}`,
      "Message-ID: <iso2022kr-0001@example.co.kr>",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=ISO-2022-KR",
      "Content-Transfer-Encoding: 7bit",
      "",
      "",
    ].join("\r\n");
    const raw = Buffer.concat([
      Buffer.from(head),
      encodeIso2022KrForTest("사이즈 교환 부탁드립니다.\r\n감사합니다."),
      Buffer.from("\r\n"),
    ]);
    expect(raw.every((b) => b < 0x80)).toBe(true); // a 7-bit charset
    const event = onlyMessage(await parse(raw));
    expect(event).toMatchObject({
      subject: "교환 요청",
      from: { name: "이하늘" },
      text: "사이즈 교환 부탁드립니다.\n감사합니다.",
    });
  });

  it("reads a Gmail reply in Korean: UTF-8 base64 subject, new text split from the quote, threading hints", async () => {
    const event = onlyMessage(await parse(readFileSync(`${LOCAL}gmail-ko-reply.eml`)));
    expect(event.subject).toBe("Re: [달빛상점] 문의가 접수되었습니다: 배송 문의 [#SD-1042]");
    expect(event.from).toMatchObject({ identities: [{ kind: "email", value: "minsu.kim@gmail.com" }], name: "김민수" });
    expect(event.text).toBe("주문번호는 20261125-0001 입니다.\n빠른 확인 부탁드려요.");
    expect(event.meta.quotedText).toMatch(
      /^2026년 11월 25일 \(수\) 오후 3:00, 달빛상점 고객센터 <support@dalbit\.example>님이 작성:/,
    );
    expect(event.meta.fullText).toContain("접수 번호: SD-1042");
    expect(event.html).toContain("gmail_quote");
    expect(event.replyTo).toEqual(["sd.msg_ack_1@dalbit.example"]);
    expect(event.ticketNumber).toBe(1042);
    expect(event.conversationKey).toBe("[달빛상점] 문의가 접수되었습니다: 배송 문의");
    expect(event.automatic).toBe(false);
  });

  it("splits an Outlook reply and reads its ticket token", async () => {
    const event = onlyMessage(await parse(readFileSync(`${LOCAL}outlook-en-reply.eml`)));
    expect(event.text).toBe("Size 270 please, not 265.\n\nThanks,\nHaneul");
    expect(event.ticketNumber).toBe(1050);
    expect(event.conversationKey).toBe("exchange request");
  });

  it("marks a Korean out-of-office reply as automatic", async () => {
    const event = onlyMessage(await parse(readFileSync(`${LOCAL}out-of-office-ko.eml`)));
    expect(event.automatic).toBe(true);
    expect(event.meta.autoReplyReason).toBe("auto-submitted: auto-replied");
    expect(event.replyTo).toEqual(["sd.msg_0002@dalbit.example"]);
  });

  it("marks an out-of-office reply recognized only by its subject as automatic", async () => {
    const raw =
      "From: a@example.com\r\nTo: support@dalbit.example\r\nSubject: Automatic reply: Where is my order?\r\nMessage-ID: <ooo@example.com>\r\n\r\nI am away until Monday.\r\n";
    expect(onlyMessage(await parse(raw))).toMatchObject({
      automatic: true,
      meta: { autoReplyReason: "subject: Automatic reply: Where is my order?" },
    });
  });

  it("turns a Postfix DSN with text/rfc822-headers into a failed delivery of our message", async () => {
    const events = await parse(readFileSync(`${LOCAL}dsn-postfix-rfc822-headers.eml`));
    expect(events).toEqual([
      {
        type: "delivery",
        channel: "email",
        externalId: "sd.msg_0007@dalbit.example",
        status: "failed",
        occurredAt: new Date("2026-11-26T01:12:40.000Z"),
        error: { code: "5.1.1", title: "550 5.1.1 <no.such.user@naver.com>: Recipient address rejected: User unknown" },
      },
    ]);
  });

  it("ignores a DSN that only reports a delay", async () => {
    const raw = readFileSync(`${LOCAL}dsn-postfix-rfc822-headers.eml`, "utf8")
      .replace("Action: failed", "Action: delayed")
      .replace("Status: 5.1.1", "Status: 4.4.1");
    expect(await parse(raw)).toEqual([]);
  });

  it("derives a stable external id from the raw bytes when Message-ID is missing", async () => {
    const raw = "From: a@example.com\r\nTo: support@dalbit.example\r\nSubject: no id\r\n\r\nhello\r\n";
    const first = onlyMessage(await parse(raw));
    const again = onlyMessage(await parse(Buffer.from(raw)));
    expect(first.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(again.externalId).toBe(first.externalId);
    expect(first.occurredAt).toEqual(NOW); // no Date header: the injected clock
    expect(onlyMessage(await parse(raw.replace("hello", "hello!"))).externalId).not.toBe(first.externalId);
  });

  it("reads a ticket number from a plus-address in Delivered-To, Cc or the SMTP envelope", async () => {
    const mail = (extra: string) =>
      `From: a@example.com\r\nTo: support@dalbit.example\r\n${extra}Subject: hello\r\nMessage-ID: <p@example.com>\r\n\r\nhi\r\n`;
    expect(onlyMessage(await parse(mail("Delivered-To: support+SD-31@dalbit.example\r\n"))).ticketNumber).toBe(31);
    expect(onlyMessage(await parse(mail("Cc: support+SD-32@dalbit.example\r\n"))).ticketNumber).toBe(32);
    expect(onlyMessage(await parse(mail(""), ["support+SD-33@dalbit.example"])).ticketNumber).toBe(33);
    expect(onlyMessage(await parse(mail(""))).ticketNumber).toBeNull();
  });

  it("reads the text of an HTML-only mail", async () => {
    const raw =
      "From: a@example.com\r\nSubject: html\r\nMessage-ID: <h@example.com>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>교환 <b>요청</b>합니다</p>\r\n";
    const event = onlyMessage(await parse(raw));
    expect(event.text).toBe("교환 요청합니다");
    expect(event.html).toContain("<b>요청</b>");
  });

  describe("Message-ID as the external id (dedupe and threading)", () => {
    const mail = (from: string, id: string, extra = "", text = "hello") =>
      `From: ${from}\r\nTo: support@dalbit.example\r\nSubject: 배송 문의\r\nMessage-ID: <${id}>\r\n${extra}\r\n${text}\r\n`;

    it("records the sender beside the Message-ID, so a duplicate from another sender can be told apart", async () => {
      const event = onlyMessage(await parse(mail("Kim Minsu <Minsu.Kim@Example.com>", "m1@example.com")));
      expect(event.externalId).toBe("m1@example.com");
      expect(event.meta).toMatchObject({ messageId: "m1@example.com", from: "minsu.kim@example.com" });
    });

    it("keeps the external id of a redelivered mail, and threads a later mail that references the customer's own earlier one", async () => {
      // The external id stays the bare Message-ID (not scoped to the sender): the desk looks up
      // References against stored external ids, and our replies put inbound external ids into
      // In-Reply-To / References (send.ts), so a scoped id would break both.
      const desk = createDesk({ store: memoryStore(), clock: manualClock(NOW), autoAcknowledge: false });
      const first = await desk.ingest(onlyMessage(await parse(mail("kim@example.com", "first@example.com"))));
      expect(first.outcome).toBe("created");
      const again = await desk.ingest(onlyMessage(await parse(mail("kim@example.com", "first@example.com"))));
      expect(again.outcome).toBe("duplicate");
      const followUp = onlyMessage(
        await parse(
          mail(
            "kim@example.com",
            "second@example.com",
            "In-Reply-To: <first@example.com>\r\nReferences: <first@example.com>\r\n",
            "one more thing",
          ),
        ),
      );
      expect(followUp.replyTo).toEqual(["first@example.com"]);
      const threaded = await desk.ingest({ ...followUp, conversationKey: null }); // only the reference can thread it
      expect(threaded.outcome).toBe("threaded");
      expect(threaded.ticket?.id).toBe(first.ticket?.id);
    });
  });

  it("refuses input that is not a mail with a sender", async () => {
    await expect(parse("just some text, no headers")).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});
