/**
 * The call-back queue over the agent API, on a simulated Monday in Seoul: requests through the
 * signed phone webhook, the queue soonest due first, the timer, calls logged by the signed-in
 * agent, rescheduling and cancelling, and the refusals (typed 4xx, nothing written).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock, memoryStore } from "@storedesk/core";
import { watchStoreWrites } from "@storedesk/core/testing";
import { DEMO_PASSWORD, createSupportServer } from "./app.js";
import type { SupportServer } from "./app.js";
import { startDemoShop } from "./demo-shop.js";
import { seedDemo } from "./seed.js";

const BASE = "http://support.test";
const MONDAY_10_KST = new Date("2026-03-02T01:00:00Z");
// The scenario's agents and tickets run in order: each test starts where the one before ended.
const clock = manualClock(MONDAY_10_KST);
const watched = watchStoreWrites(memoryStore());
let server: SupportServer;
let shop: ReturnType<typeof startDemoShop>;
let sora: { cookie: string; csrf: string };
beforeAll(async () => {
  shop = startDemoShop();
  server = await createSupportServer({ store: watched.store, clock });
  await seedDemo(server.desk);
  sora = await login("sora@mocha.example");
}, 60_000);
afterAll(async () => {
  await server.close();
  shop.stop();
});

async function login(email: string) {
  const res = await server.app.fetch(
    new Request(`${BASE}/api/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    }),
  );
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}
// Loose JSON answers: the assertions say what they must hold.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
async function api(method: string, path: string, body?: unknown, who = sora) {
  const res = await server.app.fetch(
    new Request(`${BASE}/api${path}`, {
      method,
      headers: { cookie: who.cookie, "x-csrf-token": who.csrf, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    }),
  );
  return { status: res.status, data: (await res.json()) as Json };
}
function requestCallback(body: Record<string, unknown>, signature?: string | null) {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json" };
  const signed = signature === undefined ? server.signCallback(text) : signature;
  if (signed !== null) headers["x-storedesk-signature"] = signed;
  return server.app.fetch(new Request(`${BASE}/webhooks/phone`, { method: "POST", headers, body: text }));
}
function missedCall(from: string) {
  const form = new URLSearchParams({
    CallSid: "CA0000000000000000000000000000missed",
    AccountSid: `AC${"1".repeat(32)}`,
    From: from,
    To: "+8215881234",
    CallStatus: "no-answer",
    Direction: "inbound",
  });
  const url = `${BASE}/webhooks/phone`;
  return server.app.fetch(
    new Request(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": server.signTwilio(url, form),
      },
      body: form.toString(),
    }),
  );
}
const queue = async () => (await api("GET", "/callbacks")).data;
const rowOf = async (number: string) =>
  ((await queue()).callbacks as Json[]).find((cb) => cb.number === number) ?? null;

describe("call-back queue in the agent API", () => {
  it("the phone webhook takes a signed call-back request and refuses a forged or unsigned one with 401", async () => {
    watched.reset();
    const body = { requestId: "t-forged", phone: "010-9999-0000", name: "위조" };
    expect((await requestCallback(body, "t=1,v1=00")).status).toBe(401);
    expect((await requestCallback(body, null)).status).toBe(401);
    expect(watched.writes()).toEqual([]);
    const later = {
      requestId: "t-later",
      phone: "010-2222-3333",
      name: "이도윤",
      preferredAt: "2026-03-02T15:00:00+09:00",
    };
    expect((await requestCallback(later)).status).toBe(200);
    const soon = {
      requestId: "t-soon",
      phone: "+1 (415) 555-2671",
      name: "Jane Doe",
      locale: "en",
      preferredAt: "2026-03-02T11:30:00+09:00",
    };
    expect((await requestCallback(soon)).status).toBe(200);
    expect((await missedCall("010-7777-8888")).status).toBe(200);
  });

  it("lists the queue soonest due first: who to call, the number, when, attempts and state; the timer marks them due", async () => {
    const before = await queue();
    expect(before.maxAttempts).toBe(3);
    expect(before.callbacks.map((cb: Json) => [cb.customerName, cb.displayNumber, cb.dueAt, cb.due])).toEqual([
      ["정하은", "010-4821-7730", "2026-03-02T01:00:00.000Z", true], // seeded: asked at 09:48, due now
      [null, "010-7777-8888", "2026-03-02T01:00:00.000Z", true], // the missed call, after it by ticket number
      ["Jane Doe", "+1 415 555 2671", "2026-03-02T02:30:00.000Z", false],
      ["이도윤", "010-2222-3333", "2026-03-02T06:00:00.000Z", false],
    ]);
    expect(before.callbacks[0]).toMatchObject({
      status: "scheduled",
      attempts: 0,
      source: "request",
      lastOutcome: null,
    });
    expect(before.callbacks[1]).toMatchObject({ source: "missed_call" });
    expect((await api("GET", "/callbacks?limit=2")).data.callbacks).toHaveLength(2);
    await server.desk.runDue();
    const after = await queue();
    expect(after.callbacks.map((cb: Json) => cb.status)).toEqual(["due", "due", "scheduled", "scheduled"]);
  });

  it("logs no answer (retried an hour of office time later), then reached: the call is the first reply and leaves the queue", async () => {
    const row = (await rowOf("+821048217730"))!;
    clock.set(new Date("2026-03-02T01:05:00Z"));
    const noAnswer = await api("POST", `/tickets/${row.ticketId}/callback/log`, { outcome: "no_answer" });
    expect(noAnswer.status).toBe(200);
    expect(noAnswer.data.callback).toMatchObject({
      status: "scheduled",
      attempts: 1,
      lastOutcome: "no_answer",
      dueAt: "2026-03-02T02:05:00.000Z",
      open: true,
    });
    clock.set(new Date("2026-03-02T02:06:00Z"));
    const reached = await api("POST", `/tickets/${row.ticketId}/callback/log`, {
      outcome: "reached",
      durationSeconds: 240,
      notes: "분쇄도 변경 안내",
    });
    expect(reached.status).toBe(200);
    expect(reached.data.callback).toMatchObject({ status: "completed", attempts: 1, open: false, dueAt: null });
    expect(reached.data.ticket.status).toBe("open");
    const firstReply = (reached.data.ticket.sla.metrics as Json[]).find((m) => m.metric === "first_reply");
    expect(firstReply?.status).toBe("fulfilled");
    expect(await rowOf("+821048217730")).toBeNull();
    // The agent is the signed-in one: the audit log names 한소라, with the call's facts.
    const view = await api("GET", `/tickets/${row.ticketId}`);
    const logged = (view.data.events as Json[]).filter((e) => e.type === "plugin.callbacks.call_logged");
    expect(logged.map((e) => [e.data.outcome, e.data.attempt, e.actor.id])).toEqual([
      ["no_answer", 1, "sora"],
      ["reached", 2, "sora"],
    ]);
    expect(view.data.callback).toMatchObject({ status: "completed", displayNumber: "010-4821-7730" });
  });

  it("reschedules to the time agreed with the customer and cancels with a reason, as the signed-in agent", async () => {
    const jane = (await rowOf("+14155552671"))!;
    const moved = await api("POST", `/tickets/${jane.ticketId}/callback/reschedule`, {
      at: "2026-03-03T14:00:00+09:00",
    });
    expect(moved.status).toBe(200);
    expect(moved.data.callback).toMatchObject({ status: "scheduled", dueAt: "2026-03-03T05:00:00.000Z" });
    const order = ((await queue()).callbacks as Json[]).map((cb) => cb.number);
    expect(order).toEqual(["+821077778888", "+821022223333", "+14155552671"]);
    const doyun = (await rowOf("+821022223333"))!;
    const cancelled = await api("POST", `/tickets/${doyun.ticketId}/callback/cancel`, {
      reason: "고객이 채팅으로 문의를 마쳤어요",
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.data.callback).toMatchObject({ status: "cancelled", open: false });
    expect(await rowOf("+821022223333")).toBeNull();
    const events = (await api("GET", `/tickets/${doyun.ticketId}`)).data.events as Json[];
    expect(events.find((e) => e.type === "plugin.callbacks.cancelled")).toMatchObject({
      actor: { id: "sora" },
      data: { reason: "고객이 채팅으로 문의를 마쳤어요" },
    });
  });

  it("refuses bad input with 400, an unknown ticket with 404, an ended call-back or a solved ticket with 409; nothing is written", async () => {
    const webchat = (await server.desk.listTickets({ channel: "webchat" }))[0]!;
    const done = (await server.desk.listTickets({ channel: "phone" })).find(
      (t) => (t.meta.callback as Json | undefined)?.status === "completed",
    )!;
    const missed = (await rowOf("+821077778888"))!;
    await server.desk.setStatus(missed.ticketId, "solved", { agentId: "sora" });
    watched.reset();
    const cases: Array<[string, unknown, number, string]> = [
      [`/tickets/${webchat.id}/callback/log`, { outcome: "reached" }, 400, "INVALID_INPUT"],
      [`/tickets/${done.id}/callback/log`, { outcome: "reached", agentId: "hana" }, 400, "INVALID_INPUT"],
      [`/tickets/${missed.ticketId}/callback/log`, { outcome: "hung_up" }, 400, "INVALID_INPUT"],
      [`/tickets/${missed.ticketId}/callback/log`, { outcome: "busy", durationSeconds: "30" }, 400, "INVALID_INPUT"],
      [`/tickets/${missed.ticketId}/callback/log`, { outcome: "busy", durationSeconds: -1 }, 400, "INVALID_INPUT"],
      [`/tickets/${missed.ticketId}/callback/log`, { outcome: "reached", status: "closed" }, 400, "INVALID_INPUT"],
      [`/tickets/${missed.ticketId}/callback/reschedule`, { at: "tomorrow" }, 400, "INVALID_INPUT"],
      [`/tickets/${missed.ticketId}/callback/reschedule`, { at: "2026-03-01T10:00:00+09:00" }, 400, "INVALID_INPUT"],
      [`/tickets/${missed.ticketId}/callback/reschedule`, { at: "2031-03-01T10:00:00+09:00" }, 400, "INVALID_INPUT"],
      [`/tickets/${missed.ticketId}/callback/cancel`, { reason: "   " }, 400, "INVALID_INPUT"],
      [`/tickets/${missed.ticketId}/callback/cancel`, {}, 400, "INVALID_INPUT"],
      ["/tickets/no-such-ticket/callback/log", { outcome: "reached" }, 404, "NOT_FOUND"],
      [`/tickets/${done.id}/callback/log`, { outcome: "reached" }, 409, "CONFLICT"],
      [`/tickets/${done.id}/callback/cancel`, { reason: "duplicate" }, 409, "CONFLICT"],
      // Solved: the queue lists open tickets, so a call booked on it would wait unseen.
      [`/tickets/${missed.ticketId}/callback/reschedule`, { at: "2026-03-03T10:00:00+09:00" }, 409, "CONFLICT"],
    ];
    for (const [path, body, status, code] of cases) {
      const res = await api("POST", path, body);
      expect([res.status, res.data.error?.code], `${path} ${JSON.stringify(body)}`).toEqual([status, code]);
    }
    expect((await api("GET", "/callbacks?limit=abc")).status).toBe(400);
    expect(watched.writes()).toEqual([]);
  });

  it("a reply on a phone ticket is refused with 409 (no SMS sender), not sent as a template, and the inbox says to call", async () => {
    const jane = (await rowOf("+14155552671"))!;
    const view = await api("GET", `/tickets/${jane.ticketId}`);
    expect(view.data.replyWindow).toMatchObject({ kind: "template_only", reason: "phone_no_text" });
    watched.reset();
    const reply = await api("POST", `/tickets/${jane.ticketId}/reply`, { text: "We'll call you at 2 pm." });
    expect(reply.status).toBe(409);
    expect(reply.data.error).toMatchObject({ code: "REPLY_WINDOW_CLOSED", details: { reason: "phone_no_text" } });
    expect(watched.writes()).toEqual([]);
    expect((await api("POST", `/tickets/${jane.ticketId}/note`, { text: "오후 2시 통화 약속" })).status).toBe(200);
  });
});
