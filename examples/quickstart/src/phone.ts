/**
 * Phone call-backs: a customer asks for a call through the shop's signed webhook on a Friday
 * evening, the desk queues it for Monday's first calling hour, the timer marks it due, and an
 * agent logs a call nobody answered, then one that reached the customer (the ticket's first reply).
 */
import { createDesk, defineCalendar, manualClock, type Store } from "@storedesk/core";
import { displayNumber, phoneCallbacks, signCallbackRequest, type CallbackState } from "@storedesk/phone";
import { metricWords, section, shopTime, statusWords } from "./print.js";

const fridayEvening = new Date("2026-03-06T10:30:00Z"); // Friday 19:30 in Seoul, after calling hours
const SECRET = "demo-callback-secret"; // the shop's server and the desk share it; in a shop, from the environment
const WEBHOOK = "https://shop.example/webhooks/phone";

/** Calling hours: weekdays 09:00–18:00 in Seoul. */
const callingHours = defineCalendar({
  id: "seoul-calls",
  timeZone: "Asia/Seoul",
  weekly: Object.fromEntries(
    (["mon", "tue", "wed", "thu", "fri"] as const).map((d) => [d, [{ start: "09:00", end: "18:00" }]]),
  ),
});

/** What {@link phoneDemo} did, for the quickstart test. */
export interface PhoneDemoSummary {
  /** Status codes of the forged request, the request and its redelivery. */
  responses: { forged: number; request: number; redelivered: number };
  tickets: number;
  /** The call-back's state after each step. */
  states: { queued: CallbackState; beforeHours: CallbackState; due: CallbackState; afterNoAnswer: CallbackState };
  dueEvents: Array<{ at: string; attempt: number }>;
  final: { state: CallbackState; ticketStatus: string; firstReply: string | null; queueLength: number };
}

/** Runs the call-back scenario on `store` (fixed request ids: a fresh store each run). */
export async function phoneDemo(store: Store): Promise<PhoneDemoSummary> {
  const clock = manualClock(fridayEvening);
  section("Phone call-backs: a signed request, calling hours, the timer, two calls", {
    store,
    clock,
    why: "a Friday evening, after calling hours",
  });
  const phone = phoneCallbacks({ secret: SECRET, callingHours, maxAttempts: 3, retryAfterMinutes: 60, clock });
  const desk = createDesk({
    store,
    clock,
    channels: [phone.channel],
    plugins: [phone.plugin],
    sla: { calendar: callingHours },
    shop: { name: "모카샵", defaultLocale: "ko", timeZone: "Asia/Seoul" },
  });
  const dueEvents: PhoneDemoSummary["dueEvents"] = [];
  desk.on("plugin.callbacks.due", (e) => dueEvents.push({ at: clock.now().toISOString(), attempt: Number(e.attempt) }));

  // The shop's server posts the storefront's "call me back" form, signed with the shared secret.
  const body = JSON.stringify({
    requestId: "cb-20260306-0042",
    phone: "010-4821-7730",
    name: "정하은",
    reason: "주문한 원두 분쇄도를 바꾸고 싶어요. 통화로 설명 부탁드려요.",
    locale: "ko",
  });
  const post = (signature: string) =>
    desk.webhook("phone")(
      new Request(WEBHOOK, {
        method: "POST",
        headers: { "content-type": "application/json", "x-storedesk-signature": signature },
        body,
      }),
    );
  const forged = await post(signCallbackRequest(body, "not-the-secret", clock.now()));
  const request = await post(signCallbackRequest(body, SECRET, clock.now()));
  const redelivered = await post(signCallbackRequest(body, SECRET, clock.now()));
  const tickets = await desk.listTickets({ channel: "phone" });
  const ticket = tickets[0]!;
  const stateNow = async () => (await desk.callbacks.state(ticket.id))!;
  const queued = await stateNow();
  const customer = await desk.getCustomer(ticket.customerId);
  console.log(
    `webhook: forged signature → ${forged.status}, signed request → ${request.status}, the same request again → ${redelivered.status} (${tickets.length} ticket)`,
  );
  console.log(
    `SD-${ticket.number} ${customer?.name ?? "?"} "${ticket.subject ?? ""}": call ${displayNumber(queued.number, "KR")} — queued for ${shopTime(queued.dueAt!)} (asked ${shopTime(clock.now())}; calling hours weekdays 09:00–18:00)`,
  );

  // The timer (desk.runDue, or desk.startScheduler() in a server) marks it due at that time, not before.
  clock.set(new Date("2026-03-08T23:59:00Z")); // Monday 08:59
  await desk.runDue();
  const beforeHours = await stateNow();
  clock.set(new Date("2026-03-09T00:00:00Z")); // Monday 09:00
  await desk.runDue();
  const due = await stateNow();
  console.log(
    `timer: at ${shopTime(new Date("2026-03-08T23:59:00Z"))} still ${beforeHours.status}; at ${shopTime(clock.now())} ${due.status} (plugin.callbacks.due emitted: the inbox can ring)`,
  );

  // 09:05 nobody answers: a failed attempt, retried an hour of calling time later.
  clock.set(new Date("2026-03-09T00:05:00Z"));
  const first = await desk.callbacks.logCall(ticket.id, { outcome: "no_answer", agentId: "sora" });
  const afterNoAnswer = first.state;
  console.log(
    `${shopTime(clock.now())} 한소라 calls: no answer → attempt ${afterNoAnswer.attempts} of 3, ${afterNoAnswer.status} again for ${shopTime(afterNoAnswer.dueAt!)}`,
  );
  clock.set(new Date(afterNoAnswer.dueAt!));
  await desk.runDue();
  const queue = await desk.callbacks.queue();
  console.log(
    `queue at ${shopTime(clock.now())}: ${queue.map((q) => `SD-${q.ticket.number} ${q.due ? "due now" : "later"} (${q.state.attempts} failed attempt)`).join(", ")}`,
  );

  // 10:07 the customer picks up: the call is the ticket's first human reply, and it settled the matter.
  clock.set(new Date(clock.now().getTime() + 2 * 60_000));
  const reached = await desk.callbacks.logCall(ticket.id, {
    outcome: "reached",
    agentId: "sora",
    durationSeconds: 240,
    notes: "분쇄도 핸드드립용으로 변경, 출고 전 확인",
    status: "solved",
  });
  const firstReply = reached.ticket.sla?.metrics.find((m) => m.metric === "first_reply") ?? null;
  const left = await desk.callbacks.queue();
  console.log(
    `${shopTime(clock.now())} 한소라 calls: reached (4 min) → call-back ${reached.state.status}, ticket ${statusWords(reached.ticket.status)}, ${firstReply ? `${metricWords("first_reply")} ${firstReply.status === "fulfilled" ? "met by the call" : firstReply.status}` : "no SLA clock"}; ${left.length} call-backs left in the queue`,
  );
  const logged = (await desk.listEvents(ticket.id)).filter((e) => e.type === "plugin.callbacks.call_logged");
  console.log(
    `audit log: ${logged.map((e) => `${String(e.data.outcome)} (attempt ${String(e.data.attempt)})`).join(", ")}; the agent's notes stay in the log, not in a message`,
  );

  return {
    responses: { forged: forged.status, request: request.status, redelivered: redelivered.status },
    tickets: tickets.length,
    states: { queued, beforeHours, due, afterNoAnswer },
    dueEvents,
    final: {
      state: reached.state,
      ticketStatus: reached.ticket.status,
      firstReply: firstReply?.status ?? null,
      queueLength: left.length,
    },
  };
}
