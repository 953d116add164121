/** Test helpers: a desk with the phone channel and the call-back plugin, signed requests. */
import { createDesk, defineCalendar, manualClock, memoryStore, type Store } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { phoneCallbacks, signCallbackRequest, twilioSignature, type SmsSender } from "../src/index.js";

export const SECRET = "callback-secret";
export const TWILIO_TOKEN = "twilio-auth-token";
export const TWILIO_URL = "https://shop.example/webhooks/phone";
/** Monday 2026-03-02 10:00 in Seoul. */
export const MONDAY_10_KST = new Date("2026-03-02T01:00:00Z");

/** Calling hours: weekdays 09:00–18:00 in Seoul. */
export const seoulHours = defineCalendar({
  id: "seoul-calls",
  timeZone: "Asia/Seoul",
  weekly: Object.fromEntries(
    (["mon", "tue", "wed", "thu", "fri"] as const).map((d) => [d, [{ start: "09:00", end: "18:00" }]]),
  ),
});

/** A desk with the phone channel (and a chat channel), on `store` (default: memory). */
export function phoneDesk(opts: { store?: Store; sms?: SmsSender; now?: Date } = {}) {
  const clock = manualClock(opts.now ?? MONDAY_10_KST);
  const phone = phoneCallbacks({
    secret: SECRET,
    twilio: { authToken: TWILIO_TOKEN, webhookUrl: TWILIO_URL },
    callingHours: seoulHours,
    clock,
    ...(opts.sms ? { sms: opts.sms } : {}),
  });
  const chat = memoryChannel({ id: "webchat" });
  const desk = createDesk({
    store: opts.store ?? memoryStore(),
    clock,
    channels: [phone.channel, chat],
    plugins: [phone.plugin],
  });
  return { desk, clock, chat };
}

/** A call-back request as the shop's server posts it. */
export function requestPost(body: unknown, opts: { at?: Date; secret?: string; signature?: string | null } = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json" };
  const signature =
    opts.signature === undefined ? signCallbackRequest(text, opts.secret ?? SECRET, opts.at) : opts.signature;
  if (signature !== null) headers["x-storedesk-signature"] = signature;
  return new Request(TWILIO_URL, { method: "POST", body: text, headers });
}

/** A Twilio form post signed as Twilio signs it (`token` null: unsigned). */
export function twilioPost(params: Record<string, string>, token: string | null = TWILIO_TOKEN) {
  const form = new URLSearchParams(params);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (token) headers["x-twilio-signature"] = twilioSignature(TWILIO_URL, form, token);
  return new Request(TWILIO_URL, { method: "POST", body: form.toString(), headers });
}

/** Twilio's parameters of an inbound call from `from`, in `status`. */
export function inboundCall(from: string, status: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CallSid: `CA${"0".repeat(31)}${status.length}`,
    AccountSid: `AC${"1".repeat(32)}`,
    From: from,
    To: "+8215881234",
    CallStatus: status,
    Direction: "inbound",
    ApiVersion: "2010-04-01",
    ...extra,
  };
}
