import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryStore } from "@storedesk/core";
import { watchStoreWrites } from "@storedesk/core/testing";
import { DEMO_PASSWORD, createSupportServer } from "./app.js";
import type { SupportServer } from "./app.js";
import { startDemoShop } from "./demo-shop.js";
import { seedDemo } from "./seed.js";
import { MAX_REPLY_BODY_BYTES, REPLY_FILE_LIMITS } from "./reply-files.js";

const watched = watchStoreWrites(memoryStore());
let server: SupportServer;
let shop: ReturnType<typeof startDemoShop>;
beforeAll(async () => {
  shop = startDemoShop();
  server = await createSupportServer({ store: watched.store });
  await seedDemo(server.desk);
}, 60_000);
afterAll(async () => {
  await server.close();
  shop.stop();
});

const BASE = "http://support.test";
async function login(email: string, password = DEMO_PASSWORD) {
  const res = await server.app.fetch(
    new Request(`${BASE}/api/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    }),
  );
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  const body = (await res.json()) as { csrfToken?: string };
  return { status: res.status, setCookie: res.headers.get("set-cookie") ?? "", cookie, csrf: body.csrfToken ?? "" };
}
function call(who: { cookie: string; csrf: string }, method: string, path: string, body?: unknown, csrf = who.csrf) {
  return server.app.fetch(
    new Request(`${BASE}/api${path}`, {
      method,
      headers: { cookie: who.cookie, "x-csrf-token": csrf, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }),
  );
}
async function ticketOf(channel: string) {
  return (await server.desk.listTickets({ channel }))[0]!;
}

describe("agent API", () => {
  it("refuses a wrong password with 401 and sets an HttpOnly, SameSite=Strict session cookie on success", async () => {
    expect((await login("sora@mocha.example", "wrong")).status).toBe(401);
    const ok = await login("sora@mocha.example");
    expect(ok.status).toBe(200);
    expect(ok.setCookie).toMatch(/HttpOnly/i);
    expect(ok.setCookie).toMatch(/SameSite=Strict/i);
  });

  it("answers 401 without a session and 403 to a change without the CSRF token, changing nothing", async () => {
    const ticket = await ticketOf("email");
    const anonymous = await server.app.fetch(new Request(`${BASE}/api/tickets`));
    expect(anonymous.status).toBe(401);
    const sora = await login("sora@mocha.example");
    const noCsrf = await call(sora, "POST", `/tickets/${ticket.id}/tags`, { tags: ["x"] }, "");
    expect(noCsrf.status).toBe(403);
    expect((await server.desk.getTicket(ticket.id)).tags).not.toContain("x");
  });

  it("lets an agent assign a ticket only to themselves; a lead assigns anyone", async () => {
    const ticket = await ticketOf("messenger");
    const sora = await login("sora@mocha.example");
    expect((await call(sora, "POST", `/tickets/${ticket.id}/assign`, { agentId: "hana" })).status).toBe(403);
    expect((await call(sora, "POST", `/tickets/${ticket.id}/assign`, { agentId: "sora" })).status).toBe(200);
    const hana = await login("hana@mocha.example");
    expect((await call(hana, "POST", `/tickets/${ticket.id}/assign`, { agentId: "alex" })).status).toBe(200);
    expect((await server.desk.getTicket(ticket.id)).assigneeId).toBe("alex");
  });

  it("files an agent's refund over their limit for approval without calling the shop; a lead's goes through", async () => {
    const ticket = await ticketOf("email");
    const before = shop.calls.refunds.length;
    const sora = await login("sora@mocha.example");
    const byAgent = await call(sora, "POST", `/tickets/${ticket.id}/refund`, {
      orderId: "701234567890301",
      amount: 39_000,
      reason: "fit",
    });
    expect(byAgent.status).toBe(202);
    expect(await byAgent.json()).toMatchObject({ status: "pending_approval", approverRole: "admin" });
    expect(shop.calls.refunds.length).toBe(before);
    const hana = await login("hana@mocha.example");
    const byLead = await call(hana, "POST", `/tickets/${ticket.id}/refund`, {
      orderId: "701234567890301",
      amount: 39_000,
      reason: "fit",
    });
    expect(byLead.status).toBe(200);
    expect(shop.calls.refunds.length).toBe(before + 1);
  });

  it("answers a change the desk's rules refuse in the ticket's state with 409, not a server error, and changes nothing", async () => {
    const { ticket } = await server.desk.ingest({
      type: "message",
      channel: "email",
      externalId: "<refused-changes@mail.example>",
      occurredAt: server.desk.clock.now(),
      from: { identities: [{ kind: "email", value: "mina@example.com" }], name: "Mina" },
      subject: "Gift wrapping?",
      text: "Can you gift-wrap my order?",
    });
    const before = await server.desk.getTicket(ticket!.id);
    expect(before.status).toBe("new");
    const hana = await login("hana@mocha.example");
    const closed = await call(hana, "POST", `/tickets/${before.id}/status`, { status: "closed" });
    expect(closed.status).toBe(409);
    expect(await closed.json()).toMatchObject({ error: { code: "ILLEGAL_TRANSITION", details: { to: "closed" } } });
    // A complaint step out of order: resolved before anyone listened.
    const step = await call(hana, "POST", `/tickets/${before.id}/complaint`, { type: "resolution_done" });
    expect(step.status).toBe(409);
    expect(await step.json()).toMatchObject({ error: { code: "ILLEGAL_TRANSITION" } });
    const after = await server.desk.getTicket(before.id);
    expect([after.status, after.complaint?.step ?? null]).toEqual([before.status, before.complaint?.step ?? null]);
  });

  it("says a WhatsApp ticket's window is closed and sends the reply as the approved template", async () => {
    const ticket = await ticketOf("whatsapp");
    const sora = await login("sora@mocha.example");
    const view = (await (await call(sora, "GET", `/tickets/${ticket.id}`)).json()) as { replyWindow: { kind: string } };
    expect(view.replyWindow.kind).toBe("template_only");
    const sent = await call(sora, "POST", `/tickets/${ticket.id}/reply`, { text: "죄송합니다" });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ sentAs: "template" });
    expect(shop.calls.whatsapp.at(-1)).toMatchObject({ type: "template", template: { name: "support_followup" } });
  });
});

/** A file as the inbox posts it: `bytes` bytes of `fill`, base64. */
function file(filename: string, contentType: string, bytes: number | Buffer, fill = "x") {
  const data = typeof bytes === "number" ? Buffer.alloc(bytes, fill) : bytes;
  return { filename, contentType, data: data.toString("base64") };
}
type Refusal = { error: { code: string; path?: unknown[]; details?: Record<string, unknown> } };

describe("agent API: replies with files", () => {
  it("a reply with files lands with them on the message, goes out attached to the mail, and the ticket view shows them", async () => {
    const ticket = await ticketOf("email");
    const sora = await login("sora@mocha.example");
    const view = (await (await call(sora, "GET", `/tickets/${ticket.id}`)).json()) as { files: unknown };
    expect(view.files).toEqual({ accepted: true, reason: null, ...REPLY_FILE_LIMITS });
    const pdf = Buffer.from("%PDF-1.4\n% return label for #1003\n");
    const mailsBefore = server.mailbox.length;
    const sent = await call(sora, "POST", `/tickets/${ticket.id}/reply`, {
      text: "반품 라벨을 첨부합니다.",
      attachments: [file("return-label.pdf", "application/pdf", pdf), file("note.txt", "text/plain", 5, "a")],
    });
    expect(sent.status).toBe(200);
    const { message } = (await sent.json()) as { message: { id: string; attachments: unknown[] } };
    expect(message.attachments).toEqual([
      {
        filename: "return-label.pdf",
        contentType: "application/pdf",
        size: pdf.byteLength,
        url: `data:application/pdf;base64,${pdf.toString("base64")}`,
      },
      { filename: "note.txt", contentType: "text/plain", size: 5, url: "data:text/plain;base64,YWFhYWE=" },
    ]);
    const stored = (await server.desk.listMessages(ticket.id)).find((m) => m.id === message.id)!;
    expect(stored.attachments.map((a) => [a.filename, a.size, a.contentBase64])).toEqual([
      ["return-label.pdf", pdf.byteLength, pdf.toString("base64")],
      ["note.txt", 5, "YWFhYWE="],
    ]);
    await server.desk.settle();
    const mail = server.mailbox.slice(mailsBefore).at(-1) as { attachments?: Array<Record<string, unknown>> };
    expect(mail.attachments).toEqual([
      {
        filename: "return-label.pdf",
        contentType: "application/pdf",
        content: pdf.toString("base64"),
        encoding: "base64",
      },
      { filename: "note.txt", contentType: "text/plain", content: "YWFhYWE=", encoding: "base64" },
    ]);
    const after = (await (await call(sora, "GET", `/tickets/${ticket.id}`)).json()) as {
      conversation: Array<{ id: string; attachments: Array<{ filename: string }> }>;
    };
    expect(after.conversation.find((m) => m.id === message.id)?.attachments.map((a) => a.filename)).toEqual([
      "return-label.pdf",
      "note.txt",
    ]);
  });

  it("a file alone is a reply; a reply with neither text nor a file is a 400", async () => {
    const ticket = await ticketOf("email");
    const sora = await login("sora@mocha.example");
    const alone = await call(sora, "POST", `/tickets/${ticket.id}/reply`, {
      text: "",
      attachments: [file("photo.png", "image/png", 16)],
    });
    expect(alone.status).toBe(200);
    expect(((await alone.json()) as { message: { text: string; attachments: unknown[] } }).message).toMatchObject({
      text: "",
      attachments: [{ filename: "photo.png", contentType: "image/png", size: 16 }],
    });
    await server.desk.settle();
    watched.reset();
    const empty = await call(sora, "POST", `/tickets/${ticket.id}/reply`, { text: "  ", attachments: [] });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as Refusal).error).toMatchObject({ code: "INVALID_INPUT", path: ["text"] });
    expect(watched.writes()).toEqual([]);
  });

  it("files over the limits are a typed 413 and bad files a 400, with no message written and no mail sent", async () => {
    const ticket = await ticketOf("email");
    const sora = await login("sora@mocha.example");
    await server.desk.settle();
    const messagesBefore = (await server.desk.listMessages(ticket.id)).length;
    const mailsBefore = server.mailbox.length;
    const { maxFiles, maxFileBytes, maxTotalBytes } = REPLY_FILE_LIMITS;
    const refusals: Array<[unknown, number, string, Record<string, unknown>]> = [
      [
        [file("big.pdf", "application/pdf", maxFileBytes + 1)],
        413,
        "INVALID_INPUT",
        { tooLarge: true, limit: "file_bytes", size: maxFileBytes + 1, filename: "big.pdf" },
      ],
      [
        Array.from({ length: maxFiles + 1 }, (_, i) => file(`f${i}.txt`, "text/plain", 3)),
        413,
        "INVALID_INPUT",
        { tooLarge: true, limit: "files", count: maxFiles + 1 },
      ],
      [
        // Each file within its limit, together one byte over theirs (and still under the body's).
        [
          ...Array.from({ length: 3 }, (_, i) => file(`part${i}.bin`, "application/octet-stream", maxFileBytes)),
          file("part3.bin", "application/octet-stream", maxTotalBytes - 3 * maxFileBytes + 1),
        ],
        413,
        "INVALID_INPUT",
        { tooLarge: true, limit: "total_bytes", size: maxTotalBytes + 1 },
      ],
      [[file("../../etc/passwd", "text/plain", 3)], 400, "INVALID_INPUT", {}],
      [[file("a.txt", "not a mime type", 3)], 400, "INVALID_INPUT", {}],
      [[{ filename: "a.txt", contentType: "text/plain", data: "not base64!" }], 400, "INVALID_INPUT", {}],
      [
        [{ filename: "a.txt", contentType: "text/plain", data: "YWFh", url: "https://evil.example/x" }],
        400,
        "INVALID_INPUT",
        {},
      ],
    ];
    for (const [attachments, status, code, details] of refusals) {
      watched.reset();
      const res = await call(sora, "POST", `/tickets/${ticket.id}/reply`, { text: "첨부합니다", attachments });
      const what = JSON.stringify(details);
      expect(res.status, what).toBe(status);
      const body = (await res.json()) as Refusal;
      expect(body.error.code, what).toBe(code);
      expect(body.error.details ?? {}, what).toMatchObject(details);
      expect(watched.writes(), what).toEqual([]);
    }
    // A body larger than every file at its limit is refused before it is read in full.
    watched.reset();
    const huge = await call(sora, "POST", `/tickets/${ticket.id}/reply`, {
      text: "x",
      attachments: [
        { filename: "huge.bin", contentType: "application/octet-stream", data: "A".repeat(MAX_REPLY_BODY_BYTES) },
      ],
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as Refusal).error).toMatchObject({
      code: "INVALID_INPUT",
      details: { limit: "body_bytes" },
    });
    expect(watched.writes()).toEqual([]);
    await server.desk.settle();
    expect((await server.desk.listMessages(ticket.id)).length).toBe(messagesBefore);
    expect(server.mailbox.length).toBe(mailsBefore);
  });

  it("files to a ticket whose channel cannot carry them are a typed 4xx, the picker says why, and nothing is written or sent", async () => {
    const sora = await login("sora@mocha.example");
    await server.desk.settle();
    const sends = () => [shop.calls.whatsapp.length, server.mailbox.length];
    const before = sends();
    const cases: Array<[string, number, string, string]> = [
      ["phone", 422, "UNSUPPORTED", "channel_no_files"],
      ["messenger", 422, "UNSUPPORTED", "channel_link_only"],
      ["whatsapp", 409, "REPLY_WINDOW_CLOSED", "template_only"],
    ];
    for (const [channel, status, code, reason] of cases) {
      const ticket = await ticketOf(channel);
      const view = (await (await call(sora, "GET", `/tickets/${ticket.id}`)).json()) as { files: unknown };
      expect(view.files, channel).toMatchObject({ accepted: false, reason });
      const messagesBefore = (await server.desk.listMessages(ticket.id)).length;
      watched.reset();
      const res = await call(sora, "POST", `/tickets/${ticket.id}/reply`, {
        text: "사진 보내드려요",
        attachments: [file("photo.png", "image/png", 32)],
      });
      expect(res.status, channel).toBe(status);
      expect(((await res.json()) as Refusal).error, channel).toMatchObject({
        code,
        path: ["attachments"],
        details: { channel, reason },
      });
      expect(watched.writes(), channel).toEqual([]);
      expect((await server.desk.listMessages(ticket.id)).length, channel).toBe(messagesBefore);
    }
    await server.desk.settle();
    expect(sends()).toEqual(before);
  });
});
