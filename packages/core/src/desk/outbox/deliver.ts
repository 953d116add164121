/**
 * The outbox's sender: one attempt at a queued message through its channel, and what the
 * provider's answer makes of it — `sent` with the provider id, a retry with backoff (and the
 * provider's Retry-After), or `failed` with the provider's reason after the last attempt.
 */
import { isoString } from "../../domain/iso-time.js";
import type { Customer } from "../../domain/customer.js";
import { boundedKey } from "../../domain/inbound.js";
import type { Job } from "../../domain/job.js";
import type { Message } from "../../domain/message.js";
import type { Ticket } from "../../domain/ticket.js";
import { StoredeskError } from "../../errors.js";
import type { SendReceipt } from "../../ports/channel.js";
import { appendEvents } from "../audit-log.js";
import type { DeskContext } from "../context.js";
import { applyParkedReceipt } from "../receipts.js";
import { withTx } from "../transaction.js";
import { outboundOf, recheckWindow, type OutboxMeta } from "./prepare-outbound.js";

/** What the caller already holds (the ingest path), so the hot path reads nothing twice. */
export interface KnownState {
  ticket: Ticket;
  customer: Customer;
  thread: Message[];
}

/** The outcome of one attempt. */
export interface Delivery {
  /** The message as stored after the attempt. */
  message: Message;
  /** The attempt's error (null when sent). */
  error: unknown;
  /** When a retry is scheduled (the message stays `queued`), else null. */
  retryAt: Date | null;
}

/** Errors that a later attempt may not get: anything but a refusal the provider will repeat. */
function isTransient(err: unknown): boolean {
  if (!StoredeskError.is(err)) return true; // a network error, a crash inside the adapter
  return err.retryable || err.code === "PROVIDER_UNAVAILABLE" || err.code === "RATE_LIMITED";
}

class SendTimeout extends StoredeskError {
  constructor(ms: number) {
    super({
      code: "PROVIDER_UNAVAILABLE",
      message: `The channel did not answer within ${ms} ms`,
      retryable: true,
      details: { timeout: true },
    });
  }
}

function describe(err: unknown): { code: string; title: string } {
  return {
    code: StoredeskError.is(err) ? err.code : "INTERNAL",
    title: (err instanceof Error ? err.message : (JSON.stringify(err) ?? "unknown")).slice(0, 2000),
  };
}

/**
 * Sends a queued message once. `job` is the outbox job this instance holds (written leased at
 * queue time, or claimed by the scheduler). Never throws for the provider's errors: they are
 * recorded and returned.
 *
 * @example
 * const { message, error } = await deliver(ctx, queued.message, queued.job);
 */
export async function deliver(ctx: DeskContext, queued: Message, job: Job, known?: KnownState): Promise<Delivery> {
  const { store, settings } = ctx;
  const ticket = known?.ticket ?? (await store.getTicket(queued.ticketId));
  const customer = ticket ? (known?.customer ?? (await store.getCustomer(ticket.customerId))) : null;
  const meta = (queued.meta.outbox as OutboxMeta | undefined) ?? { attempts: 0 };
  const attempt = Math.max(meta.attempts, job.attempts) + 1;
  if (!ticket || !customer) {
    // Erased or merged away meanwhile: nothing to send, nothing to keep waiting.
    await withTx(ctx, (tx) => tx.cancelJob(job.key));
    return { message: queued, error: null, retryAt: null };
  }
  const now = ctx.clock.now();
  const adapter = ctx.channels.get(queued.channel);
  let receipt: SendReceipt | null = null;
  let failure: unknown = null;
  let permanent = false;
  try {
    if (!adapter)
      throw new StoredeskError({ code: "NOT_FOUND", message: `No channel adapter "${queued.channel}" is registered` });
    const template = recheckWindow(ctx, adapter, queued, ticket, customer, now);
    const history = known?.thread ?? (await store.listMessages(ticket.id));
    const outbound = { ...outboundOf(queued, ticket, customer, history), template };
    receipt = await withTimeout(adapter.send(outbound), settings.outbox.sendTimeoutMs);
  } catch (err) {
    failure = err;
    permanent = !adapter || !isTransient(err) || StoredeskError.is(err, "REPLY_WINDOW_CLOSED");
  }

  if (receipt) return recordSent(ctx, queued, job, receipt, attempt, meta, ticket);
  const unanswered = (meta.unanswered ?? 0) + (failure instanceof SendTimeout ? 1 : 0);
  // Two unanswered attempts may both have reached the provider: stop there, so a message is
  // sent at most twice (one duplicate) when a provider processes calls it does not answer.
  const last = permanent || attempt >= settings.outbox.maxAttempts || unanswered >= 2;
  if (last) return recordFailed(ctx, queued, job, failure, attempt, { ...meta, unanswered }, ticket);
  const retryAt = new Date(now.getTime() + retryDelayMs(ctx, failure, attempt));
  const next: OutboxMeta = {
    ...meta,
    attempts: attempt,
    unanswered,
    lastError: describe(failure),
    nextAttemptAt: retryAt.toISOString(),
  };
  await store.updateMessage(queued.id, { meta: { outbox: next } });
  ctx.emitter.emit("error", {
    error: failure,
    context: `sending message ${queued.id} (attempt ${attempt} of ${settings.outbox.maxAttempts}; next at ${retryAt.toISOString()})`,
  });
  return { message: { ...queued, meta: { ...queued.meta, outbox: next } }, error: failure, retryAt };
}

