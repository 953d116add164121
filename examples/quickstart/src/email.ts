/**
 * Email, end to end over real SMTP on loopback: a Korean customer's mail
 * reaches the shop's MX (storedesk's SMTP listener) and opens a ticket; the
 * acknowledgement goes out over SMTP to the customer's mailbox; the customer
 * answers it from Gmail (quoted history and all) and the answer lands on the
 * same ticket; an agent replies; the customer's out-of-office notice is
 * recorded without a second acknowledgement.
 *
 * Three SMTP parties, all on 127.0.0.1 with a free port:
 *   customer's mail client ──SMTP──▶ shop MX (emailSmtpListener) ──▶ desk.ingest
 *   desk.reply / auto-ack ──SMTP (nodemailer inside emailChannel)──▶ customer's mailbox
 */
import { createConnection } from "node:net";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { createDesk, manualClock, type IngestResult, type Store, type Ticket } from "@storedesk/core";
import {
  emailAcknowledgementTemplate,
  emailChannel,
  emailSmtpListener,
  parseMime,
  type EmailSmtpListener,
} from "@storedesk/email";
import { categoryWords, outcomeWords, section, SHOP_ZONE, shopTime, statusWords } from "./print.js";

/** What {@link emailDemo} did, for the quickstart test. */
export interface EmailDemoSummary {
  /** Ticket number of the customer's conversation. */
  ticketNumber: number;
  category: string;
  /** The first-reply deadline the acknowledgement promised (ISO), or null. */
  firstReplyDueAt: string | null;
  /** Ingest outcome of each mail the shop's MX accepted, in order. */
  outcomes: IngestResult["outcome"][];
  /** Distinct tickets those mails landed on. */
  ticketIds: string[];
  /** Mails the customer's mailbox received (acknowledgement + agent reply). */
  mailsToCustomer: Array<{ subject: string; inReplyTo: string | null; autoSubmitted: string | null }>;
  /** Automatic outbound messages stored on the ticket (acknowledgements). */
  acknowledgements: number;
  /** The customer's answer as stored: only the new text, the quoted history split off. */
  customerAnswer: { text: string; quoted: string | null };
  /** Direction and kind of every message on the ticket, in order. */
  timeline: string[];
}

const SHOP = { address: "support@dalbit.example", name: "달빛상점 고객센터" };
const CUSTOMER = { address: "minsu.kim@gmail.com", name: "김민수" };

/**
 * Runs the email conversation against `store` and prints each step.
 * Everything it starts (two SMTP servers) is closed before it returns.
 */
