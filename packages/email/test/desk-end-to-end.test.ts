/**
 * The email channel inside a real desk, over real SMTP both ways: customer mail
 * arrives at the SMTP listener, the desk opens a ticket and its acknowledgement
 * goes out through an SMTP server, and the customer's answer to that
 * acknowledgement lands on the same ticket.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createTransport } from "nodemailer";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore } from "@storedesk/core";
import type { Desk, IngestResult } from "@storedesk/core";
import { emailAcknowledgementTemplate, emailChannel, emailSmtpListener, parseMime } from "../src/index.js";
import type { EmailSmtpListener } from "../src/index.js";
import { startSmtpPeer } from "../src/test-support.js";
import type { SmtpPeer } from "../src/test-support.js";

let relay: SmtpPeer; // the shop's outbound SMTP server
let listener: EmailSmtpListener; // storedesk's inbound MX
let desk: Desk;
let results: IngestResult[];
let customer: ReturnType<typeof createTransport>;

beforeEach(async () => {
  relay = await startSmtpPeer();
  const email = emailChannel({
    from: { address: "support@dalbit.example", name: "달빛상점 고객센터" },
    smtp: {
      host: "127.0.0.1",
      port: relay.port,
      secure: false,
      ignoreTLS: true,
      auth: { user: "shop", pass: "smtp-pass-5e1f" },
    },
    replyTo: "plus-address",
  });
  desk = createDesk({
    outbox: { wait: "sent" },
    store: memoryStore(),
    channels: [email],
    clock: manualClock(new Date("2026-11-25T10:00:00+09:00")),
    shop: { name: "달빛상점" },
    templates: [emailAcknowledgementTemplate()],
  });
  results = [];
  listener = emailSmtpListener({
    channel: email,
    accept: { addresses: ["support@dalbit.example"] },
    onEvents: async (events) => {
      for (const event of events) results.push(await desk.ingest(event));
    },
  });
  const { port } = await listener.listen(0, "127.0.0.1");
  customer = createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
});

afterEach(async () => {
  await listener.close();
  await relay.close();
});

async function lastSent() {
  const got = relay.received.at(-1);
  if (!got) throw new Error("nothing was sent");
  return { ...got, mail: await parseMime(got.raw) };
}

describe("email through a desk, end to end", () => {
  it("opens a ticket, acknowledges it by SMTP, and threads the customer's answer to the acknowledgement onto the same ticket", async () => {
    await customer.sendMail({
      from: "김민수 <minsu.kim@gmail.com>",
      to: "support@dalbit.example",
      subject: "배송 문의",
      text: "11월 20일에 주문한 운동화가 아직 안 왔어요. 주문번호 20261120-0042 입니다.",
      messageId: "<first-0001@mail.gmail.com>",
    });
    expect(results.map((r) => r.outcome)).toEqual(["created"]);
    const ticket = results[0]!.ticket!;
    expect(results[0]!.acknowledgement?.deliveryStatus).toBe("sent");

    // The acknowledgement went out over SMTP, threaded onto the customer's mail.
    expect(relay.received).toHaveLength(1);
    const ack = await lastSent();
    expect(ack.rcptTo).toEqual(["minsu.kim@gmail.com"]);
    expect(ack.mail.subject).toBe(`[달빛상점] 문의가 접수되었습니다: 배송 문의 [#SD-${ticket.number}]`);
    expect(ack.mail.text).toContain(`접수 번호: SD-${ticket.number}`);
    expect(ack.mail.inReplyTo).toBe("<first-0001@mail.gmail.com>");
    expect(ack.mail.headers.get("auto-submitted")).toBe("auto-replied"); // RFC 3834: robots must not answer it
    expect(ack.mail.messageId).toBe(`<${results[0]!.acknowledgement!.externalId}>`);
    expect(ack.mail.replyTo?.value[0]?.address).toBe(`support+SD-${ticket.number}@dalbit.example`);

    // The customer answers the acknowledgement from Gmail.
    await customer.sendMail({
      from: "김민수 <minsu.kim@gmail.com>",
      to: ack.mail.replyTo!.text,
      subject: `Re: ${ack.mail.subject}`,
      text: `운송장 번호도 알려주세요.\n\n2026년 11월 25일 (수) 오전 10:00, 달빛상점 고객센터 <support@dalbit.example>님이 작성:\n> ${ack.mail.text?.split("\n")[0]}`,
      messageId: "<second-0002@mail.gmail.com>",
      inReplyTo: ack.mail.messageId,
      references: ["<first-0001@mail.gmail.com>", ack.mail.messageId!],
    });
    expect(results.map((r) => r.outcome)).toEqual(["created", "threaded"]);
    expect(results[1]!.ticket?.id).toBe(ticket.id);
    expect(relay.received).toHaveLength(1); // no second acknowledgement

    const messages = await desk.listMessages(ticket.id);
    expect(messages.map((m) => [m.direction, m.text])).toEqual([
      ["inbound", "11월 20일에 주문한 운동화가 아직 안 왔어요. 주문번호 20261120-0042 입니다."],
      ["outbound", expect.stringContaining("문의가 접수되었습니다")],
      ["inbound", "운송장 번호도 알려주세요."],
    ]);
    expect(messages[2]!.meta.quotedText).toMatch(/님이 작성:/);
  });

  it("threads an agent's reply by References, records an out-of-office answer without acknowledging it, and marks a bounced reply failed", async () => {
    await customer.sendMail({
      from: "jisoo.park@example.co.kr",
      to: "support@dalbit.example",
      subject: "교환 요청",
      text: "265를 270으로 바꾸고 싶어요.",
      messageId: "<x-1@example.co.kr>",
    });
    const ticket = results[0]!.ticket!;
    const agentReply = await desk.reply(ticket.id, { text: "네, 270으로 교환해 드리겠습니다.", agentId: "agent-1" });
    const sent = await lastSent();
    expect(sent.mail.messageId).toBe(`<${agentReply.externalId}>`);
    expect(sent.mail.references).toContain("<x-1@example.co.kr>");
    expect(sent.mail.subject).toBe(`Re: 교환 요청 [#SD-${ticket.number}]`);
    const sentCount = relay.received.length;

    // An out-of-office notice answering the agent: recorded on the ticket, never acknowledged.
    await customer.sendMail({
      from: "jisoo.park@example.co.kr",
      to: "support@dalbit.example",
      subject: `자동 회신: ${sent.mail.subject}`,
      text: "11월 30일까지 부재중입니다.",
      messageId: "<ooo-1@example.co.kr>",
      inReplyTo: sent.mail.messageId,
      headers: { "Auto-Submitted": "auto-replied" },
    });
    expect(results[1]).toMatchObject({ outcome: "auto_reply", ticket: { id: ticket.id } });
    expect(relay.received).toHaveLength(sentCount);

    // The customer's mail server bounces the agent's reply later.
    const dsn = readFileSync(
      fileURLToPath(new URL("../test-fixtures/dsn-postfix-rfc822-headers.eml", import.meta.url)),
      "utf8",
    ).replace("<sd.msg_0007@dalbit.example>", sent.mail.messageId!);
    await customer.sendMail({ envelope: { from: "", to: ["support@dalbit.example"] }, raw: dsn });
    expect(results[2]?.outcome).toBe("delivery");
    const stored = (await desk.listMessages(ticket.id)).find((m) => m.id === agentReply.id);
    expect(stored?.deliveryStatus).toBe("failed");
    expect(stored?.deliveryError?.code).toBe("5.1.1");
  });
});
