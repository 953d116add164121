/**
 * The desk: the one place that performs effects. It runs the ingest pipeline of
 * DESIGN.md, applies the pure decisions (lifecycle, complaint, SLA) inside store
 * transactions, then sends replies and emits events.
 */
import { randomUUID } from "node:crypto";
import { EventEmitter } from "eventemitter3";
import { z } from "zod";
import { ActionPlanSchema, type ActionPlan } from "../domain/action-plan.js";
import { IdentitySchema, identityKey, normalizeIdentity, type Customer, type Identity } from "../domain/customer.js";
import { CategorySchema, PrioritySchema, TicketStatusSchema, priorityRank, type Priority } from "../domain/enums.js";
import type { Actor, TicketEvent } from "../domain/event.js";
import { asJson, boundedKey, cleanStrings, InboundEventSchema, type DeliveryStatusEvent, type InboundEventInput, type InboundMessageEvent } from "../domain/inbound.js";
import type { DeliveryStatus, Message } from "../domain/message.js";
import { TemplateSchema, type Template } from "../domain/template.js";
import { ticketRef, type Ticket } from "../domain/ticket.js";
import type { Job } from "../domain/job.js";
import { StoredeskError } from "../errors.js";
import { parseInput } from "../validate.js";
import type { Decision, Effect, EventDraft } from "../decision.js";
import { classifyText, type Classification } from "../classify/classify-text.js";
import { applyTicketAction, type TicketAction } from "../ticket/apply-ticket-action.js";
import { advanceComplaint, ComplaintActionSchema, complaintUpdateJobKey, openComplaint, type ComplaintActionInput } from "../complaint/advance-complaint.js";
import { DEFAULT_TEMPLATES } from "../template/default-templates.js";
import { renderTemplate } from "../template/render-template.js";
import { errorResponse } from "../channel-kit/http-responses.js";
import { systemClock } from "../ports/clock.js";
import type { ChannelAdapter, OutboundMessage } from "../ports/channel.js";
import type { CustomerContext } from "../ports/commerce.js";
import type { Scheduler } from "../ports/scheduler.js";
import type { StoreOps, TicketQuery } from "../ports/store.js";
import { defaultSlaPolicies } from "../sla/index.js";
import { findOrCreateCustomer } from "./customers.js";
import { extractOrderName, formatDue } from "./format-due.js";
import { evaluateTicketSla } from "./sla-bridge.js";
import { findThread, liveTicket, suspectedThreadEvents } from "./threading.js";
import type { ActorInput, CustomerExport, DeskEvents, DeskOptions, IngestResult, ReplyInput, TicketFieldsInput } from "./types.js";

const ReplyInputSchema = z.object({
  text: z.string().max(100_000),
  html: z.string().max(2_000_000).nullable().optional(),
  subject: z.string().max(1000).nullable().optional(),
  agentId: z.string().min(1).nullable().optional(),
  authorKind: z.enum(["agent", "bot", "system"]).optional(),
  visibility: z.enum(["private", "public"]).optional(),
  template: z.object({ name: z.string().min(1), language: z.string().min(2), parameters: z.record(z.string(), z.unknown()).optional() }).nullable().optional(),
  status: TicketStatusSchema.optional(),
  channel: z.string().min(1).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  automatic: z.boolean().optional(),
}).refine((r) => r.text.trim().length > 0 || r.template, { message: "A reply needs text or a template", path: ["text"] });

const IdSchema = z.string().min(1).max(200);
const TicketQuerySchema = z.strictObject({
  status: z.array(TicketStatusSchema).optional(),
  customerId: IdSchema.optional(),
  channel: z.string().min(1).max(40).optional(),
  conversationKey: z.string().max(1000).optional(),
  slaDueBefore: z.date().optional(),
  newestFirst: z.boolean().optional(),
  limit: z.number().int().positive().max(10_000).optional(),
});
const ActorSchema = z.union([z.object({ agentId: z.string().min(1) }), z.object({ system: z.string().min(1) }), z.object({ bot: z.string().min(1) })]);
const SLA_JOB = "sla.check";
/** A job failing this many times is set aside with a `job.abandoned` audit event. */
const MAX_JOB_ATTEMPTS = 5;
const COMPLAINT_JOB = "complaint.update_due";
const AUTO_CLOSE_JOB = "ticket.auto_close";
type SlaNotice = { type: "sla.warning" | "sla.breached" | "sla.fulfilled" | "sla.escalated"; metric: string; dueAt: Date | null; notify?: string[] };
/** Delivery receipts that arrived before their message was recorded wait here (idempotency scope). */
const EARLY_RECEIPT_SCOPE = "early-receipt";
const DELIVERY_RANK: Record<DeliveryStatus, number> = { received: 0, queued: 1, sent: 2, delivered: 3, read: 4, failed: 5 };

/** Validates outside input and cleans its text the way every store can keep it (no NUL, no half emoji). */
function accept<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  return cleanStrings(parseInput(schema, input, what));
}

/** Transient store errors worth retrying the whole transaction for. */
function retryable(err: unknown): boolean {
  return StoredeskError.is(err) && (err.code === "CONFLICT" || err.code === "PROVIDER_UNAVAILABLE") && err.details?.duplicate !== true;
}

function toActor(input: ActorInput | undefined): Actor {
  if (!input) return { kind: "system", id: null };
  if ("agentId" in input) return { kind: "agent", id: input.agentId };
  if ("bot" in input) return { kind: "bot", id: input.bot };
  return { kind: "system", id: input.system };
}

/** The desk returned by {@link createDesk}. */
export type Desk = ReturnType<typeof createDesk>;

/**
 * Creates a support desk over a store and the channels, commerce provider and
 * policies you give it.
 *
 * @example
 * const desk = createDesk({ store: memoryStore(), channels: [emailChannel({ ... })] });
 * desk.on("ticket.created", ({ ticket }) => console.log(ticket.number, ticket.category));
 * await desk.ingest({ type: "message", channel: "email", externalId: "m1", occurredAt: new Date(),
 *   from: { identities: [{ kind: "email", value: "kim@example.com" }] }, text: "배송 언제 와요?" });
 */
