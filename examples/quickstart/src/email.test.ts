import { createConnection } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { memoryStore } from "@storedesk/core";
import { emailChannel, emailSmtpListener } from "@storedesk/email";
import { composeMail, emailDemo, sendMail } from "./email.js";

afterEach(() => {
  vi.restoreAllMocks();
});

function captureLog(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  });
  return lines;
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

describe("email quickstart section", () => {
  it("opens one ticket, acknowledges it once over SMTP, threads the customer's answer without its quoted history, and records the out-of-office notice", async () => {
    const log = captureLog();
    const summary = await emailDemo(memoryStore());

    expect(summary.outcomes).toEqual(["created", "threaded", "auto_reply"]);
    expect(summary.ticketIds).toHaveLength(1);
    expect(summary.category).toBe("shipping");
    expect(summary.firstReplyDueAt).toBe("2026-03-02T13:00:00.000Z"); // shipping: first reply within 12 h of Monday 10:00 KST
    expect(summary.acknowledgements).toBe(1);
    expect(summary.mailsToCustomer).toEqual([
      {
        subject: `[달빛상점] 문의가 접수되었습니다: 배송 문의 [#SD-${summary.ticketNumber}]`,
        inReplyTo: "<CAKx-first-r1@mail.gmail.com>",
        autoSubmitted: "auto-replied",
      },
      {
        subject: `Re: 배송 문의 [#SD-${summary.ticketNumber}]`,
        inReplyTo: "<CAKx-answer-r1@mail.gmail.com>",
        autoSubmitted: null,
      },
    ]);
    expect(summary.customerAnswer.text).toBe("운송장 번호도 같이 알려주세요.");
    expect(summary.customerAnswer.quoted).toMatch(/^2026년 3월 2일 .*님이 작성:\n> 안녕하세요/);
    expect(summary.timeline).toEqual(["inbound", "outbound (automatic)", "inbound", "outbound", "inbound (automatic)"]);

    const output = log.join("\n");
    expect(output).toContain('new text only: "운송장 번호도 같이 알려주세요."');
    expect(output).toContain("| 접수 번호: SD-");
    expect(output).toContain("no second acknowledgement");
    // Times on the shop's clock with the zone named, not as UTC ISO strings; outcomes in words.
    expect(output).toContain("first reply due Mon 2 Mar 2026, 22:00 KST");
    expect(output).toContain("shop time: Mon 2 Mar 2026, 10:00 KST");
    expect(output).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    expect(output).toContain("an auto-reply, recorded");
  });

  it("runs again on the same store: the first mail opens a follow-up of the closed ticket, acknowledged once", async () => {
    captureLog();
    const store = memoryStore();
    const first = await emailDemo(store);
    const log = captureLog();
    const second = await emailDemo(store);
    expect(log.join("\n")).toContain("→ a follow-up ticket, SD-");
    expect(second.outcomes).toEqual(["follow_up", "threaded", "auto_reply"]);
    expect(second.ticketNumber).toBe(first.ticketNumber + 1);
    expect(second.ticketIds).toHaveLength(1);
    expect(second.ticketIds[0]).not.toBe(first.ticketIds[0]);
    expect(second.acknowledgements).toBe(1);
    expect(second.mailsToCustomer.map((m) => m.inReplyTo)).toEqual([
      "<CAKx-first-r2@mail.gmail.com>",
      "<CAKx-answer-r2@mail.gmail.com>",
    ]);
  });

  it("closes both SMTP servers it started", async () => {
    const log = captureLog();
    await emailDemo(memoryStore());
    const ports = /listening on 127\.0\.0\.1:(\d+), customer's mailbox on port (\d+)/.exec(log.join("\n"));
    expect(ports).not.toBeNull();
    expect(await refused(Number(ports![1]))).toBe(true);
    expect(await refused(Number(ports![2]))).toBe(true);
  });
});

describe("the example's customer mail client", () => {
  const mail = {
    from: { address: "a@gmail.com", name: "김민수" },
    to: "support@dalbit.example",
    subject: "배송 문의",
    text: "안녕하세요",
    date: new Date("2026-11-25T01:00:00Z"),
    messageId: "m-1@gmail.com",
  };

  it("encodes Korean headers as RFC 2047 words and the body as base64 UTF-8", () => {
    const raw = composeMail(mail);
    expect(raw).toContain(`Subject: =?UTF-8?B?${Buffer.from("배송 문의").toString("base64")}?=`);
    expect(raw.split("\r\n\r\n")[1]).toBe(Buffer.from("안녕하세요").toString("base64"));
    expect(raw).toContain("Date: Wed, 25 Nov 2026 01:00:00 +0000");
  });

  it("rejects when the server refuses the recipient", async () => {
    const mx = emailSmtpListener({
      channel: emailChannel({ from: { address: "support@dalbit.example" } }),
      accept: { addresses: ["support@dalbit.example"] },
      onEvents: async () => {},
    });
    const { port } = await mx.listen(0, "127.0.0.1");
    try {
      await expect(sendMail(port, { ...mail, to: "stranger@dalbit.example" })).rejects.toThrow(
        /expected 250, got "550/,
      );
    } finally {
      await mx.close();
    }
  });
});
