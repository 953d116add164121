/**
 * `@storedesk/phone`: phone call-backs in the inbox. The channel takes call-back requests from
 * the shop's server and missed calls and voicemails from Twilio Voice; the plugin keeps the
 * call-back queue (due times in calling hours, attempts, retries, an end) under `desk.callbacks`.
 */
import type { ChannelAdapter, Clock, ReplyWindow } from "@storedesk/core";
import { systemClock } from "@storedesk/core";
import type { CountryCode } from "libphonenumber-js/max";
import { callbackPlugin, type CallbackPluginOptions } from "./callback-plugin.js";
import { sendPhoneMessage, type SmsSender } from "./send.js";
import { handlePhoneWebhook } from "./webhook.js";

export { callbackPlugin, CALLBACK_DUE_JOB, LogCallSchema } from "./callback-plugin.js";
export type { CallbackMethods, CallbackPluginOptions, LogCallInput, QueuedCallback } from "./callback-plugin.js";
export {
  afterCall,
  callbackStateOf,
  callTimeFrom,
  newCallbackState,
  OPEN_CALLBACK_STATUSES,
} from "./callback-state.js";
export type { CallbackPolicy, CallbackState, CallbackStatus, CallOutcome } from "./callback-state.js";
export { callbackRequestEvent, handlePhoneWebhook } from "./webhook.js";
export type { CallbackMeta, PhoneWebhookOptions } from "./webhook.js";
export { CallbackRequestSchema, MISSED_CALL_STATUSES, TwilioVoiceParamsSchema } from "./schemas.js";
export type { CallbackRequest, CallbackRequestInput, TwilioVoiceParams } from "./schemas.js";
export {
  signCallbackRequest,
  SIGNATURE_TOLERANCE_SECONDS,
  twilioSignature,
  verifyCallbackSignature,
  verifyTwilioSignature,
} from "./signature.js";
export { displayNumber, phoneIdentity } from "./phone-number.js";
export { sendPhoneMessage } from "./send.js";
export type { SmsSender } from "./send.js";
export { noTextChannel, signatureInvalid, smsFailed } from "./errors.js";

/** Options of {@link phoneChannel}. */
export interface PhoneChannelOptions {
  /** Channel id (default `phone`). */
  id?: string;
  /** Shared secret the shop's server signs call-back requests with (`signCallbackRequest`). */
  secret?: string;
  /** Twilio Voice callbacks: the account's auth token and the public URL Twilio calls. */
  twilio?: { authToken: string; webhookUrl?: string };
  /** The country of numbers written without a country code (default `KR`). */
  defaultCountry?: CountryCode;
  /** Texts on phone tickets (the confirmation, an agent's reply) go by SMS through it; without it they are refused. */
  sms?: SmsSender;
  clock?: Clock;
}

/**
 * The phone channel: call-back requests and Twilio missed calls/voicemails in, texts out by SMS
 * when an SMS sender is given. Pair it with {@link callbackPlugin} (or use {@link phoneCallbacks}).
 *
 * @example
 * const phone = phoneChannel({ secret: process.env.CALLBACK_SECRET, twilio: { authToken, webhookUrl } });
 * app.post("/webhooks/phone", (c) => desk.webhook("phone")(c.req.raw));
 */
export function phoneChannel(options: PhoneChannelOptions = {}): ChannelAdapter {
  const id = options.id ?? "phone";
  const clock = options.clock ?? systemClock();
  const defaultCountry = options.defaultCountry ?? "KR";
  return {
    specVersion: 1,
    id,
    displayName: "Phone",
    capabilities: {
      threads: true,
      attachments: false,
      templates: false,
      publicReplies: false,
      deliveryReceipts: false,
      replyWindow: true,
      html: false,
    },
    handleWebhook: (request) =>
      handlePhoneWebhook(request, {
        channelId: id,
        defaultCountry,
        clock,
        ...(options.secret ? { secret: options.secret } : {}),
        ...(options.twilio ? { twilio: options.twilio } : {}),
      }),
    send: (message) => sendPhoneMessage(message, options.sms),
    // Without SMS nothing can be written to a caller: refuse texts when they are queued, not after.
    replyWindow: (): ReplyWindow =>
      options.sms
        ? { kind: "open", closesAt: null }
        : { kind: "template_only", closedAt: null, reason: "phone_no_text", suggestedTemplate: null },
  };
}

/**
 * The channel and the plugin with shared settings: the confirmation is sent when there is an SMS sender.
 *
 * @example
 * const phone = phoneCallbacks({ secret, sms, callingHours: seoulHours });
 * const desk = createDesk({ store, channels: [phone.channel], plugins: [phone.plugin] });
 */
export function phoneCallbacks(options: PhoneChannelOptions & Omit<CallbackPluginOptions, "channelId">) {
  const channel = phoneChannel(options);
  const plugin = callbackPlugin({
    ...options,
    channelId: channel.id,
    confirm: options.confirm ?? Boolean(options.sms),
  });
  return { channel, plugin };
}