export function createDesk(options: DeskOptions) {
  const store = options.store;
  const clock = options.clock ?? systemClock();
  const scheduler: Scheduler | undefined = options.scheduler ?? store.scheduler;
  const newId = options.newId ?? randomUUID;
  const workerId = options.workerId ?? `desk-${randomUUID().slice(0, 8)}`;
  const classifier = options.classifier ?? classifyText;
  const emitter = new EventEmitter<DeskEvents>();
  const channels = new Map<string, ChannelAdapter>();
  for (const adapter of options.channels ?? []) {
    if (channels.has(adapter.id)) throw new StoredeskError({ code: "INVALID_INPUT", message: `Two channels share the id "${adapter.id}"`, path: ["channels"] });
    channels.set(adapter.id, adapter);
  }
  const templates = new Map<string, Template>(DEFAULT_TEMPLATES.map((t) => [t.id, t]));
  for (const [i, t] of (options.templates ?? []).entries()) {
    const parsed = parseInput(TemplateSchema, t, `template ${i}`);
    templates.set(parsed.id, parsed);
  }
  const actionPlans = new Map<string, ActionPlan>();
  for (const [i, p] of (options.actionPlans ?? []).entries()) {
    const parsed = parseInput(ActionPlanSchema, p, `action plan ${i}`);
    actionPlans.set(parsed.category, parsed);
  }
  const agents = new Map((options.agents ?? []).map((a) => [a.id, a]));
  const slaPolicies = options.sla?.policies ?? defaultSlaPolicies();
  const calendar = options.sla?.calendar ?? null;
  const shopName = options.shop?.name ?? null;
  const defaultLocale = options.shop?.defaultLocale ?? "ko";
  const timeZone = options.shop?.timeZone ?? "Asia/Seoul";
  const ackSetting = options.autoAcknowledge ?? true;
  const complaintInterval = options.complaint?.updateIntervalMinutes ?? 24 * 60;
  const contextTtl = options.commerceContext?.ttlMs ?? 5 * 60_000;
  const highValue = options.commerceContext?.highValueTotalSpent ?? null;
  const autoCloseMs = (options.autoCloseAfterHours ?? 96) * 3_600_000;
  const contextCache = new Map<string, { at: number; context: CustomerContext | null }>();

  function adapterFor(channel: string): ChannelAdapter | undefined {
    return channels.get(channel);
  }

  /** Runs `fn` in a transaction, again on a version conflict or a dropped connection. */
  async function withTx<T>(fn: (tx: StoreOps) => Promise<T>, attempts = 8): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await store.transaction(fn);
      } catch (err) {
        if (!retryable(err) || attempt >= attempts) throw err;
        // A version conflict retries at once (the other writer is done); a dropped connection
        // waits a little, with jitter, so a recovering server is not hammered.
        if (StoredeskError.is(err, "PROVIDER_UNAVAILABLE")) await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random())));
      }
    }
  }

  /**
   * Appends audit events after `log` (the ticket's events so far, read once per
   * transaction and extended in place, so seq numbers continue without re-reading).
   */
  async function appendEvents(tx: StoreOps, ticketId: string, drafts: EventDraft[], actor: Actor, at: Date, log?: TicketEvent[]): Promise<TicketEvent[]> {
    if (drafts.length === 0) return [];
    const written = buildEvents(ticketId, drafts, actor, at, log ?? (await tx.listEvents(ticketId)));
    await writeEvents(tx, written);
    return written;
  }

  /**
   * Numbers audit events after `log` (the ticket's events so far, read once per transaction and
   * extended in place, so seq numbers continue without re-reading). Nothing is written yet.
   */
  function buildEvents(ticketId: string, drafts: EventDraft[], actor: Actor, at: Date, log: TicketEvent[]): TicketEvent[] {
    let seq = log.length === 0 ? 0 : log[log.length - 1]!.seq;
    const built = drafts.map((draft) => ({ id: newId(), ticketId, seq: ++seq, type: draft.type, at, actor, data: draft.data }));
    log.push(...built);
    return built;
  }

  /** Writes events in one round trip when the store can. */
  async function writeEvents(tx: StoreOps, events: TicketEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (tx.appendEvents && events.length > 1) await tx.appendEvents(events);
    else for (const event of events) await tx.appendEvent(event);
  }

  async function applyStoreEffects(tx: StoreOps, effects: Effect[]): Promise<Effect[]> {
    const later: Effect[] = [];
    for (const effect of effects) {
      if (effect.type === "schedule") await tx.scheduleJob({ ...effect.job, id: newId(), attempts: 0, lockedBy: null, lockedUntil: null });
      else if (effect.type === "cancel_job") await tx.cancelJob(effect.key);
      else later.push(effect);
    }
    return later;
  }

  /**
   * Recomputes the ticket's SLA from its audit log, writes SLA audit events for
   * what happened since the last evaluation (fulfilled, warned, breached),
   * applies escalations and (re)schedules the next SLA check. Returns the ticket
   * and the SLA notices to emit after commit.
   */
  async function refreshSla(tx: StoreOps, ticket: Ticket, now: Date, log?: TicketEvent[], knownCustomer?: Customer): Promise<{ ticket: Ticket; notices: SlaNotice[]; events: TicketEvent[] }> {
    const events = log ?? (await tx.listEvents(ticket.id));
    const customer = knownCustomer?.id === ticket.customerId ? knownCustomer : await tx.getCustomer(ticket.customerId);
    const { evaluation, snapshot, slaDueAt } = evaluateTicketSla(ticket, events, customer, slaPolicies, calendar, now);
    const notices: SlaNotice[] = [];
    const drafts: EventDraft[] = [];
    let next: Ticket = { ...ticket, sla: snapshot, slaDueAt };
    if (!ticket.sla && evaluation.policyId) drafts.push({ type: "sla.applied", data: { policyId: evaluation.policyId, dueAt: slaDueAt?.toISOString() ?? null } });
    for (const e of evaluation.events) {
      if (e.type !== "warn" && e.type !== "breach" && e.type !== "fulfill") continue;
      const metric = e.metric ?? "unknown";
      const dueAt = evaluation.metrics.find((m) => m.metric === metric)?.dueAt ?? null;
      const type = e.type === "warn" ? "sla.warning" : e.type === "breach" ? "sla.breached" : "sla.fulfilled";
      drafts.push({ type, data: { metric, at: e.at.toISOString(), dueAt: dueAt?.toISOString() ?? null } });
      notices.push({ type, metric, dueAt });
      if (e.type === "warn" || e.type === "breach") {
        for (const escalation of e.escalations ?? []) {
          if (escalation.raisePriority && priorityRank(escalation.raisePriority) > priorityRank(next.priority)) {
            drafts.push({ type: "priority.changed", data: { from: next.priority, to: escalation.raisePriority, reason: `sla.${e.type}` } });
            next = { ...next, priority: escalation.raisePriority };
          }
          if (escalation.assignTeam && escalation.assignTeam !== next.team) {
            drafts.push({ type: "assigned", data: { from: next.assigneeId, to: null, fromTeam: next.team, toTeam: escalation.assignTeam, reason: `sla.${e.type}` } });
            next = { ...next, team: escalation.assignTeam, assigneeId: null };
          }
          drafts.push({ type: "sla.escalated", data: { metric, ...escalation } });
          if (escalation.notify?.length) notices.push({ type: "sla.escalated", metric, dueAt, notify: escalation.notify });
        }
      }
    }
    // Numbered now, written by the caller together with the change's own events (one round trip).
    const written = buildEvents(ticket.id, drafts, { kind: "system", id: "sla" }, now, events);
    const key = `sla:${ticket.id}`;
    if (evaluation.nextDueAt && next.status !== "closed") {
      await tx.scheduleJob({ id: newId(), key, type: SLA_JOB, ticketId: ticket.id, runAt: evaluation.nextDueAt, payload: {}, attempts: 0, lockedBy: null, lockedUntil: null });
    } else {
      await tx.cancelJob(key);
    }
    return { ticket: next, notices, events: written };
  }

  /** Common tail of every ticket change: SLA, version write, events. */
  async function saveTicket(tx: StoreOps, before: Ticket | null, after: Ticket, drafts: EventDraft[], actor: Actor, now: Date, customer?: Customer) {
    const log = before ? await tx.listEvents(after.id) : [];
    const written = buildEvents(after.id, drafts, actor, now, log);
    const sla = await refreshSla(tx, after, now, log, customer);
    await writeEvents(tx, [...written, ...sla.events]);
    let ticket = sla.ticket;
    if (before) {
      ticket = { ...ticket, version: before.version + 1, updatedAt: now };
      await tx.updateTicket(ticket, before.version);
    } else {
      await tx.insertTicket(ticket);
    }
    return { ticket, events: [...written, ...sla.events], notices: sla.notices };
  }

  type Notices = Awaited<ReturnType<typeof saveTicket>>["notices"];
  function emitNotices(ticket: Ticket, notices: Notices) {
    for (const n of notices) {
      if (n.type === "sla.fulfilled") emitter.emit("sla.fulfilled", { ticket, metric: n.metric });
      else if (n.type === "sla.escalated") emitter.emit("sla.escalated", { ticket, metric: n.metric, notify: n.notify ?? [] });
      else emitter.emit(n.type, { ticket, metric: n.metric, dueAt: n.dueAt });
    }
  }

  /**
   * Loads a ticket, applies a pure decision and saves it with its events and
   * effects, retrying on a version conflict. Returns the saved ticket.
   */
  async function mutateTicket(
    ticketId: string,
    actor: Actor,
    decide: (ticket: Ticket, tx: StoreOps, now: Date) => Promise<Decision<Ticket>> | Decision<Ticket>,
    extra?: (tx: StoreOps, ticket: Ticket, now: Date) => Promise<void>,
    opts: { at?: Date } = {},
  ): Promise<{ ticket: Ticket; events: TicketEvent[]; later: Effect[] }> {
    const result = await withTx(async (tx) => {
      // A job may run for a moment later than the clock (runDue(now)): never go back in time.
      const clockNow = clock.now();
      const now = opts.at && opts.at > clockNow ? opts.at : clockNow;
      const current = await tx.getTicket(ticketId);
      if (!current) throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${ticketId} not found`, path: ["ticketId"] });
      const decision = await decide(current, tx, now);
      if (!decision.ok) throw decision.error;
      if (decision.value === current && decision.events.length === 0 && decision.effects.length === 0 && !extra) {
        return { ticket: current, events: [] as TicketEvent[], later: [] as Effect[], notices: [] as Notices };
      }
      const later = await applyStoreEffects(tx, decision.effects);
      const saved = await saveTicket(tx, current, decision.value, decision.events, actor, now);
      if (extra) await extra(tx, saved.ticket, now);
      return { ...saved, later };
    });
    if (result.events.length > 0) emitter.emit("ticket.updated", { ticket: result.ticket, events: result.events });
    emitNotices(result.ticket, result.notices);
    return result;
  }

  // ---------------------------------------------------------------- ingest

  async function ingest(input: InboundEventInput): Promise<IngestResult> {
    const event = parseInput(InboundEventSchema, input, "inbound event");
    if (event.type === "delivery") return ingestDelivery(event);
    return ingestMessage(event);
  }

  async function ingestDelivery(event: DeliveryStatusEvent, recheck = true): Promise<IngestResult> {
    const result = await withTx(async (tx) => {
      const message = await tx.findMessageByExternalId(event.channel, event.externalId);
      if (!message) {
        // The receipt may have overtaken the write of its message (a fast provider): park it;
        // recording the message applies it. Receipts for messages storedesk never sent stay parked.
        await parkReceipt(tx, event);
        return null;
      }
      // Receipts arrive out of order: never move backwards (read → delivered), failure always wins.
      if (message.deliveryStatus === event.status || (event.status !== "failed" && DELIVERY_RANK[event.status] < DELIVERY_RANK[message.deliveryStatus])) {
        return { message, ticket: await tx.getTicket(message.ticketId), changed: false };
      }
      await tx.updateMessageDelivery(message.id, event.status, event.error ?? null);
      const ticket = await tx.getTicket(message.ticketId);
      if (ticket) {
        const drafts: EventDraft[] = [{ type: "delivery.updated", data: { messageId: message.id, from: message.deliveryStatus, to: event.status, error: event.error ?? null } }];
        if (event.status === "failed") drafts.push({ type: "reply.failed", data: { messageId: message.id, error: event.error ?? null } });
        await appendEvents(tx, ticket.id, drafts, { kind: "system", id: event.channel }, clock.now());
      }
      return { message: { ...message, deliveryStatus: event.status, deliveryError: event.error ?? null }, ticket, changed: true };
    });
    if (!result) {
      // Parking committed; the message may have committed meanwhile, unseen by that transaction.
      // Look once more: with the sender's own look after its commit, one of the two always sees the other.
      if (recheck && (await store.findMessageByExternalId(event.channel, event.externalId))) return ingestDelivery(event, false);
      return { outcome: "parked", ticket: null, message: null };
    }
    if (result.changed) emitter.emit("message.delivery", { message: result.message, status: result.message.deliveryStatus });
    return { outcome: "delivery", ticket: result.ticket, message: result.message };
  }

  /** A customer by id, following `mergedInto` to the record that lives on. */
  async function liveCustomer(id: string): Promise<Customer | null> {
    let customer = await store.getCustomer(id);
    for (let hops = 0; customer?.mergedInto && hops < 10; hops++) customer = await store.getCustomer(customer.mergedInto);
    return customer;
  }

  /** Parks a receipt under its channel, external id and status (one record each, so none overwrites another). */
  async function parkReceipt(tx: StoreOps, event: DeliveryStatusEvent): Promise<void> {
    await tx.putIdempotency({ scope: EARLY_RECEIPT_SCOPE, key: parkedKey(event.channel, event.externalId, event.status), result: { error: event.error ?? null }, createdAt: clock.now() })
      .catch((err: unknown) => { if (!StoredeskError.is(err, "CONFLICT")) throw err; });
  }

  /** The furthest parked receipt of a message just recorded, if any (failure wins). */
  async function parkedReceipt(tx: StoreOps, channel: string, externalId: string): Promise<{ status: DeliveryStatus; error: Message["deliveryError"] } | null> {
    for (const status of ["failed", "read", "delivered", "sent"] as const) {
      const parked = await tx.getIdempotency(EARLY_RECEIPT_SCOPE, parkedKey(channel, externalId, status));
      if (parked) return { status, error: (parked.result as { error?: Message["deliveryError"] }).error ?? null };
    }
    return null;
  }

  async function ingestMessage(event: InboundMessageEvent): Promise<IngestResult> {
    // No lookup first: the store's unique (channel, externalId) decides, and a redelivery rolls
    // back below. Redeliveries are rare; the common path saves a round trip.
    const classification = await classifier({ text: event.text, subject: event.subject ?? null, channel: event.channel, localeHint: event.from.locale ?? null });

    type Outcome = { outcome: IngestResult["outcome"]; ticket: Ticket; message: Message; events: TicketEvent[]; created: boolean; notices: Notices; linked: Identity[]; customer: Customer; later: Effect[] };
    let result: Outcome | { outcome: "duplicate"; message: Message };
    try {
      result = await withTx(async (tx): Promise<Outcome | { outcome: "duplicate"; message: Message }> => {
        const now = clock.now();
        const { customer, linked } = await findOrCreateCustomer(tx, { identities: event.from.identities, name: event.from.name, locale: event.from.locale ?? classification.language }, now, newId);
        const { ticket: found, suspected } = await findThread(tx, event, customer.id, now);
        // A reply id naming another customer's ticket: kept off it, linked both ways for an agent (#11).
        const linkSuspected = async (ticket: Ticket, id: string) => {
          for (const link of suspected ? suspectedThreadEvents(suspected, ticket, id) : []) await appendEvents(tx, link.ticketId, [link.draft], actor, now);
        };

        const messageId = newId();
        const message: Message = {
          id: messageId, ticketId: "", direction: "inbound", authorKind: "customer", authorId: customer.id, channel: event.channel,
          externalId: event.externalId, text: event.text, html: event.html ?? null, attachments: event.attachments,
          deliveryStatus: "received", deliveryError: null, visibility: event.kind === "comment" ? "public" : "private",
          // A sender's clock (a mail's Date header) may run ahead: never place a message in the future.
          automatic: event.automatic, createdAt: event.occurredAt < now ? event.occurredAt : now,
          meta: { ...event.meta, ...(event.subject ? { subject: event.subject } : {}), classification: { category: classification.category, language: classification.language, complaint: classification.complaint, sentiment: classification.sentiment } },
        };
        const receivedDraft: EventDraft = { type: event.automatic ? "message.auto_reply_received" : "message.received", data: { messageId, channel: event.channel, externalId: event.externalId } };
        const actor: Actor = { kind: "customer", id: customer.id };

        if (found && found.status !== "closed") {
          const decision = event.automatic
            ? { ok: true as const, value: { ...found, version: found.version + 1, updatedAt: now }, events: [], effects: [] }
            : applyTicketAction(found, { type: "customer_message", messageId, automatic: false }, now);
          if (!decision.ok) throw decision.error;
          // Reply windows run from when the customer wrote, not from a late redelivery.
          if (!event.automatic && event.occurredAt < now) {
            // …but a late message dated earlier never moves it backwards.
            const previous = found.lastCustomerMessageAt;
            decision.value.lastCustomerMessageAt = previous && previous > event.occurredAt ? previous : event.occurredAt;
          }
          const escalated = escalateOnComplaint(decision.value, classification, now);
          await tx.insertMessage({ ...message, ticketId: found.id });
          const later = await applyStoreEffects(tx, decision.effects);
          const saved = await saveTicket(tx, found, escalated.ticket, [receivedDraft, ...decision.events, ...escalated.events], actor, now, customer);
          await linkSuspected(found, messageId);
          const outcome = found.status === "solved" && !event.automatic ? "reopened" : event.automatic ? "auto_reply" : "threaded";
          return { outcome, ...saved, message: { ...message, ticketId: found.id }, created: false, linked, customer, later };
        }

        // A new ticket, or a follow-up of a closed one.
        const number = await tx.nextTicketNumber();
        const plan = actionPlans.get(classification.category);
        let ticket: Ticket = {
          id: newId(), number, subject: event.subject ?? firstLine(event.text), status: "new",
          priority: classification.suggestedPriority, category: classification.category, channel: event.channel,
          kind: event.kind === "comment" ? "comment" : "conversation", customerId: customer.id, assigneeId: null,
          team: plan?.responsibleTeam ?? null, tags: found ? ["follow-up"] : [], language: classification.language || defaultLocale,
          conversationKey: event.conversationKey ?? null, version: 1, createdAt: now, updatedAt: now,
          lastCustomerMessageAt: event.automatic ? null : event.occurredAt < now ? event.occurredAt : now, firstRepliedAt: null, solvedAt: null, closedAt: null,
          followUpOf: found?.id ?? null, mergedInto: null, slaDueAt: null, sla: null,
          complaint: classification.category === "complaint" ? openComplaint(now, { updateIntervalMinutes: complaintInterval, summary: null }) : null,
          meta: { classification: { topic: classification.topic, confidence: classification.confidence, matched: classification.matched }, ...(extractOrderName(event.text) ? { orderName: extractOrderName(event.text) } : {}) },
        };
        const routed = options.route?.(ticket, classification);
        if (routed) ticket = { ...ticket, ...routed };
        const drafts: EventDraft[] = [
          { type: found ? "ticket.follow_up_created" : "ticket.created", data: { status: ticket.status, priority: ticket.priority, category: ticket.category, channel: ticket.channel, tags: ticket.tags, followUpOf: found?.id ?? null, language: ticket.language } },
          receivedDraft,
        ];
        if (ticket.complaint) drafts.push({ type: "complaint.opened", data: { step: "listen" } });
        await tx.insertMessage({ ...message, ticketId: ticket.id });
        const saved = await saveTicket(tx, null, ticket, drafts, actor, now, customer);
        await linkSuspected(ticket, messageId);
        if (found) await appendEvents(tx, found.id, [{ type: "ticket.follow_up_created", data: { followUpTicketId: ticket.id, followUpNumber: number } }], actor, now);
        return { outcome: found ? "follow_up" : "created", ...saved, message: { ...message, ticketId: ticket.id }, created: true, linked, customer, later: [] };
      });
    } catch (err) {
      // The store's unique (channel, externalId) refused it: a redelivery, unless another sender
      // reused the id (a mailer with fixed Message-IDs): then it is a new message under a scoped id.
      if (StoredeskError.is(err, "CONFLICT") && err.details?.duplicate === true) {
        const winner = await store.findMessageByExternalId(event.channel, event.externalId);
        if (winner) {
          const primary = event.from.identities[0]!;
          const sender = await store.findCustomerByIdentity(normalizeIdentity(primary));
          const author = winner.authorId ? await liveCustomer(winner.authorId) : null; // follows customer merges
          if (winner.direction === "inbound" && author !== null && author.id !== sender?.id && !event.externalId.includes("#from:")) {
            return ingestMessage({ ...event, externalId: `${event.externalId}#from:${identityKey(primary)}` });
          }
          return { outcome: "duplicate", ticket: await liveTicket(store, await store.getTicket(winner.ticketId)), message: winner };
        }
      }
      throw err;
    }
    if (result.outcome === "duplicate") {
      return { outcome: "duplicate", ticket: await liveTicket(store, await store.getTicket(result.message.ticketId)), message: result.message };
    }

    const r = result;
    if (r.linked.length > 0) emitter.emit("customer.linked", { customer: r.customer, identities: r.linked });
    if (r.created) emitter.emit("ticket.created", { ticket: r.ticket, message: r.message, classification });
    else emitter.emit("ticket.updated", { ticket: r.ticket, events: r.events });
    emitter.emit("message.received", { ticket: r.ticket, message: r.message });
    emitNotices(r.ticket, r.notices);

    let ticket = r.ticket;
    let acknowledgement: Message | null = null;
    if (r.created) {
      ticket = (await attachCommerceContext(ticket, r.customer)) ?? ticket;
      if (!event.automatic && shouldAcknowledge(ticket)) {
        const known: { ticket: Ticket; customer: Customer; thread: Message[]; saved?: Ticket } = { ticket, customer: r.customer, thread: [r.message] };
        acknowledgement = await acknowledge(ticket, r.customer, r.message, known).catch((error: unknown) => {
          emitter.emit("error", { error, context: `auto-acknowledgement of ticket ${ticket.id}` });
          return null;
        });
        if (acknowledgement) ticket = known.saved ?? (await store.getTicket(ticket.id)) ?? ticket;
      }
    }
    return { outcome: r.outcome, ticket, message: r.message, acknowledgement };
  }

  /**
   * A customer who turns angry in an ongoing conversation gets the complaint workflow:
   * the ticket becomes a complaint (faster SLA), its priority rises to what the message
   * suggests, and a complaint case opens. The original topic stays in `meta.topicBeforeComplaint`.
   */
  function escalateOnComplaint(ticket: Ticket, classification: Classification, now: Date): { ticket: Ticket; events: EventDraft[] } {
    if (!classification.complaint.signal || ticket.category === "complaint") return { ticket, events: [] };
    const priority: Priority = priorityRank(classification.suggestedPriority) > priorityRank(ticket.priority) ? classification.suggestedPriority : ticket.priority;
    const events: EventDraft[] = [{ type: "category.changed", data: { from: ticket.category, to: "complaint", reason: "complaint_signal", score: classification.complaint.score } }];
    if (priority !== ticket.priority) events.push({ type: "priority.changed", data: { from: ticket.priority, to: priority, reason: "complaint_signal" } });
    if (!ticket.complaint) events.push({ type: "complaint.opened", data: { step: "listen", reason: "complaint_signal" } });
    const plan = actionPlans.get("complaint");
    return {
      ticket: {
        ...ticket, category: "complaint", priority, team: plan?.responsibleTeam ?? ticket.team,
        complaint: ticket.complaint ?? openComplaint(now, { updateIntervalMinutes: complaintInterval }),
        meta: { ...ticket.meta, topicBeforeComplaint: ticket.category },
      },
      events,
    };
  }

  function shouldAcknowledge(ticket: Ticket): boolean {
    if (ackSetting === false || ticket.kind === "comment") return false;
    if (typeof ackSetting === "object" && ackSetting.channels && !ackSetting.channels.includes(ticket.channel)) return false;
    return adapterFor(ticket.channel) !== undefined;
  }

  /** The expected handling time: the earliest reply or resolution due time of the ticket's SLA. */
  function expectedBy(ticket: Ticket): Date | null {
    const metrics = ticket.sla?.metrics ?? [];
    const pick = metrics.find((m) => m.metric === "first_reply" && m.dueAt) ?? metrics.find((m) => m.dueAt && m.status === "active");
    return pick?.dueAt ? new Date(pick.dueAt) : null;
  }

  /** Template variables of the expected handling time: `due.text` (the time), `due.sentence` (a whole promise). */
  function dueVariables(due: Date | null, locale: string): Record<string, string | null> {
    const ko = locale.startsWith("ko");
    if (!due) return { text: null, iso: null, sentence: ko ? "최대한 빨리 답변드리겠습니다." : "We will reply as soon as we can." };
    const text = formatDue(due, locale, timeZone);
    return { text, iso: due.toISOString(), sentence: ko ? `${text}까지 답변드리겠습니다.` : `We will reply by ${text}.` };
  }

  /**
   * The variables every template can use on a ticket: `ticket.*`, `customer.*`, `shop.name`,
   * and from the commerce context `order.*` (the order the ticket is about, else the latest:
   * `order.name`, `order.total`, `order.fulfillmentStatus`, `order.estimatedDelivery`…) and
   * `tracking.*` (`tracking.url`, `tracking.number`, `tracking.carrier`).
   */
  function ticketVariables(ticket: Ticket, customer: Customer | null): Record<string, unknown> {
    const context = (ticket.meta.commerce as CustomerContext | undefined) ?? null;
    const order = context ? (context.recentOrders.find((o) => o.id === ticket.meta.orderId || o.name === ticket.meta.orderName) ?? context.recentOrders[0] ?? null) : null;
    const shipment = order?.shipments.find((s) => s.trackingUrl || s.trackingNumber) ?? order?.shipments[0] ?? null;
    return {
      ticket: { ref: ticketRef(ticket), number: ticket.number, subject: ticket.subject, status: ticket.status, category: ticket.category },
      customer: { name: customer?.name ?? null, ordersCount: context?.ordersCount ?? null, totalSpent: context?.totalSpent ?? null },
      shop: { name: shopName },
      order: order ? { ...order, estimatedDelivery: shipment?.estimatedDelivery ?? null } : null,
      tracking: shipment ? { url: shipment.trackingUrl, number: shipment.trackingNumber, carrier: shipment.carrier, status: shipment.status } : null,
    };
  }

  async function acknowledge(ticket: Ticket, customer: Customer, inbound: Message, known: { ticket: Ticket; customer: Customer; thread: Message[]; saved?: Ticket } = { ticket, customer, thread: [inbound] }): Promise<Message | null> {
    const due = expectedBy(ticket);
    const locale = customer.locale ?? ticket.language ?? defaultLocale;
    const template = templates.get("auto_ack")!;
    const rendered = renderTemplate(template, { ...ticketVariables(ticket, customer), due: dueVariables(due, locale) }, locale, { onMissing: "empty" });
    return sendOnTicket(ticket.id, {
      text: rendered.body, subject: rendered.subject, authorKind: "system", automatic: true, purpose: "auto_ack",
    }, { kind: "system", id: "auto-ack" }, "ack.sent", known);
  }

  // ------------------------------------------------------- commerce context

  async function commerceContextFor(customer: Customer, force = false): Promise<CustomerContext | null> {
    const commerce = options.commerce;
    if (!commerce) return null;
    const cached = contextCache.get(customer.id);
    const nowMs = clock.now().getTime();
    if (!force && cached && nowMs - cached.at < contextTtl) return cached.context;
    const email = customer.identities.find((i) => i.kind === "email")?.value ?? null;
    const phone = customer.identities.find((i) => i.kind === "phone")?.value ?? customer.identities.find((i) => i.kind === "whatsapp")?.value ?? null;
    const providerCustomerId = customer.identities.find((i) => i.kind === "shopify")?.value ?? null;
    if (!email && !phone && !providerCustomerId) return null;
    const context = await commerce.customerContext({ email, phone: phone && !phone.startsWith("+") ? `+${phone}` : phone, providerCustomerId });
    contextCache.set(customer.id, { at: nowMs, context });
    return context;
  }

  /** Fetches the customer's orders onto a new ticket, links the shop's identities, raises priority for high-value customers. */
  async function attachCommerceContext(ticket: Ticket, customer: Customer): Promise<Ticket | null> {
    if (!options.commerce) return null;
    let context: CustomerContext | null;
    try {
      context = await commerceContextFor(customer);
    } catch (error) {
      emitter.emit("error", { error, context: `commerce context for ticket ${ticket.id}` });
      return null;
    }
    if (!context) return null;
    const handles: Identity[] = [];
    if (context.providerCustomerId) handles.push({ kind: "shopify", value: context.providerCustomerId });
    if (context.email) handles.push({ kind: "email", value: context.email });
    if (context.phone) handles.push({ kind: "phone", value: context.phone });
    await linkIdentities(customer.id, handles, { onlyUnowned: true });
    const { ticket: saved } = await mutateTicket(ticket.id, { kind: "system", id: "commerce" }, (current) => {
      const orderName = current.meta.orderName as string | undefined;
      const order = (orderName ? context.recentOrders.find((o) => o.name === orderName) : null) ?? context.recentOrders[0] ?? null;
      let next: Ticket = { ...current, meta: { ...current.meta, commerce: context, ...(order ? { orderId: order.id, orderName: order.name } : {}) } };
      const drafts: EventDraft[] = [{ type: "commerce.context", data: { provider: options.commerce!.id, ordersCount: context.ordersCount, totalSpent: context.totalSpent, orderId: order?.id ?? null } }];
      if (highValue !== null && context.totalSpent >= highValue && priorityRank(next.priority) < priorityRank("high")) {
        drafts.push({ type: "priority.changed", data: { from: next.priority, to: "high", reason: "high_value_customer" } });
        next = { ...next, priority: "high" };
      }
      return { ok: true, value: next, events: drafts, effects: [] };
    });
    return saved;
  }

  // ----------------------------------------------------------- sending

  /**
   * Sends a message on a ticket through its channel and records it. The reply
   * window is checked before anything leaves; a failed send is recorded as a
   * failed message (nothing accepted is lost) and rethrown.
   */
  async function sendOnTicket(
    ticketId: string,
    input: ReplyInput,
    actor: Actor,
    eventType: "reply.sent" | "ack.sent" = "reply.sent",
    // What the caller already holds (the ingest path), so the hot path reads nothing twice.
    known?: { ticket: Ticket; customer: Customer; thread: Message[]; saved?: Ticket },
  ): Promise<Message> {
    const ticket = known?.ticket ?? (await store.getTicket(ticketId));
    if (!ticket) throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${ticketId} not found`, path: ["ticketId"] });
    if (ticket.status === "closed") throw new StoredeskError({ code: "TICKET_CLOSED", message: `Ticket ${ticketRef(ticket)} is closed`, details: { ticketId } });
    const channel = input.channel ?? ticket.channel;
    const adapter = adapterFor(channel);
    if (!adapter) throw new StoredeskError({ code: "NOT_FOUND", message: `No channel adapter "${channel}" is registered`, path: ["channel"] });
    const customer = known?.customer ?? (await store.getCustomer(ticket.customerId));
    if (!customer) throw new StoredeskError({ code: "NOT_FOUND", message: `Customer of ticket ${ticketId} not found` });
    const now = clock.now();
    const authorKind = input.authorKind ?? (actor.kind === "agent" ? "agent" : actor.kind === "bot" ? "bot" : "system");
    const visibility = input.visibility ?? (ticket.kind === "comment" ? "public" : "private");

    if (adapter.capabilities.replyWindow && adapter.replyWindow && !input.template && visibility !== "public") {
      const window = adapter.replyWindow({ ticket, lastInboundAt: ticket.lastCustomerMessageAt, authorKind }, now);
      const fallback = window.kind === "template_only" && input.automatic && input.purpose && options.templateOutsideWindow
        ? options.templateOutsideWindow({ channel, purpose: input.purpose, ticket, customer, text: input.text, suggestedTemplate: window.suggestedTemplate ?? null })
        : null;
      if (fallback) {
        input = { ...input, template: fallback };
      } else if (window.kind === "template_only") {
        throw new StoredeskError({
          code: "REPLY_WINDOW_CLOSED",
          message: `The ${channel} reply window closed${window.closedAt ? ` at ${window.closedAt.toISOString()}` : ""}: send a template${window.suggestedTemplate ? ` such as "${window.suggestedTemplate}"` : ""}`,
          details: { channel, closedAt: window.closedAt?.toISOString() ?? null, suggestedTemplate: window.suggestedTemplate ?? null, reason: window.reason },
        });
      }
      if (window.kind === "open" && window.tag) input = { ...input, options: { tag: window.tag, ...input.options } };
    }

    // Decide the lifecycle change first: a reply the ticket cannot take must not leave at all.
    if (input.status) {
      const dry = applyTicketAction(ticket, { type: "agent_reply", messageId: "dry-run", automatic: false, status: input.status }, now);
      if (!dry.ok) throw dry.error;
    }

    const history = known?.thread ?? (await store.listMessages(ticketId));
    const messageId = newId();
    const outbound: OutboundMessage = {
      messageId, ticket, customer, text: input.text, html: input.html ?? null,
      subject: input.subject ?? (ticket.subject ? `Re: ${ticket.subject}` : null), visibility,
      thread: history.filter((m) => m.channel === channel && m.externalId).map((m) => ({ externalId: m.externalId, direction: m.direction, createdAt: m.createdAt })),
      template: input.template ?? null, ...(input.options ? { options: input.options } : {}), automatic: input.automatic ?? false,
    };
    let receipt: Awaited<ReturnType<ChannelAdapter["send"]>> | null = null;
    let failure: unknown = null;
    try {
      receipt = await adapter.send(outbound);
    } catch (err) {
      failure = err;
    }
    const message: Message = {
      id: messageId, ticketId, direction: "outbound", authorKind, authorId: actor.id, channel,
      externalId: receipt ? boundedKey(receipt.externalId) : null, text: input.text, html: input.html ?? null, attachments: [],
      deliveryStatus: receipt ? receipt.status : "failed",
      deliveryError: failure ? { code: StoredeskError.is(failure) ? failure.code : "INTERNAL", title: failure instanceof Error ? failure.message : JSON.stringify(failure) } : null,
      visibility: visibility === "public" ? "public" : "private", automatic: input.automatic ?? false, createdAt: now,
      meta: { ...(receipt?.meta ?? {}), ...(outbound.subject ? { subject: outbound.subject } : {}), ...(input.template ? { template: input.template } : {}) },
    };
    /**
     * Fallbacks once the provider has answered and the normal write failed: first without the
     * status change (the ticket moved meanwhile), then, if the store keeps failing, retried with
     * backoff; as a last resort the whole message goes out on the `error` event (a dead letter
     * the application can log) together with the original failure.
     */
    const recordAfterSend = async (err: unknown): Promise<Ticket> => {
      const moved = StoredeskError.is(err) && (err.code === "ILLEGAL_TRANSITION" || err.code === "TICKET_CLOSED" || err.code === "CONFLICT");
      if (StoredeskError.is(err, "CONFLICT") && err.details?.duplicate === true) throw err; // the provider reused an id: already on record
      for (let attempt = 1; attempt <= 4; attempt++) {
        try {
          const { ticket } = await mutateTicket(ticketId, actor, (current) => current.status === "closed" || failure
            ? { ok: true, value: { ...current }, events: [{ type: failure ? "reply.failed" : eventType, data: { messageId, channel, authorKind, automatic: message.automatic, visibility: message.visibility, recordedLate: true, ...(failure ? { error: message.deliveryError } : {}) } }], effects: [] }
            : record(current, false), insert);
          emitter.emit("error", { error: err, context: `recording reply ${messageId} on ticket ${ticketId}: ${moved ? "the status change no longer fit; the reply was recorded without it" : "recorded after a retry"}` });
          return ticket;
        } catch (again) {
          if (attempt === 4 || !(StoredeskError.is(again) && again.retryable)) {
            emitter.emit("error", { error: again, context: `reply ${messageId} on ticket ${ticketId} could not be recorded: ${JSON.stringify({ message, cause: String(err) }).slice(0, 20_000)}` });
            throw again;
          }
          await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        }
      }
      throw err;
    };

    const record = (current: Ticket, withStatus: boolean): Decision<Ticket> => {
      if (failure) return { ok: true, value: { ...current, version: current.version + 1, updatedAt: now }, events: [{ type: "reply.failed", data: { messageId, channel, error: message.deliveryError } }], effects: [] };
      const decision = applyTicketAction(current, { type: "agent_reply", messageId, automatic: message.automatic || authorKind !== "agent", ...(withStatus && input.status ? { status: input.status } : {}) }, now);
      if (!decision.ok) return decision;
      const drafts: EventDraft[] = [{ type: eventType, data: { messageId, channel, authorKind, automatic: message.automatic, visibility: message.visibility, template: input.template?.name ?? null } }, ...decision.events];
      return withJobEffects(current, { ok: true, value: decision.value, events: drafts, effects: [...decision.effects] }, now);
    };
    const insert = async (tx: StoreOps) => { await tx.insertMessage(message); };
    let saved: Ticket;
    try {
      ({ ticket: saved } = await mutateTicket(ticketId, actor, (current) => record(current, true), insert));
    } catch (err) {
      // The message left (or its failure is known): it must be on record whatever went wrong.
      saved = await recordAfterSend(err);
    }
    if (failure) {
      emitter.emit("message.failed", { ticket: saved, message, error: failure });
      throw failure instanceof Error ? failure : new StoredeskError({ code: "PROVIDER_ERROR", message: "The channel failed to send", cause: failure });
    }
    emitter.emit("message.sent", { ticket: saved, message });
    // A receipt that beat the write (fast providers) was parked: look for it now that the message
    // is committed (race-free with the receipt side's own second look), and apply it as a receipt.
    if (message.externalId && adapter.capabilities.deliveryReceipts) {
      const early = await store.transaction((tx) => parkedReceipt(tx, channel, message.externalId!));
      if (early) await ingestDelivery({ type: "delivery", channel, externalId: message.externalId, status: early.status, occurredAt: now, error: early.error }, false);
    }
    if (known) known.saved = saved; // hand the saved ticket back to the ingest path: no re-read
    return message;
  }

  // ------------------------------------------------------------ agent actions

  async function act(ticketId: string, action: TicketAction, actor: ActorInput | undefined, at?: Date): Promise<Ticket> {
    const who = toActor(actor === undefined ? undefined : parseInput(ActorSchema, actor, "actor"));
    const { ticket } = await mutateTicket(ticketId, who, (current, _tx, now) => withJobEffects(current, applyTicketAction(current, action, now), now), undefined, at ? { at } : {});
    return ticket;
  }

  /** Timers that follow the status: auto-close after solving; nothing left running once closed. */
  function withJobEffects(before: Ticket, decision: Decision<Ticket>, now: Date): Decision<Ticket> {
    if (!decision.ok) return decision;
    const status = decision.value.status;
    if (status === "solved" && before.status !== "solved") {
      decision.effects.push({ type: "schedule", job: { key: `autoclose:${before.id}`, type: AUTO_CLOSE_JOB, ticketId: before.id, runAt: new Date(now.getTime() + autoCloseMs), payload: {} } });
    }
    if (status === "closed" && before.status !== "closed") decision.effects.push(...closingEffects(before.id));
    return decision;
  }

  async function linkIdentities(customerId: string, identities: Identity[], opts: { onlyUnowned?: boolean } = {}): Promise<Customer> {
    const parsed = identities.map((i, n) => normalizeIdentity(parseInput(IdentitySchema, i, `identity ${n}`)));
    const { customer, linked } = await withTx(async (tx) => {
      const current = await tx.getCustomer(customerId);
      if (!current) throw new StoredeskError({ code: "NOT_FOUND", message: `Customer ${customerId} not found`, path: ["customerId"] });
      const adding: Identity[] = [];
      for (const identity of parsed) {
        const owner = await tx.findCustomerByIdentity(identity);
        if (owner?.id === current.id) continue;
        if (owner) {
          if (opts.onlyUnowned) continue;
          throw new StoredeskError({ code: "CONFLICT", message: `${identity.kind} identity belongs to another customer; merge the customers instead`, details: { customerId: owner.id, duplicate: true } });
        }
        adding.push(identity);
      }
      if (adding.length === 0) return { customer: current, linked: adding };
      const next = { ...current, identities: [...current.identities, ...adding], updatedAt: clock.now() };
      await tx.updateCustomer(next);
      return { customer: next, linked: adding };
    });
    if (linked.length > 0) emitter.emit("customer.linked", { customer, identities: linked });
    return customer;
  }

  // ------------------------------------------------------------- scheduler

  async function runJob(job: Job, now: Date): Promise<void> {
    if (!job.ticketId) return;
    const ticketId = job.ticketId;
    switch (job.type) {
      case SLA_JOB: {
        const ticket = await store.getTicket(ticketId);
        if (!ticket || ticket.status === "closed") return;
        await mutateTicket(ticketId, { kind: "system", id: "sla" }, (current) => ({ ok: true, value: current, events: [{ type: "sla.checked", data: { at: now.toISOString() } }], effects: [] }), undefined, { at: now });
        return;
      }
      case COMPLAINT_JOB: {
        const ticket = await store.getTicket(ticketId);
        if (!ticket?.complaint || ticket.status === "closed" || (ticket.complaint.step !== "inform" && ticket.complaint.step !== "resolve")) return;
        const customer = await store.getCustomer(ticket.customerId);
        const locale = customer?.locale ?? ticket.language;
        const rendered = renderTemplate(templates.get("complaint_update")!, { ticket: { ref: ticketRef(ticket) }, customer: { name: customer?.name ?? null } }, locale, { onMissing: "empty" });
        try {
          await sendOnTicket(ticketId, { text: rendered.body, authorKind: "system", automatic: true, purpose: "complaint_update" }, { kind: "system", id: "complaint" });
        } catch (err) {
          if (!StoredeskError.is(err, "REPLY_WINDOW_CLOSED")) throw err;
          // The channel only takes templates now and the shop maps this update to none: tell the
          // agents once and stop (no retry loop); a new customer message reopens the window.
          await mutateTicket(ticketId, { kind: "system", id: "complaint" }, (current) => ({
            ok: true, value: current,
            events: [{ type: "complaint.update_blocked", data: { reason: "reply_window_closed", suggestedTemplate: err.details?.suggestedTemplate ?? null } }],
            effects: [],
          }), undefined, { at: now });
          emitter.emit("error", { error: err, context: `complaint update of ticket ${ticketId}: the channel needs a template; an agent must write` });
          return;
        }
        await advance(ticketId, { type: "update_sent" }, { system: "complaint" }, { notifyCustomer: false });
        return;
      }
      case AUTO_CLOSE_JOB: {
        const ticket = await store.getTicket(ticketId);
        if (ticket?.status !== "solved" || !ticket.solvedAt || now.getTime() - ticket.solvedAt.getTime() < autoCloseMs - 1000) return;
        await act(ticketId, { type: "set_status", status: "closed" }, { system: "auto-close" }, now);
        return;
      }
      default:
        emitter.emit("error", { error: new StoredeskError({ code: "UNSUPPORTED", message: `Unknown job type ${job.type}` }), context: `job ${job.id}` });
    }
  }

  /**
   * Fires every scheduled job due at `now` (SLA warnings and breaches, complaint
   * updates, auto-close). Safe to call from several instances: the scheduler
   * leases each job to one of them. Returns how many jobs ran.
   */
  async function runDue(now: Date = clock.now(), opts: { limit?: number; leaseMs?: number } = {}): Promise<{ ran: number; failed: number }> {
    parseInput(z.date().refine((d) => !Number.isNaN(d.getTime()), "a valid date"), now, "time");
    if (!scheduler) throw new StoredeskError({ code: "UNSUPPORTED", message: "This store has no scheduler; pass one to createDesk" });
    let ran = 0;
    let failed = 0;
    for (;;) {
      const jobs = await scheduler.claimDue(now, { workerId, limit: opts.limit ?? 50, leaseMs: opts.leaseMs ?? 60_000 });
      if (jobs.length === 0) break;
      for (const job of jobs) {
        try {
          await runJob(job, now);
          await scheduler.complete(job);
          ran++;
        } catch (error) {
          failed++;
          emitter.emit("error", { error, context: `job ${job.type} ${job.id} (attempt ${job.attempts + 1} of ${MAX_JOB_ATTEMPTS})` });
          if (job.attempts + 1 >= MAX_JOB_ATTEMPTS) {
            // Give up loudly: an audit event on the ticket says what was not done.
            await scheduler.complete(job);
            if (job.ticketId) {
              await mutateTicket(job.ticketId, { kind: "system", id: "scheduler" }, (current) => ({ ok: true, value: current, events: [{ type: "job.abandoned", data: { job: job.type, key: job.key, attempts: job.attempts + 1, error: error instanceof Error ? error.message : "unknown" } }], effects: [] }))
                .catch((e: unknown) => emitter.emit("error", { error: e, context: `recording abandoned job ${job.id}` }));
            }
          } else {
            await scheduler.fail(job, new Date(now.getTime() + Math.min(3_600_000, 30_000 * 2 ** job.attempts)));
          }
        }
      }
      if (jobs.length < (opts.limit ?? 50)) break;
    }
    return { ran, failed };
  }

  async function advance(ticketId: string, input: ComplaintActionInput, actor: ActorInput, opts: { notifyCustomer?: boolean } = {}): Promise<Ticket> {
    const action = accept(ComplaintActionSchema, input, "complaint action");
    const who = toActor(parseInput(ActorSchema, actor, "actor"));
    const { ticket } = await mutateTicket(ticketId, who, (current, _tx, now) => {
      if (!current.complaint) {
        if (current.status === "closed") return { ok: false, error: new StoredeskError({ code: "TICKET_CLOSED", message: "Ticket is closed" }) };
        current = { ...current, complaint: openComplaint(now, { updateIntervalMinutes: complaintInterval }) };
      }
      const d = advanceComplaint(current.complaint!, action, now, { ticketId, by: who.id });
      if (!d.ok) return d;
      return { ok: true, value: { ...current, complaint: d.value }, events: d.events, effects: d.effects };
    });
    emitter.emit("complaint.advanced", { ticket, complaint: ticket.complaint! });
    if (action.type === "resolution_done" && opts.notifyCustomer !== false) {
      const customer = await store.getCustomer(ticket.customerId);
      const rendered = renderTemplate(templates.get("complaint_confirm")!, { ticket: { ref: ticketRef(ticket) }, customer: { name: customer?.name ?? null }, resolution: ticket.complaint?.resolution }, customer?.locale ?? ticket.language, { onMissing: "empty" });
      // The step is taken; a failed confirmation is on record as a failed message for an agent to resend.
      await sendOnTicket(ticketId, { text: rendered.body, authorKind: "system", automatic: true, purpose: "complaint_confirm" }, { kind: "system", id: "complaint" })
        .catch((error: unknown) => emitter.emit("error", { error, context: `complaint confirmation on ticket ${ticketId}` }));
    }
    return (await store.getTicket(ticketId)) ?? ticket;
  }

  // -------------------------------------------------------------- the API

  return {
    /** Subscribe to desk events (`ticket.created`, `sla.breached`, …). */
    on: emitter.on.bind(emitter),
    off: emitter.off.bind(emitter),
    once: emitter.once.bind(emitter),
    /** The store the desk writes to. */
    store,
    /** The registered channel adapters by id. */
    channels: channels as ReadonlyMap<string, ChannelAdapter>,
    /** Action plans by category. */
    actionPlans: actionPlans as ReadonlyMap<string, ActionPlan>,
    /** Known agents by id. */
    agents: agents as ReadonlyMap<string, NonNullable<DeskOptions["agents"]>[number]>,
    clock,

    /**
     * Takes one inbound event. Idempotent on `(channel, externalId)`: a redelivery
     * returns `duplicate` and writes nothing. Invalid input throws INVALID_INPUT
     * before anything is written.
     */
    ingest,

    /**
     * A Web-standard webhook handler for a channel: verifies and parses with the
     * adapter, ingests every event, and answers 5xx when an event could not be
     * stored so the provider redelivers (redelivery is safe).
     */
    webhook(channelId: string): (request: Request) => Promise<Response> {
      const adapter = adapterFor(channelId);
      if (!adapter) {
        const missing = new StoredeskError({ code: "NOT_FOUND", message: `No channel adapter "${channelId}" is registered`, path: ["channelId"] });
        return async () => errorResponse(missing);
      }
      return async (request) => {
        let handled;
        try {
          handled = await adapter.handleWebhook(request);
        } catch (err) {
          return errorResponse(err);
        }
        // Each event on its own: one the desk refuses as invalid must not hold back the others (a
        // redelivery would be refused again). Any other failure asks the provider to deliver
        // again, so nothing it sent is lost; redelivery of what did land is a no-op.
        let retry: unknown = null;
        for (const event of handled.events) {
          try {
            await ingest(event);
          } catch (err) {
            const context = `ingest from ${channelId} webhook`;
            if (StoredeskError.is(err, "INVALID_INPUT")) {
              emitter.emit("error", { error: err, context: `${context}: event refused and skipped (${JSON.stringify(event).slice(0, 500)})` });
            } else {
              emitter.emit("error", { error: err, context });
              retry = err;
            }
          }
        }
        if (retry) return errorResponse(new StoredeskError({ code: "PROVIDER_UNAVAILABLE", message: "Could not store every event; deliver them again", cause: retry }));
        return handled.response;
      };
    },

    /** Sends a public reply on the ticket's channel (or `input.channel`). Checks the reply window first. */
    async reply(ticketId: string, input: ReplyInput): Promise<Message> {
      const parsed = accept(ReplyInputSchema, input, "reply");
      const actor: Actor = parsed.agentId ? { kind: "agent", id: parsed.agentId } : { kind: parsed.authorKind ?? "system", id: null };
      return sendOnTicket(ticketId, parsed, actor);
    },

    /** Adds an internal note no customer sees. */
    async note(ticketId: string, input: { text: string; agentId?: string | null }): Promise<Message> {
      const parsed = accept(z.object({ text: z.string().trim().min(1).max(100_000), agentId: z.string().min(1).nullable().optional() }), input, "note");
      const actor: Actor = parsed.agentId ? { kind: "agent", id: parsed.agentId } : { kind: "system", id: null };
      const messageId = newId();
      let message!: Message;
      await mutateTicket(ticketId, actor, (current, _tx, now) => {
        message = { id: messageId, ticketId, direction: "note", authorKind: actor.kind, authorId: actor.id, channel: current.channel, externalId: null, text: parsed.text, html: null, attachments: [], deliveryStatus: "received", deliveryError: null, visibility: "internal", automatic: false, createdAt: now, meta: {} };
        const d = applyTicketAction(current, { type: "note", messageId }, now);
        return d.ok ? { ...d, events: [{ type: "note.added", data: { messageId, authorKind: actor.kind, channel: current.channel } }] } : d;
      }, async (tx) => { await tx.insertMessage(message); });
      return message;
    },

    /** Assigns a ticket to an agent and/or team (a new ticket becomes open). */
    async assign(ticketId: string, input: { agentId: string | null; team?: string | null }, actor?: ActorInput): Promise<Ticket> {
      const parsed = accept(z.object({ agentId: z.string().min(1).nullable(), team: z.string().min(1).nullable().optional() }), input, "assignment");
      return act(ticketId, { type: "assign", assigneeId: parsed.agentId, ...(parsed.team !== undefined ? { team: parsed.team } : {}) }, actor);
    },
    /** Moves a ticket to another status (legal transitions only: ILLEGAL_TRANSITION otherwise). */
    async setStatus(ticketId: string, status: string, actor?: ActorInput): Promise<Ticket> {
      return act(ticketId, { type: "set_status", status: parseInput(TicketStatusSchema, status, "status") }, actor);
    },
    /** Sets the priority. */
    async setPriority(ticketId: string, priority: string, actor?: ActorInput): Promise<Ticket> {
      return act(ticketId, { type: "set_priority", priority: parseInput(PrioritySchema, priority, "priority") }, actor);
    },
    /** Sets the category (re-targets the SLA). */
    async setCategory(ticketId: string, category: string, actor?: ActorInput): Promise<Ticket> {
      return act(ticketId, { type: "set_category", category: parseInput(CategorySchema, category, "category") }, actor);
    },
    /** Replaces the tags. */
    async setTags(ticketId: string, tags: string[], actor?: ActorInput): Promise<Ticket> {
      return act(ticketId, { type: "set_tags", tags: accept(z.array(z.string().trim().min(1).max(100)).max(100), tags, "tags") }, actor);
    },
    /** Sets several fields at once, in one transaction: all land (each audited) or none. */
    async update(ticketId: string, fields: TicketFieldsInput, actor?: ActorInput): Promise<Ticket> {
      const parsed = accept(z.strictObject({ status: TicketStatusSchema.optional(), priority: PrioritySchema.optional(), category: CategorySchema.optional(), tags: z.array(z.string().trim().min(1).max(100)).max(100).optional() }), fields, "ticket fields");
      const who = toActor(actor === undefined ? undefined : parseInput(ActorSchema, actor, "actor"));
      const actions: TicketAction[] = [];
      if (parsed.priority) actions.push({ type: "set_priority", priority: parsed.priority });
      if (parsed.category) actions.push({ type: "set_category", category: parsed.category });
      if (parsed.tags) actions.push({ type: "set_tags", tags: parsed.tags });
      if (parsed.status) actions.push({ type: "set_status", status: parsed.status });
      const { ticket } = await mutateTicket(ticketId, who, (current, _tx, now) => {
        let value = current;
        const events: EventDraft[] = [];
        const effects: Effect[] = [];
        for (const action of actions) {
          const d = applyTicketAction(value, action, now);
          if (!d.ok) return d;
          // Each step bumps the version; the save bumps it once for the whole update.
          value = { ...d.value, version: current.version };
          events.push(...d.events);
          effects.push(...d.effects);
        }
        return withJobEffects(current, { ok: true, value: events.length > 0 ? { ...value } : current, events, effects }, now);
      });
      return ticket;
    },

    /**
     * Merges `sourceId` into `targetId` (both of one customer): the source's
     * messages move to the target, the source closes with `mergedInto` set, and
     * both get an audit event. Later mail to the source threads onto the target.
     */
    async merge(sourceId: string, targetId: string, actor?: ActorInput): Promise<Ticket> {
      parseInput(IdSchema, sourceId, "source ticket id");
      parseInput(IdSchema, targetId, "target ticket id");
      if (sourceId === targetId) throw new StoredeskError({ code: "INVALID_INPUT", message: "A ticket cannot be merged into itself", path: ["targetId"] });
      const who = toActor(actor === undefined ? undefined : parseInput(ActorSchema, actor, "actor"));
      const result = await withTx(async (tx) => {
        const now = clock.now();
        const [source, target] = [await tx.getTicket(sourceId), await tx.getTicket(targetId)];
        if (!source || !target) throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${!source ? sourceId : targetId} not found` });
        if (source.customerId !== target.customerId) throw new StoredeskError({ code: "INVALID_INPUT", message: "Only tickets of one customer can be merged", path: ["targetId"] });
        if (target.status === "closed") throw new StoredeskError({ code: "TICKET_CLOSED", message: "Cannot merge into a closed ticket", path: ["targetId"] });
        const s = applyTicketAction(source, { type: "merge_into", targetTicketId: target.id }, now);
        if (!s.ok) throw s.error;
        const t = applyTicketAction(target, { type: "absorb", sourceTicketId: source.id, sourceNumber: source.number }, now);
        if (!t.ok) throw t.error;
        const moved = await tx.moveMessages(source.id, target.id);
        await applyStoreEffects(tx, [...s.effects, ...closingEffects(source.id)]);
        await appendEvents(tx, source.id, s.events, who, now);
        await tx.updateTicket(s.value, source.version);
        const saved = await saveTicket(tx, target, { ...t.value, tags: [...new Set([...target.tags, ...source.tags])] }, t.events.map((e) => ({ ...e, data: { ...e.data, movedMessages: moved } })), who, now);
        return saved;
      });
      emitter.emit("ticket.updated", { ticket: result.ticket, events: result.events });
      return result.ticket;
    },

    /** Moves a complaint through listen → apologize → resolve → inform → confirm → closed. */
    advanceComplaint: advance,

    /**
     * Sends a message to a customer outside a conversation (order updates,
     * welcome). Uses `ticketId` when given; otherwise opens a solved ticket that
     * a customer reply reopens with the context.
     */
    async sendToCustomer(customerId: string, input: { text: string; subject?: string | null; channel?: string; template?: ReplyInput["template"]; reason: string; ticketId?: string; category?: string }): Promise<{ ticket: Ticket; message: Message }> {
      const parsed = accept(z.object({ text: z.string().min(1).max(100_000), subject: z.string().max(1000).nullable().optional(), channel: z.string().min(1).optional(), reason: z.string().trim().min(1).max(100), ticketId: z.string().min(1).optional(), category: CategorySchema.optional(), template: z.object({ name: z.string(), language: z.string(), parameters: z.record(z.string(), z.unknown()).optional() }).nullable().optional() }), input, "outbound message");
      const customer = await store.getCustomer(customerId);
      if (!customer) throw new StoredeskError({ code: "NOT_FOUND", message: `Customer ${customerId} not found`, path: ["customerId"] });
      let ticketId = parsed.ticketId;
      if (ticketId) {
        const named = await store.getTicket(ticketId);
        if (!named) throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${ticketId} not found`, path: ["ticketId"] });
        if (named.customerId !== customerId) throw new StoredeskError({ code: "INVALID_INPUT", message: "That ticket belongs to another customer", path: ["ticketId"] });
      }
      let proactive: Ticket | null = null;
      if (!ticketId) {
        const recent = await store.listTickets({ customerId, newestFirst: true, limit: 20 });
        const preferred = (customer.attributes.preferredChannel as string | undefined) ?? null;
        const channel = parsed.channel ?? [preferred, ...recent.map((t) => t.channel), ...customer.identities.map((i) => (i.kind === "phone" ? "whatsapp" : i.kind))]
          .find((c): c is string => !!c && channels.has(c));
        if (!channel) throw new StoredeskError({ code: "NOT_FOUND", message: "No registered channel reaches this customer", path: ["channel"] });
        // Refuse before opening a ticket when the channel would refuse the message anyway.
        const adapter = channels.get(channel)!;
        const lastInboundAt = recent.find((t) => t.channel === channel)?.lastCustomerMessageAt ?? null;
        let template = parsed.template ?? null;
        if (!template && adapter.capabilities.replyWindow && adapter.replyWindow) {
          const lastTicket = recent.find((t) => t.channel === channel) ?? null;
          const window = adapter.replyWindow({ ticket: lastTicket ?? ({ channel, customerId } as Ticket), lastInboundAt, authorKind: "system" }, clock.now());
          if (window.kind === "template_only") {
            template = lastTicket && options.templateOutsideWindow
              ? options.templateOutsideWindow({ channel, purpose: "proactive", ticket: lastTicket, customer, text: parsed.text, suggestedTemplate: window.suggestedTemplate ?? null })
              : null;
            if (!template) {
              throw new StoredeskError({ code: "REPLY_WINDOW_CLOSED", message: `The ${channel} window is closed: send a template${window.suggestedTemplate ? ` such as "${window.suggestedTemplate}"` : ""}`, details: { channel, suggestedTemplate: window.suggestedTemplate ?? null, reason: window.reason } });
            }
          }
        }
        parsed.template = template;
        const created = await withTx(async (tx) => {
          const now = clock.now();
          const number = await tx.nextTicketNumber();
          const ticket: Ticket = {
            id: newId(), number, subject: parsed.subject ?? parsed.reason, status: "new", priority: "low", category: parsed.category ?? "other", channel,
            kind: "conversation", customerId, assigneeId: null, team: null, tags: ["proactive", parsed.reason], language: customer.locale ?? defaultLocale,
            conversationKey: null, version: 1, createdAt: now, updatedAt: now, lastCustomerMessageAt: recent.find((t) => t.channel === channel)?.lastCustomerMessageAt ?? null,
            firstRepliedAt: null, solvedAt: null, closedAt: null, followUpOf: null, mergedInto: null, slaDueAt: null, sla: null, complaint: null, meta: { proactive: parsed.reason },
          };
          const saved = await saveTicket(tx, null, ticket, [{ type: "ticket.created", data: { status: "new", priority: "low", category: ticket.category, channel, tags: ticket.tags, proactive: parsed.reason } }], { kind: "system", id: parsed.reason }, now);
          return saved.ticket;
        });
        ticketId = created.id;
        proactive = created;
        emitter.emit("ticket.created", { ticket: created, message: null, classification: null });
      }
      const message = await sendOnTicket(ticketId, { text: parsed.text, subject: parsed.subject ?? null, authorKind: "system", automatic: true, purpose: "proactive", template: parsed.template ?? null, ...(parsed.channel ? { channel: parsed.channel } : {}), ...(parsed.ticketId ? {} : { status: "solved" as const }) }, { kind: "system", id: parsed.reason })
        .catch(async (err: unknown) => {
          // Solve the ticket opened for it so no SLA clock runs on it (a send that failed is on record as a failed message).
          if (proactive) await act(proactive.id, { type: "set_status", status: "solved" }, { system: parsed.reason }).catch(() => undefined);
          throw err;
        });
      return { ticket: (await store.getTicket(ticketId))!, message };
    },

    /** A ticket by id (following merges to the ticket that lives on); NOT_FOUND otherwise. */
    getTicket: async (id: string): Promise<Ticket> => {
      const t = await liveTicket(store, await store.getTicket(parseInput(IdSchema, id, "ticket id")));
      if (!t) throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${id} not found` });
      return t;
    },
    /** A ticket by its number (`SD-<number>`), or null. */
    getTicketByNumber: async (n: number) => store.getTicketByNumber(parseInput(z.number().int().positive(), n, "ticket number")),
    /** Tickets matching a query (status, customer, channel, conversation, SLA due before…). */
    listTickets: async (query: TicketQuery = {}) => store.listTickets(parseInput(TicketQuerySchema, query, "ticket query")),
    /** A ticket's messages, oldest first (inbound, outbound and internal notes). */
    listMessages: async (ticketId: string) => store.listMessages(parseInput(IdSchema, ticketId, "ticket id")),
    /** A ticket's append-only audit log, by `seq`. */
    listEvents: async (ticketId: string) => store.listEvents(parseInput(IdSchema, ticketId, "ticket id")),
    /**
     * Merges two customer records that turn out to be one person (an email customer who also
     * writes on WhatsApp): the source's identities, tickets and missing profile fields move to
     * the target, the source keeps `mergedInto` (lookups follow it), and every moved ticket gets
     * a `customer.merged` audit event. Identity lookups and threading follow `mergedInto`
     * (`getCustomer(oldId)` still returns the emptied record, with `mergedInto` set).
     * One customer across channels is one customer.
     *
     * @example
     * await desk.mergeCustomers(whatsappCustomerId, emailCustomerId, { agentId: "kim" });
     */
    async mergeCustomers(sourceId: string, targetId: string, actor?: ActorInput): Promise<Customer> {
      parseInput(IdSchema, sourceId, "source customer id");
      parseInput(IdSchema, targetId, "target customer id");
      if (sourceId === targetId) throw new StoredeskError({ code: "INVALID_INPUT", message: "A customer cannot be merged into itself", path: ["targetId"] });
      const who = toActor(actor === undefined ? undefined : parseInput(ActorSchema, actor, "actor"));
      const result = await withTx(async (tx) => {
        const now = clock.now();
        const [source, target] = [await tx.getCustomer(sourceId), await tx.getCustomer(targetId)];
        if (!source || !target) throw new StoredeskError({ code: "NOT_FOUND", message: `Customer ${!source ? sourceId : targetId} not found` });
        if (source.mergedInto || target.mergedInto) throw new StoredeskError({ code: "INVALID_INPUT", message: "A customer already merged into another cannot take part in a merge", path: [source.mergedInto ? "sourceId" : "targetId"] });
        // Free the identities first: each belongs to one customer at a time.
        // The source keeps only its id and the pointer: its personal data lives on in the target,
        // so erasing the target erases the person.
        await tx.updateCustomer({ ...source, identities: [], name: null, locale: null, attributes: {}, mergedInto: target.id, updatedAt: now });
        const merged: Customer = {
          ...target,
          identities: [...target.identities, ...source.identities],
          name: target.name ?? source.name,
          locale: target.locale ?? source.locale,
          attributes: { ...source.attributes, ...target.attributes },
          updatedAt: now,
        };
        await tx.updateCustomer(merged);
        const moved = await tx.listTickets({ customerId: source.id });
        for (const ticket of moved) {
          await tx.updateTicket({ ...ticket, customerId: target.id, version: ticket.version + 1, updatedAt: now }, ticket.version);
          await appendEvents(tx, ticket.id, [{ type: "customer.merged", data: { from: source.id, to: target.id } }], who, now);
        }
        return { customer: merged, moved: moved.length, identities: source.identities };
      });
      contextCache.delete(sourceId);
      contextCache.delete(targetId);
      if (result.identities.length > 0) emitter.emit("customer.linked", { customer: result.customer, identities: result.identities });
      return result.customer;
    },
    /** A customer by id, or null. */
    getCustomer: async (id: string) => store.getCustomer(parseInput(IdSchema, id, "customer id")),
    /** The customer holding an identity (normalized first: `Kim@Example.com` finds `kim@example.com`), or null. */
    findCustomer: async (identity: Identity) => store.findCustomerByIdentity(normalizeIdentity(parseInput(IdentitySchema, identity, "identity"))),
    /** Adds identities (a phone, a Shopify id…) to a customer; CONFLICT if another customer holds one. */
    linkIdentities: (customerId: string, identities: Identity[]) => linkIdentities(customerId, identities),
    /** The customer's commerce context (cached), or null without a commerce provider. */
    async commerceContext(customerId: string, opts: { refresh?: boolean } = {}): Promise<CustomerContext | null> {
      const customer = await store.getCustomer(parseInput(IdSchema, customerId, "customer id"));
      if (!customer) throw new StoredeskError({ code: "NOT_FOUND", message: `Customer ${customerId} not found` });
      return commerceContextFor(customer, opts.refresh);
    },
    /** Records an audit event on a ticket (used by plugins such as commerce actions). */
    async recordEvent(ticketId: string, type: string, data: Record<string, unknown>, actor?: ActorInput): Promise<Ticket> {
      const parsed = accept(z.object({ type: z.string().regex(/^[a-z][a-z0-9_.-]{1,99}$/, "event type: lowercase words with . _ -"), data: z.record(z.string(), z.unknown()) }), { type, data }, "event");
      const who = toActor(actor === undefined ? undefined : parseInput(ActorSchema, actor, "actor"));
      const { ticket } = await mutateTicket(ticketId, who, (current) => ({ ok: true, value: current, events: [{ type: parsed.type, data: asJson(parsed.data) }], effects: [] }));
      return ticket;
    },
    /** Everything stored about a customer (privacy data request). */
    async exportCustomer(customerId: string): Promise<CustomerExport> {
      const customer = await store.getCustomer(parseInput(IdSchema, customerId, "customer id"));
      if (!customer) throw new StoredeskError({ code: "NOT_FOUND", message: `Customer ${customerId} not found` });
      const tickets = await store.listTickets({ customerId });
      return {
        customer,
        tickets: await Promise.all(tickets.map(async (ticket) => ({ ticket, messages: await store.listMessages(ticket.id), events: await store.listEvents(ticket.id) }))),
        commerce: contextCache.get(customerId)?.context ?? null,
        exportedAt: clock.now().toISOString(),
      };
    },
    /** Erases a customer and everything about them (privacy redaction). */
    async eraseCustomer(customerId: string): Promise<{ tickets: number }> {
      parseInput(IdSchema, customerId, "customer id");
      contextCache.delete(customerId);
      return withTx((tx) => tx.deleteCustomer(customerId));
    },
    /** Renders a registered template. */
    renderTemplate(templateId: string, variables: Record<string, unknown>, locale: string) {
      const t = templates.get(templateId);
      if (!t) throw new StoredeskError({ code: "NOT_FOUND", message: `Template ${templateId} not found`, path: ["templateId"] });
      return renderTemplate(t, variables, locale);
    },
    /**
     * Renders a registered template for a ticket, in the customer's language, with the ticket's
     * variables (`{{order.name}}`, `{{tracking.url}}`, `{{order.estimatedDelivery}}`, `{{customer.name}}`…)
     * plus `extra`. Missing variables throw INVALID_INPUT naming them.
     *
     * @example
     * const { body } = await desk.renderForTicket("wismo", ticketId);
     * await desk.reply(ticketId, { text: body, agentId });
     */
    async renderForTicket(templateId: string, ticketId: string, extra: Record<string, unknown> = {}) {
      const t = templates.get(parseInput(IdSchema, templateId, "template id"));
      if (!t) throw new StoredeskError({ code: "NOT_FOUND", message: `Template ${templateId} not found`, path: ["templateId"] });
      const ticket = await liveTicket(store, await store.getTicket(parseInput(IdSchema, ticketId, "ticket id")));
      if (!ticket) throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${ticketId} not found`, path: ["ticketId"] });
      const customer = await store.getCustomer(ticket.customerId);
      return renderTemplate(t, { ...ticketVariables(ticket, customer), ...extra }, customer?.locale ?? ticket.language ?? defaultLocale);
    },
    runDue,
    /** Polls `runDue` with a real timer (servers). Returns a stop function. */
    startScheduler(intervalMs = 5_000): () => void {
      const timer = setInterval(() => { runDue().catch((error: unknown) => emitter.emit("error", { error, context: "scheduler" })); }, intervalMs);
      timer.unref?.();
      return () => clearInterval(timer);
    },
  };
}

/** Key of a parked receipt: channel and status hold no ":", so the external id can come last as it is. */
function parkedKey(channel: string, externalId: string, status: DeliveryStatus): string {
  return `${channel}:${status}:${externalId}`;
}

/** Every timer a ticket can have, cancelled when it closes or is merged away. */
function closingEffects(ticketId: string): Effect[] {
  return [`sla:${ticketId}`, complaintUpdateJobKey(ticketId), `autoclose:${ticketId}`].map((key) => ({ type: "cancel_job" as const, key }));
}

function firstLine(text: string): string | null {
  const line = text.split(/\r?\n/).find((l) => l.trim().length > 0)?.trim() ?? "";
  if (!line) return null;
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}

/** Convenience: the `Priority` type re-exported for desk users. */
export type { Priority, Classification };
