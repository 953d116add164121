/**
 * Hostile and extreme mail posted to the signed webhook of a real desk: a mail past a parser
 * limit is a 400 naming the limit (never a 500 that makes the relay retry it forever), a mail
 * past a cut-down limit is stored with `meta.truncated`, and a body past the byte limit is
 * stopped while streaming.
 */
import { describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore, signHmac } from "@storedesk/core";
import { EMAIL_LIMITS, emailChannel } from "../src/index.js";

const SECRET = "relay-secret-1234";

function setup(maxMessageBytes?: number) {
  const clock = manualClock(new Date("2026-11-25T10:00:00+09:00"));
  const email = emailChannel({
    from: { address: "support@dalbit.example" },
    webhookSecret: SECRET,
    clock,
    ...(maxMessageBytes ? { maxMessageBytes } : {}),
  });
  const desk = createDesk({ store: memoryStore(), channels: [email], clock, autoAcknowledge: false });
  return { desk, post: (raw: string | Uint8Array) => desk.webhook("email")(signed(raw)) };
}

export function signed(raw: string | Uint8Array, secret = SECRET): Request {
  const bytes = typeof raw === "string" ? new TextEncoder().encode(raw) : raw;
  return new Request("https://shop.example/webhooks/email", {
    method: "POST",
    body: Buffer.from(bytes),
    headers: {
      "content-type": "message/rfc822",
      "x-storedesk-signature": `sha256=${signHmac(Buffer.from(bytes), secret, "hex")}`,
    },
  });
}

export const HEAD =
  "From: Kim <kim@example.com>\r\nTo: support@dalbit.example\r\nMessage-ID: <m1@example.com>\r\nSubject: hi\r\n";

function nestedMime(depth: number): string {
  let s = HEAD;
  for (let i = 0; i < depth; i++) s += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
  s += "Content-Type: text/plain\r\n\r\nhello\r\n";
  for (let i = depth - 1; i >= 0; i--) s += `--b${i}--\r\n`;
  return s;
}

export function withAttachments(n: number): string {
  let s = `${HEAD}Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nhello\r\n`;
  for (let i = 0; i < n; i++)
    s += `--B\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="f${i}.bin"\r\n\r\nAAAA\r\n`;
  return `${s}--B--\r\n`;
}

describe("email webhook: bad input is never a 5xx", () => {
  it.each([
    ["MIME nested 1,000 deep", nestedMime(1000), "mime_parts"],
    ["MIME nested 20,000 deep", nestedMime(20_000), "mime_parts"],
    ["10,000 attachments", withAttachments(10_000), "mime_parts"],
    [
      "a 3 MB header",
      HEAD.replace("Subject: hi", `Subject: ${"x".repeat(3 * 1024 * 1024)}`) + "\r\nbody\r\n",
      "header_bytes",
    ],
  ])("%s is refused with 400 naming the limit, and nothing is stored", async (_name, raw, limit) => {
    const { desk, post } = setup();
    const res = await post(raw);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "INVALID_INPUT", details: { limit } } });
    expect(await desk.listTickets({})).toHaveLength(0);
  });

  it("a 1 MB Subject is stored with the subject cut and meta.truncated naming it", async () => {
    const { desk, post } = setup();
    const res = await post(HEAD.replace("Subject: hi", `Subject: ${"배송".repeat(170_000)}`) + "\r\nbody\r\n");
    expect(res.status).toBe(200);
    const [ticket] = await desk.listTickets({});
    const [message] = await desk.listMessages(ticket!.id);
    expect((message!.meta.subject as string).length).toBe(EMAIL_LIMITS.subjectChars);
    expect(message!.meta.truncated).toMatchObject({ subjectChars: 340_000 });
  });

  it("100,000 References are stored with the newest 100 kept and the count in meta.truncated", async () => {
    const { desk, post } = setup();
    const refs = Array.from({ length: 100_000 }, (_, i) => `<r${i}@x.example>`).join(" ");
    const res = await post(`${HEAD}References: ${refs}\r\n\r\nbody\r\n`);
    expect(res.status).toBe(200);
    const [ticket] = await desk.listTickets({});
    const [message] = await desk.listMessages(ticket!.id);
    expect(message!.meta.references).toHaveLength(EMAIL_LIMITS.references);
    expect((message!.meta.references as string[])[0]).toBe("r99999@x.example");
    expect(message!.meta.truncated).toMatchObject({ references: 100_000 });
  });

  it("a 30 MB chunked body with a bad signature is stopped at the byte limit (413) without reading the rest", async () => {
    const { desk } = setup(1024 * 1024);
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulled++ < 480) c.enqueue(new Uint8Array(64 * 1024).fill(97));
        else c.close();
      },
    });
    const req = new Request("https://shop.example/webhooks/email", {
      method: "POST",
      body,
      duplex: "half",
      headers: { "content-type": "message/rfc822", "x-storedesk-signature": "sha256=00" },
    } as RequestInit);
    const res = await desk.webhook("email")(req);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(40);
  });
});

describe("email webhook: answered 2xx ⇒ stored", () => {
  it.each([
    ["101 attachments", withAttachments(101), { attachments: { dropped: 1, names: ["f100.bin"] } }],
    [
      "a 1 MB Message-ID",
      HEAD.replace("<m1@example.com>", `<${"m".repeat(1_000_000)}@example.com>`) + "\r\nbody\r\n",
      null,
    ],
    [
      "a 1 MB sender name",
      HEAD.replace("From: Kim", `From: ${"K".repeat(1_000_000)}`) + "\r\nbody\r\n",
      { nameChars: 1_000_000 },
    ],
  ])("%s is answered 200 and stored, cut down with meta.truncated", async (_name, raw, truncated) => {
    const { desk, post } = setup();
    expect((await post(raw)).status).toBe(200);
    const tickets = await desk.listTickets({});
    expect(tickets).toHaveLength(1);
    const [message] = await desk.listMessages(tickets[0]!.id);
    if (truncated) expect(message!.meta.truncated).toMatchObject(truncated);
    expect(message!.attachments.length).toBeLessThanOrEqual(100);
  });
});

describe("email participants", () => {
  it("records To and Cc as participants, so a copied person's reply-all may thread and a stranger's may not", async () => {
    const { desk, post } = setup();
    await post(
      HEAD.replace("To: support@dalbit.example", "To: support@dalbit.example\r\nCc: Lee <Lee@example.com>") +
        "\r\n배송 언제 와요?\r\n",
    );
    const [ticket] = await desk.listTickets({});
    const [first] = await desk.listMessages(ticket!.id);
    expect(first!.meta.participants).toEqual(["email:support@dalbit.example", "email:lee@example.com"]);
    const reply = (from: string, id: string) =>
      `From: ${from}\r\nTo: support@dalbit.example\r\nMessage-ID: <${id}>\r\nIn-Reply-To: <m1@example.com>\r\nSubject: other\r\n\r\n저도요\r\n`;
    expect((await post(reply("lee@example.com", "lee1@example.com"))).status).toBe(200);
    expect((await post(reply("stranger@evil.example", "x1@evil.example"))).status).toBe(200);
    expect(await desk.listMessages(ticket!.id)).toHaveLength(2);
    expect(await desk.listTickets({})).toHaveLength(2);
  });
});
