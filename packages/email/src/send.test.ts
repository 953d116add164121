import { createTransport } from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleOutboundMessage } from "@storedesk/core/testing";
import type { OutboundMessage } from "@storedesk/core";
import { emailChannel } from "./index.js";
import { emailToEvents, parseMime } from "./inbound.js";
import { buildMail } from "./send.js";
import { smtpError } from "./errors.js";
import { startSmtpPeer } from "./test-support.js";
import type { SmtpPeer } from "./test-support.js";

let peer: SmtpPeer;
beforeAll(async () => {
  peer = await startSmtpPeer();
});
afterAll(async () => {
  await peer.close();
});

const smtp = () => ({
  host: "127.0.0.1",
  port: peer.port,
  secure: false,
  ignoreTLS: true,
  auth: { user: "shop", pass: "smtp-pass-5e1f" },
});
const channel = () =>
  emailChannel({
    from: { address: "support@dalbit.example", name: "달빛상점 고객센터" },
    smtp: smtp(),
    replyTo: "plus-address",
  });

function reply(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  const base = sampleOutboundMessage("email");
  return {
    ...base,
    messageId: "msg_01JDREPLY",
    text: "안녕하세요 고객님,\n\n주문하신 상품은 오늘 출고됩니다.\n감사합니다.",
    thread: [
      {
        externalId: "CAGmail-first-0001@mail.gmail.com",
        direction: "inbound",
        createdAt: new Date("2026-11-25T06:00:00Z"),
      },
      { externalId: "sd.msg_ack@dalbit.example", direction: "outbound", createdAt: new Date("2026-11-25T06:00:01Z") },
      {
        externalId: "wamid.HBgLODIxMDEyMzQ1Njc4FQIAERgS",
        direction: "inbound",
        createdAt: new Date("2026-11-25T06:30:00Z"),
      },
    ],
    ...overrides,
  };
}

describe("sending over a real SMTP server", () => {
  it("delivers a threaded reply with a stable Message-ID, the ticket token, a plus-address Reply-To and text and HTML parts", async () => {
    const before = peer.received.length;
    const receipt = await channel().send(reply());
    expect(receipt).toMatchObject({ externalId: "sd.msg_01JDREPLY@dalbit.example", status: "sent" });

    const got = peer.received[before]!;
    expect(got.rcptTo).toEqual(["kim.minsu@example.com"]);
    expect(got.user).toBe("shop");
    const mail = await parseMime(got.raw);
    expect(mail.messageId).toBe("<sd.msg_01JDREPLY@dalbit.example>");
    expect(mail.inReplyTo).toBe("<CAGmail-first-0001@mail.gmail.com>");
    // A WhatsApp id in the thread is no Message-ID and stays out of the headers.
    expect(mail.references).toEqual(["<CAGmail-first-0001@mail.gmail.com>", "<sd.msg_ack@dalbit.example>"]);
    expect(mail.subject).toBe("Re: 배송 문의 / Where is my order? [#SD-1042]");
    expect(mail.replyTo?.value[0]?.address).toBe("support+SD-1042@dalbit.example");
    expect(mail.from?.value[0]).toEqual({ address: "support@dalbit.example", name: "달빛상점 고객센터" });
    expect(mail.text).toContain("주문하신 상품은 오늘 출고됩니다.");
    expect(mail.html).toContain("<p>주문하신 상품은 오늘 출고됩니다.<br>감사합니다.</p>");
  });

  it("attaches an inline file of the reply: the customer's mail carries it, name, type and bytes", async () => {
    const before = peer.received.length;
    const pdf = Buffer.from("%PDF-1.4 반품 라벨", "utf8");
    const file = {
      filename: "반품라벨.pdf",
      contentType: "application/pdf",
      size: pdf.length,
      url: null,
      providerId: null,
      contentBase64: pdf.toString("base64"),
    };
    await channel().send(reply({ messageId: "msg_01JDFILE", attachments: [file] }));
    const mail = await parseMime(peer.received[before]!.raw);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: "반품라벨.pdf", contentType: "application/pdf" });
    expect(Buffer.from(mail.attachments[0]!.content).equals(pdf)).toBe(true);
  });

  it("threads the customer's answer to a sent reply back: its References carry the sent Message-ID", async () => {
    const before = peer.received.length;
    await channel().send(reply({ messageId: "msg_01JDTHREAD" }));
    const sent = await parseMime(peer.received[before]!.raw);

    // The customer's client answers the way every client does: In-Reply-To and References from the mail it got.
    const customer = createTransport({ host: "127.0.0.1", port: peer.port, secure: false, ignoreTLS: true });
    await customer.sendMail({
      from: "Kim Minsu <kim.minsu@example.com>",
      to: sent.replyTo?.text ?? "support@dalbit.example",
      subject: `Re: ${sent.subject}`,
      text: "감사합니다! 잘 받을게요.\n\n2026년 11월 25일 (수) 오후 3:30, 달빛상점 고객센터 <support@dalbit.example>님이 작성:\n> 주문하신 상품은 오늘 출고됩니다.",
      inReplyTo: sent.messageId,
      references: [
        ...(Array.isArray(sent.references) ? sent.references : [sent.references ?? ""]),
        sent.messageId ?? "",
      ],
    });
    const answer = peer.received[before + 1]!;
    const [event] = await emailToEvents(answer.raw, { now: () => new Date(), envelopeRecipients: answer.rcptTo });
    expect(event?.type).toBe("message");
    if (event?.type !== "message") return;
    expect(event.replyTo).toContain("sd.msg_01JDTHREAD@dalbit.example");
    expect(event.replyTo?.[0]).toBe("sd.msg_01JDTHREAD@dalbit.example"); // the message replied to comes first
    expect(event.ticketNumber).toBe(1042);
    expect(event.text).toBe("감사합니다! 잘 받을게요.");
  });

  it("sends a retried message with the same Message-ID", async () => {
    const before = peer.received.length;
    const first = await channel().send(reply({ messageId: "msg_retry" }));
    const second = await channel().send(reply({ messageId: "msg_retry" }));
    expect(second.externalId).toBe(first.externalId);
    const ids = await Promise.all(peer.received.slice(before).map(async (r) => (await parseMime(r.raw)).messageId));
    expect(ids).toEqual(["<sd.msg_retry@dalbit.example>", "<sd.msg_retry@dalbit.example>"]);
  });

  it("maps SMTP answers to error codes: 451 → PROVIDER_UNAVAILABLE, 550 → PROVIDER_ERROR, 535 → PROVIDER_AUTH", async () => {
    peer.failNextData(451);
    await expect(channel().send(reply())).rejects.toMatchObject({
      code: "PROVIDER_UNAVAILABLE",
      retryable: true,
      details: { status: 451 },
    });
    peer.failRcpt(550);
    await expect(channel().send(reply())).rejects.toMatchObject({
      code: "PROVIDER_ERROR",
      retryable: false,
      details: { status: 550 },
    });
    peer.failRcpt(null);
    peer.refuseAuth(true);
    const err: unknown = await channel()
      .send(reply())
      .catch((e: unknown) => e);
    peer.refuseAuth(false);
    expect(err).toMatchObject({ code: "PROVIDER_AUTH", retryable: false });
    expect(JSON.stringify(err) + String((err as Error).message)).not.toContain("smtp-pass-5e1f");
  });

  it("maps a refused connection to PROVIDER_UNAVAILABLE", async () => {
    const closed = await startSmtpPeer();
    const port = closed.port;
    await closed.close();
    const email = emailChannel({
      from: { address: "support@dalbit.example" },
      smtp: { host: "127.0.0.1", port, ignoreTLS: true, connectionTimeout: 2000 },
    });
    await expect(email.send(reply())).rejects.toMatchObject({ code: "PROVIDER_UNAVAILABLE", retryable: true });
  });
});

