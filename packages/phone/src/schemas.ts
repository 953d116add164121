/**
 * What the phone channel accepts: a call-back request the shop's own server posts (JSON, signed
 * with the shared secret), and Twilio Voice's form-encoded callbacks (status callbacks of calls,
 * `<Record>` action callbacks, transcriptions).
 */
import { z } from "zod";

/**
 * A call-back request as the shop's server posts it (from a storefront "call me back" form, an
 * IVR menu, an order page). `requestId` makes a redelivery a no-op.
 */
export const CallbackRequestSchema = z.strictObject({
  /** The shop's id of the request: the same id again is the same request. */
  requestId: z.string().trim().min(1).max(200),
  /** The number to call, in any common form (`010-1234-5678`, `+82 10…`, `(415) 555-2671`). */
  phone: z.string().trim().min(3).max(40),
  name: z.string().trim().max(200).nullable().optional(),
  email: z.email().max(320).nullable().optional(),
  /** What the customer wants to talk about, in their words (classified like any message). */
  reason: z.string().max(5_000).nullable().optional(),
  /** The earliest time the customer wants the call (ISO 8601 with an offset); default: now. */
  preferredAt: z.iso.datetime({ offset: true }).nullable().optional(),
  /** `ko`, `en`, … (the language of the acknowledgement and the agent's call). */
  locale: z.string().trim().max(35).nullable().optional(),
  /** An order the call is about (`#1001`): the ticket's commerce context finds it. */
  orderName: z.string().trim().max(100).nullable().optional(),
  /** When the customer asked (ISO 8601); default: when the request arrives. */
  requestedAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
/** A call-back request as accepted (see {@link CallbackRequestSchema}). */
export type CallbackRequest = z.output<typeof CallbackRequestSchema>;
/** A call-back request as posted. */
export type CallbackRequestInput = z.input<typeof CallbackRequestSchema>;

/** A form value Twilio sends: a short string (an absent one is undefined). */
const param = (max: number) => z.string().max(max).optional();

/**
 * The Twilio Voice request parameters storedesk reads (Twilio sends more and adds new ones; the
 * others are ignored). Every value is a string, as in the form body.
 */
export const TwilioVoiceParamsSchema = z.object({
  CallSid: z.string().min(1).max(64),
  AccountSid: param(64),
  From: param(64),
  To: param(64),
  CallStatus: param(32),
  Direction: param(32),
  CallerName: param(200),
  CallDuration: param(16),
  Timestamp: param(64),
  RecordingSid: param(64),
  RecordingUrl: param(2_000),
  RecordingDuration: param(16),
  TranscriptionSid: param(64),
  TranscriptionText: param(20_000),
  TranscriptionStatus: param(32),
});
/** The Twilio parameters storedesk reads. */
export type TwilioVoiceParams = z.output<typeof TwilioVoiceParamsSchema>;

/** Call statuses of an inbound call that nobody answered: the caller should be called back. */
export const MISSED_CALL_STATUSES: ReadonlySet<string> = new Set(["no-answer", "busy", "failed", "canceled"]);