/** Backoff with jitter, at least the provider's Retry-After. */
function retryDelayMs(ctx: DeskContext, err: unknown, attempt: number): number {
  const base = ctx.settings.outbox.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
  const after =
    StoredeskError.is(err) && typeof err.details?.retryAfterSeconds === "number"
      ? err.details.retryAfterSeconds * 1000
      : 0;
  return Math.min(3_600_000, Math.max(base, after));
}

async function recordSent(
  ctx: DeskContext,
  queued: Message,
  job: Job,
  receipt: SendReceipt,
  attempt: number,
  meta: OutboxMeta,
  ticket: Ticket,
): Promise<Delivery> {
  // Object.assign, not a spread then new keys (V8's slow path on Node 20: bench/README.md, perf-d).
  const outbox: OutboxMeta = Object.assign({}, meta, {
    attempts: attempt,
    lastError: null,
    nextAttemptAt: null,
    sentAt: isoString(ctx.clock.now()),
  });
  const externalId = boundedKey(receipt.externalId);
  const patch = { deliveryStatus: receipt.status, externalId, meta: Object.assign({}, receipt.meta, { outbox }) };
  // One write: the provider's answer and the end of the send job (a crash before it only
  // means the job runs again when its lease ends, finds the message sent, and stops).
  await ctx.store.updateMessage(queued.id, patch, { cancelJob: job.key }).catch(async (err: unknown) => {
    // The provider answered with an id already on record (it reused one): keep the send, not the id.
    if (!StoredeskError.is(err, "CONFLICT") || err.details?.duplicate !== true) throw err;
    ctx.emitter.emit("error", {
      error: err,
      context: `message ${queued.id}: provider id ${externalId} is on another message`,
    });
    await ctx.store.updateMessage(queued.id, { ...patch, externalId: null }, { cancelJob: job.key });
  });
  const message: Message = {
    ...queued,
    deliveryStatus: receipt.status,
    externalId,
    meta: { ...queued.meta, ...patch.meta },
  };
  ctx.emitter.emit("message.sent", { ticket, message });
  const adapter = ctx.channels.get(queued.channel);
  if (adapter?.capabilities.deliveryReceipts)
    await applyParkedReceipt(ctx, queued.channel, externalId, ctx.clock.now());
  return { message, error: null, retryAt: null };
}

async function recordFailed(
  ctx: DeskContext,
  queued: Message,
  job: Job,
  failure: unknown,
  attempt: number,
  meta: OutboxMeta,
  ticket: Ticket,
): Promise<Delivery> {
  const deliveryError = describe(failure);
  const outbox: OutboxMeta = { ...meta, attempts: attempt, lastError: deliveryError, nextAttemptAt: null };
  const now = ctx.clock.now();
  await withTx(ctx, async (tx) => {
    await tx.updateMessage(
      queued.id,
      { deliveryStatus: "failed", deliveryError, meta: { outbox } },
      { cancelJob: job.key },
    );
    const data = { messageId: queued.id, channel: queued.channel, error: deliveryError, attempts: attempt };
    await appendEvents(
      ctx,
      tx,
      queued.ticketId,
      [{ type: "reply.failed", data }],
      { kind: "system", id: "outbox" },
      now,
    );
  });
  const message: Message = { ...queued, deliveryStatus: "failed", deliveryError, meta: { ...queued.meta, outbox } };
  ctx.emitter.emit("message.failed", { ticket, message, error: failure });
  return { message, error: failure, retryAt: null };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeout(ms)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
