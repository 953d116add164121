/**
 * The phone channel's webhook: a signed call-back request from the shop's server (JSON), or a
 * Twilio Voice callback (form-encoded) — a missed inbound call, a voicemail (`<Record>` action
 * callback) or its transcription. Each becomes one inbound message on the caller's conversation
 * (their number), with `meta.callback` saying what the call-back plugin should schedule.
 */
import type { Clock, InboundEventInput, WebhookResult } from "@storedesk/core";
import { eventTime, jsonResponse, parseInput, parseJson, readRawBody, StoredeskError } from "@storedesk/core";
import type { CountryCode } from "libphonenumber-js/max";
import { signatureInvalid } from "./errors.js";
import { phoneIdentity } from "./phone-number.js";
import {
  CallbackRequestSchema,
  MISSED_CALL_STATUSES,
  TwilioVoiceParamsSchema,
  type CallbackRequest,
  type TwilioVoiceParams,
} from "./schemas.js";
import { verifyCallbackSignature, verifyTwilioSignature } from "./signature.js";

/** What the call-back plugin reads from an inbound phone message (`message.meta.callback`). */
export interface CallbackMeta {
  /** `request`: the customer asked for a call; `missed_call`, `voicemail`: they called and nobody answered. */
  source: "request" | "missed_call" | "voicemail";
  /** The earliest time to call (ISO 8601), when the customer named one. */
  preferredAt: string | null;
  /** The number to call (E.164). */
  number: string;
  /** Twilio's call id, for calls. */
  callSid?: string;
  /** The shop's request id, for requests. */
  requestId?: string;
}

/** Options of the webhook (from `phoneChannel`). */
export interface PhoneWebhookOptions {
  channelId: string;
  /** Shared secret of the shop's server (call-back requests); requests are refused without it. */
  secret?: string;
  /** Twilio Voice: the auth token, and the public URL Twilio calls (behind a proxy `request.url` differs). */
  twilio?: { authToken: string; webhookUrl?: string };
  defaultCountry: CountryCode;
  clock: Clock;
}

const NOTHING = (reason: string): WebhookResult => ({
  // Twilio reads TwiML from a voice callback's answer: an empty <Response/> is "nothing to do".
  response: new Response("<Response/>", {
    status: 200,
    headers: { "content-type": "text/xml; charset=utf-8", "x-storedesk-ignored": reason },
  }),
  events: [],
});

/**
 * Handles one request to the phone webhook (see the module comment). Verifies before parsing;
 * writes nothing (the desk ingests the events).
 *
 * @example
 * const { response, events } = await handlePhoneWebhook(request, options);
 */
export async function handlePhoneWebhook(request: Request, options: PhoneWebhookOptions): Promise<WebhookResult> {
  if (request.method !== "POST")
    return { response: jsonResponse({ error: { code: "METHOD_NOT_ALLOWED" } }, 405, { allow: "POST" }), events: [] };
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const raw = await readRawBody(request, 1024 * 1024);
  const now = options.clock.now();
  if (type === "application/x-www-form-urlencoded") return twilioEvents(request, raw, options, now);
  if (type !== "application/json")
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "Expected application/json (a call-back request) or a Twilio form post",
      path: ["content-type"],
    });
  if (!options.secret) throw signatureInvalid("This phone channel takes no call-back requests (no secret set)");
  if (!verifyCallbackSignature(raw, request.headers.get("x-storedesk-signature"), options.secret, now))
    throw signatureInvalid("x-storedesk-signature is missing, wrong or older than 5 minutes");
  const body = parseInput(CallbackRequestSchema, parseJson(raw), "call-back request");
  return { response: jsonResponse({ ok: true }), events: [requestEvent(body, options, now)] };
}

/**
 * The inbound event of a call-back request (what the webhook ingests; a shop that has the desk
 * in its own process may ingest it directly).
 *
 * @example
 * await desk.ingest(callbackRequestEvent({ requestId: "cb-1", phone: "010-1234-5678" }, { defaultCountry: "KR" }));
 */
export function callbackRequestEvent(
  request: CallbackRequest,
  options: { channelId?: string; defaultCountry: CountryCode },
  now: Date = new Date(),
): InboundEventInput {
  return requestEvent(
    request,
    { channelId: options.channelId ?? "phone", defaultCountry: options.defaultCountry },
    now,
  );
}