export async function emailDemo(store: Store): Promise<EmailDemoSummary> {
  const clock = manualClock(new Date("2026-03-02T10:00:00+09:00")); // Monday morning in Seoul, as the other shared-store scenarios
  section("Email over SMTP on loopback: a mail in, the acknowledgement out, the answer threaded back", {
    store,
    clock,
    why: "Monday morning",
  });

  // The customer's mailbox: a second SMTP listener that keeps whatever it is sent.
  const mailbox: Uint8Array[] = [];
  const customerMx = emailSmtpListener({
    channel: {
      parse: async (raw) => {
        mailbox.push(raw);
        return [];
      },
    },
    accept: { domains: ["gmail.com"] },
    onEvents: async () => {},
  });
  const customerMxAddress = await customerMx.listen(0, "127.0.0.1");
  let shopMx: EmailSmtpListener | null = null;
  try {
    const email = emailChannel({
      from: SHOP,
      // Production: your SMTP relay (SES, Postmark, your own Postfix). Here: straight to the customer's mailbox.
      smtp: { host: "127.0.0.1", port: customerMxAddress.port, secure: false, ignoreTLS: true },
      replyTo: "plus-address",
      clock,
    });
    const desk = createDesk({
      outbox: { wait: "sent" },
      store,
      clock,
      channels: [email],
      shop: { name: "달빛상점" },
      templates: [emailAcknowledgementTemplate()],
    });
    // With a persistent store (the quickstart's PGlite) the customer is known from earlier runs:
    // each run's mails get their own Message-IDs, or the desk would drop them as redeliveries.
    const known = await desk.findCustomer({ kind: "email", value: CUSTOMER.address });
    const run = known ? (await desk.listTickets({ customerId: known.id })).length + 1 : 1;
    const mailId = (name: string) => `CAKx-${name}-r${run}@mail.gmail.com`;

    // The shop's MX: storedesk's SMTP listener, feeding the desk.
    const results: IngestResult[] = [];
    shopMx = emailSmtpListener({
      channel: email,
      accept: { addresses: [SHOP.address] },
      onEvents: async (events) => {
        for (const event of events) results.push(await desk.ingest(event));
      },
    });
    const shopMxAddress = await shopMx.listen(0, "127.0.0.1");
    console.log(
      `shop MX listening on ${shopMxAddress.host}:${shopMxAddress.port}, customer's mailbox on port ${customerMxAddress.port}`,
    );

    const send = (mail: OutgoingMail) => sendMail(shopMxAddress.port, mail);
    const readMailbox = async (index: number) => {
      const raw = mailbox[index];
      if (!raw) throw new Error(`the customer's mailbox has no mail #${index + 1}`);
      return parseMime(raw);
    };

    // 1. The customer writes to the shop.
    console.log(`\n1. ${CUSTOMER.name} <${CUSTOMER.address}> → ${SHOP.address}: "배송 문의"`);
    await send({
      from: CUSTOMER,
      to: SHOP.address,
      date: clock.now(),
      messageId: mailId("first"),
      subject: "배송 문의",
      text: "11월 20일에 주문한 운동화가 아직 안 왔어요.\n주문번호 20261120-0042 입니다. 언제 받을 수 있을까요?",
    });
    const first = results[0];
    const ticket: Ticket | null | undefined = first?.ticket;
    if (!first || !ticket) throw new Error("the first mail opened no ticket");
    const due = ticket.sla?.metrics.find((m) => m.metric === "first_reply")?.dueAt ?? null;
    console.log(
      `   → ${outcomeWords(first.outcome)}, SD-${ticket.number}: ${categoryWords(ticket.category)}, priority ${ticket.priority}, first reply due ${due ? shopTime(due) : "—"}`,
    );

    // 2. The acknowledgement arrived in the customer's mailbox.
    const ack = await readMailbox(0);
    console.log(
      `\n2. the customer's mailbox got: "${ack.subject}" (the due time in it is the shop's, ${SHOP_ZONE.abbreviation})`,
    );
    for (const line of (ack.text ?? "")
      .split("\n")
      .filter((l) => l.trim())
      .slice(0, 4))
      console.log(`   | ${line}`);
    console.log(
      `   In-Reply-To ${ack.inReplyTo}, Reply-To ${ack.replyTo?.text}, Auto-Submitted: ${headerText(ack.headers.get("auto-submitted"))}`,
    );

    // 3. The customer answers the acknowledgement from Gmail; Gmail quotes the history in Korean.
    clock.advance(25 * 60_000);
    console.log(`\n3. ${CUSTOMER.name} answers the acknowledgement (In-Reply-To ${ack.messageId})`);
    await send({
      from: CUSTOMER,
      to: ack.replyTo?.text ?? SHOP.address,
      date: clock.now(),
      messageId: mailId("answer"),
      subject: `Re: ${ack.subject}`,
      inReplyTo: ack.messageId ?? null,
      references: [`<${mailId("first")}>`, ...(ack.messageId ? [ack.messageId] : [])],
      text: [
        "운송장 번호도 같이 알려주세요.",
        "",
        `2026년 3월 2일 (월) 오전 10:00, ${SHOP.name} <${SHOP.address}>님이 작성:`,
        ...(ack.text ?? "").split("\n").map((l) => `> ${l}`),
      ].join("\n"),
    });
    const answer = results[1];
    const answerText = answer?.message?.text ?? "";
    const quoted = typeof answer?.message?.meta.quotedText === "string" ? answer.message.meta.quotedText : null;
    console.log(
      `   → ${answer ? outcomeWords(answer.outcome) : "?"}: SD-${answer?.ticket?.number}; new text only: "${answerText}"`,
    );
    console.log(
      `     (quoted history kept aside: ${quoted ? `${quoted.split("\n").length} lines, starting "${quoted.split("\n")[0]}"` : "none"})`,
    );

    // 4. An agent replies; the mail threads in the customer's client.
    clock.advance(40 * 60_000);
    const reply = await desk.reply(ticket.id, {
      text: "김민수 고객님, 운동화는 오늘 출고되었습니다.\n운송장 번호: CJ 6412-3378-2201 (CJ대한통운)",
      agentId: "agent-jiwon",
    });
    const replyMail = await readMailbox(1);
    console.log(`\n4. agent-jiwon replies → "${replyMail.subject}"`);
    console.log(
      `   Message-ID ${replyMail.messageId} (the stored message's externalId: ${reply.externalId === replyMail.messageId?.slice(1, -1) ? "same" : reply.externalId})`,
    );
    console.log(`   In-Reply-To ${replyMail.inReplyTo}, References ${[replyMail.references ?? []].flat().join(" ")}`);

    // 5. The customer's out-of-office robot answers the agent.
    clock.advance(60_000);
    await send({
      from: CUSTOMER,
      to: SHOP.address,
      date: clock.now(),
      messageId: mailId("ooo"),
      subject: `자동 회신: ${replyMail.subject}`,
      inReplyTo: replyMail.messageId ?? null,
      headers: { "Auto-Submitted": "auto-replied" },
      text: "11월 30일까지 휴가로 부재중입니다. 복귀 후 확인하겠습니다.",
    });
    const ooo = results[2];
    console.log(
      `\n5. out-of-office notice → ${ooo ? outcomeWords(ooo.outcome) : "?"} on SD-${ooo?.ticket?.number}; mails sent to the customer so far: ${mailbox.length} (no second acknowledgement)`,
    );

    // 6. Done: the agent solves and closes the ticket. A later mail on the same subject opens a follow-up ticket.
    // (The desk closes solved tickets by itself after 96 h without a customer reply; here the agent does it now.)
    await desk.setStatus(ticket.id, "solved", { agentId: "agent-jiwon" });
    const closed = await desk.setStatus(ticket.id, "closed", { agentId: "agent-jiwon" });
    console.log(`\n6. agent-jiwon solves and closes SD-${ticket.number} → ${statusWords(closed.status)}`);

    const messages = await desk.listMessages(ticket.id);
    const timeline = messages.map((m) => `${m.direction}${m.automatic ? " (automatic)" : ""}`);
    const said = messages.map(
      (m) =>
        `${m.automatic ? "automatic " : ""}${m.direction === "inbound" ? "from the customer" : m.direction === "outbound" ? "to the customer" : "internal note"}`,
    );
    console.log(`\nSD-${ticket.number} now holds ${messages.length} messages: ${said.join(", ")}`);

    const mailsToCustomer = await Promise.all(
      mailbox.map(async (raw) => {
        const mail = await parseMime(raw);
        return {
          subject: mail.subject ?? "",
          inReplyTo: mail.inReplyTo ?? null,
          autoSubmitted: headerText(mail.headers.get("auto-submitted")),
        };
      }),
    );
    return {
      ticketNumber: ticket.number,
      category: ticket.category,
      firstReplyDueAt: due ? iso(due) : null,
      outcomes: results.map((r) => r.outcome),
      ticketIds: [...new Set(results.flatMap((r) => (r.ticket ? [r.ticket.id] : [])))],
      mailsToCustomer,
      acknowledgements: messages.filter((m) => m.direction === "outbound" && m.automatic).length,
      customerAnswer: { text: answerText, quoted },
      timeline,
    };
  } finally {
    await shopMx?.close();
    await customerMx.close();
  }
}