describe("buildMail", () => {
  it("refuses a customer without an email address", () => {
    const message = {
      ...reply(),
      customer: { ...reply().customer, identities: [{ kind: "whatsapp" as const, value: "821012345678" }] },
    };
    expect(() => buildMail(message, { from: { address: "support@dalbit.example" } })).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT" }),
    );
  });

  it("refuses an attachment that is only a provider's media id (a mail server cannot fetch it) rather than dropping it", () => {
    const file = {
      filename: "a.jpg",
      contentType: "image/jpeg",
      size: null,
      url: null,
      providerId: "wa-media-1",
      contentBase64: null,
    };
    expect(() => buildMail(reply({ attachments: [file] }), { from: { address: "support@dalbit.example" } })).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT", path: ["attachments"] }),
    );
  });

  it("keeps an explicit subject and does not repeat a token already in it", () => {
    const { mail } = buildMail(reply({ subject: "[달빛상점] 문의가 접수되었습니다 [#SD-1042]" }), {
      from: { address: "support@dalbit.example" },
    });
    expect(mail.subject).toBe("[달빛상점] 문의가 접수되었습니다 [#SD-1042]");
  });

  it("trims a long References list to the thread root and the latest 19 ids", () => {
    const thread = Array.from({ length: 30 }, (_, i) => ({
      externalId: `m${i}@x.example`,
      direction: "inbound" as const,
      createdAt: new Date(i),
    }));
    const built = buildMail(reply({ thread }), { from: { address: "support@dalbit.example" } });
    expect(built.references).toHaveLength(20);
    expect(built.references[0]).toBe("m0@x.example");
    expect(built.references.at(-1)).toBe("m29@x.example");
  });
});

describe("smtpError", () => {
  it.each([
    [{ responseCode: 421 }, "PROVIDER_UNAVAILABLE"],
    [{ responseCode: 452 }, "PROVIDER_UNAVAILABLE"],
    [{ responseCode: 554 }, "PROVIDER_ERROR"],
    [{ responseCode: 535, code: "EAUTH" }, "PROVIDER_AUTH"],
    [{ code: "EAUTH" }, "PROVIDER_AUTH"],
    [{ code: "ETIMEDOUT" }, "PROVIDER_UNAVAILABLE"],
    [new Error("boom"), "PROVIDER_ERROR"],
  ])("maps %j to %s", (err, code) => {
    expect(smtpError(err).code).toBe(code);
  });
});

describe("subject of a message that starts a conversation", () => {
  it("reads as its own subject, never Re:, when there is no thread; a reply in a thread keeps Re:", () => {
    const base = sampleOutboundMessage("email");
    const start: OutboundMessage = {
      ...base,
      thread: [],
      subject: "Re: Thank you for your order #1001",
      ticket: { ...base.ticket, subject: "Thank you for your order #1001" },
    };
    expect(buildMail(start, { from: { address: "support@shop.example" } }).mail.subject).toBe(
      `Thank you for your order #1001 [#SD-${base.ticket.number}]`,
    );
    const reply: OutboundMessage = {
      ...start,
      subject: null,
      thread: [{ externalId: "a@example.com", direction: "inbound", createdAt: new Date(0) }],
    };
    expect(buildMail(reply, { from: { address: "support@shop.example" } }).mail.subject).toMatch(
      /^Re: Thank you for your order #1001/,
    );
  });
});