function requestEvent(
  body: CallbackRequest,
  options: Pick<PhoneWebhookOptions, "channelId" | "defaultCountry">,
  now: Date,
): InboundEventInput {
  const identity = phoneIdentity(body.phone, options.defaultCountry);
  if (!identity)
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "phone is not a possible phone number",
      path: ["phone"],
    });
  const identities = [identity, ...(body.email ? [{ kind: "email" as const, value: body.email }] : [])];
  const korean =
    (body.locale ?? "").toLowerCase().startsWith("ko") || (!body.locale && options.defaultCountry === "KR");
  const asked = body.reason?.trim();
  const text = [asked || (korean ? "전화 상담 요청" : "Call-back request"), body.orderName ? `(${body.orderName})` : ""]
    .filter(Boolean)
    .join(" ");
  const callback: CallbackMeta = {
    source: "request",
    preferredAt: body.preferredAt ? new Date(body.preferredAt).toISOString() : null,
    number: identity.value,
    requestId: body.requestId,
  };
  return {
    type: "message",
    channel: options.channelId,
    externalId: `request:${body.requestId}`,
    occurredAt: body.requestedAt ? new Date(body.requestedAt) : now,
    from: { identities, name: body.name ?? null, locale: body.locale ?? null },
    text,
    conversationKey: identity.value,
    meta: { callback },
  };
}

function twilioEvents(request: Request, raw: string, options: PhoneWebhookOptions, now: Date): WebhookResult {
  if (!options.twilio) throw signatureInvalid("This phone channel takes no Twilio callbacks (no twilio.authToken set)");
  const params = new URLSearchParams(raw);
  const url = options.twilio.webhookUrl ?? request.url;
  if (!verifyTwilioSignature(url, params, request.headers.get("x-twilio-signature"), options.twilio.authToken))
    throw signatureInvalid("x-twilio-signature does not match (check twilio.webhookUrl: the URL Twilio calls)");
  const p = parseInput(TwilioVoiceParamsSchema, Object.fromEntries(params), "Twilio voice callback");
  const event = callEvent(p, options, now);
  return event
    ? { response: NOTHING("").response, events: [event] }
    : NOTHING(ignoredReason(p, options.defaultCountry));
}

/** The caller of an inbound call, or the person called on an outbound one. */
function customerNumber(p: TwilioVoiceParams): string | undefined {
  return p.Direction?.startsWith("outbound") ? p.To : p.From;
}

function ignoredReason(p: TwilioVoiceParams, defaultCountry: CountryCode): string {
  if (p.Direction?.startsWith("outbound")) return "outbound_call";
  const number = customerNumber(p);
  if (!number || !phoneIdentity(number, defaultCountry)) return "no_caller";
  return `call_${p.CallStatus ?? "unknown"}`;
}

function callEvent(p: TwilioVoiceParams, options: PhoneWebhookOptions, now: Date): InboundEventInput | null {
  // Calls the shop made (an agent's call-back) are logged by the agent, not ingested as the customer's.
  if (p.Direction?.startsWith("outbound")) return null;
  const identity = p.From ? phoneIdentity(p.From, options.defaultCountry) : null;
  if (!identity) return null; // withheld or non-phone caller ids cannot be called back
  const recording = p.RecordingUrl
    ? [{ contentType: "audio/mpeg", url: `${p.RecordingUrl}.mp3`, providerId: p.RecordingSid ?? null, filename: null }]
    : [];
  const korean = options.defaultCountry === "KR";
  let source: CallbackMeta["source"];
  let externalId: string;
  let text: string;
  if (p.TranscriptionText !== undefined && p.TranscriptionStatus === "completed") {
    source = "voicemail";
    externalId = `twilio:${p.TranscriptionSid ?? `${p.CallSid}:transcription`}`;
    text = p.TranscriptionText.trim() || (korean ? "(음성 메시지)" : "(voicemail)");
  } else if (p.RecordingUrl && p.TranscriptionText === undefined) {
    source = "voicemail";
    externalId = `twilio:${p.RecordingSid ?? `${p.CallSid}:recording`}`;
    const seconds = Number(p.RecordingDuration);
    const length = Number.isFinite(seconds) && seconds > 0 ? ` (${Math.round(seconds)}s)` : "";
    text = (korean ? "음성 메시지를 남겼습니다" : "Left a voicemail") + length;
  } else if (p.CallStatus && MISSED_CALL_STATUSES.has(p.CallStatus)) {
    source = "missed_call";
    externalId = `twilio:${p.CallSid}`;
    text = korean ? "부재중 전화" : "Missed call";
  } else {
    return null; // ringing, answered, completed calls: someone talked to them
  }
  const at = p.Timestamp ? eventTime(p.Timestamp, "auto", now) : { occurredAt: now };
  const callback: CallbackMeta = { source, preferredAt: null, number: identity.value, callSid: p.CallSid };
  return {
    type: "message",
    channel: options.channelId,
    externalId,
    occurredAt: at.occurredAt,
    from: { identities: [identity], name: p.CallerName?.trim() || null },
    text,
    attachments: recording,
    conversationKey: identity.value,
    meta: { callback, ...(at.truncated ? { truncated: at.truncated } : {}) },
  };
}