const iso = (at: Date | string) => new Date(at).toISOString();
const headerText = (value: unknown) => (typeof value === "string" ? value : null);

// ─── The customer's side: a mail client in a few lines ───────────────────────
// Hand-written on purpose: the quickstart depends only on storedesk packages, and
// a mail client is not one of them. In your own tests, nodemailer does this.

/** A plain-text mail as a customer's mail client would send it. */
export interface OutgoingMail {
  from: { address: string; name: string };
  to: string;
  subject: string;
  text: string;
  date: Date;
  /** Without the angle brackets. */
  messageId: string;
  /** With the angle brackets, as read from the mail answered. */
  inReplyTo?: string | null;
  references?: string[];
  headers?: Record<string, string>;
}

/** RFC 2047 encoded-word, so Korean survives in a header. */
const encodedWord = (text: string) => `=?UTF-8?B?${Buffer.from(text, "utf8").toString("base64")}?=`;

/** The RFC 5322 text of `mail`: UTF-8 body in base64, CRLF line ends. */
export function composeMail(mail: OutgoingMail): string {
  const headers = [
    `From: ${encodedWord(mail.from.name)} <${mail.from.address}>`,
    `To: ${mail.to}`,
    `Subject: ${encodedWord(mail.subject)}`,
    `Date: ${mail.date.toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <${mail.messageId}>`,
    ...(mail.inReplyTo ? [`In-Reply-To: ${mail.inReplyTo}`] : []),
    ...(mail.references?.length ? [`References: ${mail.references.join(" ")}`] : []),
    ...Object.entries(mail.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: base64",
  ];
  const body =
    Buffer.from(mail.text, "utf8")
      .toString("base64")
      .match(/.{1,76}/g) ?? [];
  return [...headers, "", ...body].join("\r\n");
}

/** Delivers `mail` to the SMTP server on 127.0.0.1:`port` (EHLO, MAIL, RCPT, DATA, QUIT). Resolves with the server's final answer to DATA. */
export async function sendMail(port: number, mail: OutgoingMail): Promise<string> {
  const socket = createConnection({ host: "127.0.0.1", port });
  try {
    await once(socket, "connect");
    const lines = createInterface({ input: socket, crlfDelay: Infinity })[Symbol.asyncIterator]();
    const expect = async (code: number): Promise<string> => {
      for (;;) {
        const { value, done } = await lines.next();
        if (done) throw new Error("the SMTP server closed the connection");
        const line = String(value);
        if (line[3] === "-") continue; // a multi-line reply goes on
        if (!line.startsWith(String(code))) throw new Error(`SMTP: expected ${code}, got "${line}"`);
        return line;
      }
    };
    const command = (line: string, code: number) => {
      socket.write(`${line}\r\n`);
      return expect(code);
    };
    await expect(220);
    await command("EHLO customer-laptop.local", 250);
    await command(`MAIL FROM:<${mail.from.address}>`, 250);
    await command(`RCPT TO:<${mail.to.replace(/^.*<|>.*$/g, "")}>`, 250);
    await command("DATA", 354);
    // A line starting with "." is doubled (RFC 5321 §4.5.2); base64 never starts one, headers might.
    const data = composeMail(mail)
      .split("\r\n")
      .map((l) => (l.startsWith(".") ? `.${l}` : l))
      .join("\r\n");
    const accepted = await command(`${data}\r\n.`, 250);
    await command("QUIT", 221);
    return accepted;
  } finally {
    socket.destroy();
  }
}
