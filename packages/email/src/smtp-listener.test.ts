import { createTransport } from "nodemailer";
import { afterEach, describe, expect, it } from "vitest";
import type { InboundEventInput } from "@storedesk/core";
import { emailChannel } from "./index.js";
import { emailSmtpListener, isAcceptedRecipient } from "./smtp-listener.js";
import type { EmailSmtpListener } from "./smtp-listener.js";

const channel = emailChannel({ from: { address: "support@dalbit.example" } });
let listener: EmailSmtpListener | null = null;
afterEach(async () => {
  await listener?.close();
  listener = null;
});

async function start(onEvents: (events: InboundEventInput[]) => Promise<void>, maxBytes?: number) {
  listener = emailSmtpListener({
    channel,
    onEvents,
    accept: { addresses: ["support@dalbit.example"], domains: ["help.dalbit.example"] },
    ...(maxBytes ? { maxBytes } : {}),
  });
  const { port } = await listener.listen(0, "127.0.0.1");
  return createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
}

const mail = {
  from: "김민수 <minsu@example.com>",
  subject: "배송 문의",
  text: "운동화가 아직 안 왔어요.",
  messageId: "<smtp-in-0001@example.com>",
};

describe("emailSmtpListener", () => {
  it("accepts mail for a support address (plus tags included) and hands the parsed events on", async () => {
    const got: InboundEventInput[][] = [];
    const client = await start(async (events) => {
      got.push(events);
    });
    const info = await client.sendMail({ ...mail, to: "support+SD-12@dalbit.example" });
    expect(info.response).toMatch(/^250 /);
    expect(got).toHaveLength(1);
    expect(got[0]![0]).toMatchObject({
      type: "message",
      externalId: "smtp-in-0001@example.com",
      subject: "배송 문의",
      text: "운동화가 아직 안 왔어요.",
      ticketNumber: 12,
    });
  });

  it("accepts any address of an accepted domain", async () => {
    const got: InboundEventInput[][] = [];
    const client = await start(async (events) => {
      got.push(events);
    });
    await client.sendMail({ ...mail, to: "anyone@help.dalbit.example" });
    expect(got).toHaveLength(1);
  });

  it("refuses recipients it does not serve with 550 and hands nothing on", async () => {
    const got: InboundEventInput[][] = [];
    const client = await start(async (events) => {
      got.push(events);
    });
    await expect(client.sendMail({ ...mail, to: "ceo@elsewhere.example" })).rejects.toMatchObject({
      responseCode: 550,
    });
    expect(got).toEqual([]);
  });

  it("answers 451 when handing the events on fails, so the sender retries, and accepts the retry", async () => {
    let fail = true;
    const got: InboundEventInput[][] = [];
    const client = await start(async (events) => {
      if (fail) throw new Error("database down");
      got.push(events);
    });
    await expect(client.sendMail({ ...mail, to: "support@dalbit.example" })).rejects.toMatchObject({
      responseCode: 451,
    });
    expect(got).toEqual([]);
    fail = false;
    await client.sendMail({ ...mail, to: "support@dalbit.example" });
    expect(got[0]![0]).toMatchObject({ externalId: "smtp-in-0001@example.com" });
  });

  it("refuses a message over the size limit with 552", async () => {
    const client = await start(async () => undefined, 2048);
    await expect(
      client.sendMail({ ...mail, to: "support@dalbit.example", text: "가".repeat(4000) }),
    ).rejects.toMatchObject({ responseCode: 552 });
  });
});

describe("isAcceptedRecipient", () => {
  it("matches addresses case-insensitively, ignoring plus tags, and whole domains", () => {
    const accept = { addresses: ["Support@Dalbit.example"], domains: ["help.dalbit.example"] };
    expect(isAcceptedRecipient("support@dalbit.example", accept)).toBe(true);
    expect(isAcceptedRecipient("SUPPORT+SD-9@dalbit.example", accept)).toBe(true);
    expect(isAcceptedRecipient("sales@dalbit.example", accept)).toBe(false);
    expect(isAcceptedRecipient("x@HELP.dalbit.example", accept)).toBe(true);
    expect(isAcceptedRecipient("x@evil-help.dalbit.example", accept)).toBe(false);
  });
});
