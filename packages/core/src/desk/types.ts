import type { ActionPlanInput } from "../domain/action-plan.js";
import type { Customer, Identity } from "../domain/customer.js";
import type { CustomerEvent } from "../domain/customer-event.js";
import type { Category, Priority, TicketStatus } from "../domain/enums.js";
import type { TicketEvent } from "../domain/event.js";
import type { Message } from "../domain/message.js";
import type { TemplateInput } from "../domain/template.js";
import type { Ticket } from "../domain/ticket.js";
import type { ComplaintCase } from "../domain/complaint.js";
import type { Classifier, Classification } from "../classify/classify-text.js";
import type { ChannelAdapter } from "../ports/channel.js";
import type { Clock } from "../ports/clock.js";
import type { CommerceProvider, CustomerContext } from "../ports/commerce.js";
import type { Scheduler } from "../ports/scheduler.js";
import type { Store } from "../ports/store.js";
import type { SlaPolicy } from "../sla/index.js";
import type { BusinessCalendar } from "../calendar/index.js";
import type { ActionPlan } from "../domain/action-plan.js";
import type { InboundEventInput } from "../domain/inbound.js";
import type { ComplaintActionInput } from "../complaint/advance-complaint.js";
import type { RootCause } from "../complaint/root-causes.js";
import type { RenderedTemplate } from "../template/render-template.js";
import type { TicketQuery } from "../ports/store.js";
import type { AnyDeskPlugin } from "../ports/desk-plugin.js";
import type { RunDueResult } from "./jobs/run-due.js";

/** An agent the desk knows: used for limits (role) and routing (team). */
export interface Agent {
  id: string;
  name?: string;
  role: string;
  team?: string | null;
}

/** Options of a desk's webhook handlers (`DeskOptions.webhook`, or `desk.webhook(channelId, options)`). */
export interface WebhookOptions {
  /**
   * Most events taken from one request body (default 1,000: Meta documents its Graph webhooks
   * as batches of at most that many updates). A body whose parse yields more is refused whole with 413 (`INVALID_INPUT`,
   * `details: { tooLarge: true, maxEvents, events }`), nothing of it stored, and reported
   * through the `error` event. A positive integer.
   */
  maxEvents?: number;
}

/** Options of {@link createDesk}. Only `store` is required. */
export interface DeskOptions {
  store: Store;
  /** Defaults to the store's own scheduler. */
  scheduler?: Scheduler;
  clock?: Clock;
  channels?: ChannelAdapter[];
  commerce?: CommerceProvider;
  /** Replaces the rule-based classifier. */
  classifier?: Classifier;
  /** Shop templates; an id equal to a default one (`auto_ack`, `complaint_update`, `complaint_confirm`) replaces it. */
  templates?: TemplateInput[];
  actionPlans?: ActionPlanInput[];
  agents?: Agent[];
  sla?: {
    /**
     * Ordered; the first matching policy applies. Defaults to {@link defaultSlaPolicies}: in
     * business time when `calendar` is given, in calendar time when not.
     */
    policies?: SlaPolicy[];
    /** Business hours for business-time targets; null = calendar time only. */
    calendar?: BusinessCalendar | null;
  };
  shop?: {
    name?: string;
    /** Language for customers whose language is unknown. Default `ko`. */
    defaultLocale?: string;
    /** IANA zone for times shown to customers. Default `Asia/Seoul`. */
    timeZone?: string;
  };
  /** Auto-acknowledge new tickets (default true). `channels` limits it to some channels. */
  autoAcknowledge?: boolean | { channels?: string[] };
  /**
   * Whether a message the shop sends from the provider's own inbox (an echo) to a conversation
   * with no open ticket opens one, `pending` on the customer, tagged `provider-inbox` (default
   * true). `false` records echoes only on open tickets; `channels` limits it to some channels.
   */
  openTicketsFromEchoes?: boolean | { channels?: string[] };
  complaint?: {
    updateIntervalMinutes?: number;
    /**
     * The causes an agent may record when a complaint closes (by id or by name); default
     * `DEFAULT_ROOT_CAUSES`. Anything else is refused with INVALID_INPUT.
     */
    rootCauses?: RootCause[];
  };
  commerceContext?: {
    /** Cache lifetime of a customer's commerce context. Default 5 minutes. */
    ttlMs?: number;
    /** Customers who spent at least this much get at least `high` priority. */
    highValueTotalSpent?: number;
    /**
     * How long ingest (and so a webhook's answer) waits for the commerce provider and other
     * after-commit hooks before going on without them (they finish in the background). Default 1,500 ms.
     */
    budgetMs?: number;
  };
  /** Plugins, after the built-in ones; a plugin with a built-in's id (`sla`, `complaint`…) replaces it. */
  plugins?: readonly AnyDeskPlugin[];
  /** Turns built-in plugins off (`false`); their options above keep configuring them otherwise. */
  builtins?: {
    sla?: boolean;
    complaint?: boolean;
    autoClose?: boolean;
    autoAcknowledge?: boolean;
    commerceContext?: boolean;
  };
  /** Solved tickets close after this many hours without a customer reply (default 96). */
  autoCloseAfterHours?: number;
  /** Id generator (default crypto.randomUUID). */
  newId?: () => string;
  /** Name of this instance in job leases. */
  workerId?: string;
  /**
   * The channel template for an automatic message (acknowledgement, complaint update or
   * confirmation, proactive notice) when the channel only takes templates now (WhatsApp and
   * Messenger after their window). Return null when there is none: the send is refused with
   * REPLY_WINDOW_CLOSED (a complaint update records `complaint.update_blocked` for the agents).
   */
  templateOutsideWindow?: (context: {
    channel: string;
    purpose: AutomaticPurpose;
    ticket: Ticket;
    customer: Customer;
    text: string;
    suggestedTemplate: string | null;
  }) => { name: string; language: string; parameters?: Record<string, unknown> } | null;
  /**
   * The outbox every outbound message goes through (replies, acknowledgements, complaint
   * updates, proactive notices, plugins' sends): written `queued` with the decision that makes
   * it, sent after commit, retried with backoff, `failed` after the last attempt.
   */
  outbox?: OutboxOptions;
  /** Defaults of every `desk.webhook(channelId)` handler (each may override them). */
  webhook?: WebhookOptions;
  /** Close the store in `desk.close()` (set it when the desk is the store's only user). Default false. */
  ownsStore?: boolean;
  /** Extra routing after classification: return fields to set on a new ticket. */
  route?: (
    ticket: Ticket,
    classification: Classification,
  ) => Partial<Pick<Ticket, "team" | "assigneeId" | "priority" | "tags">> | void;
}

/** Options of the desk's outbox ({@link DeskOptions.outbox}). */
export interface OutboxOptions {
  /**
   * What `reply`, `sendToCustomer`, `retryMessage` and `ingest` (for its acknowledgement) wait
   * for by default: `queued` (the commit; the send runs right after, in the background) or
   * `sent` (the first attempt's answer). Default `queued`.
   */
  wait?: "queued" | "sent";
  /** Attempts before a message is marked `failed` (default 5). */
  maxAttempts?: number;
  /** How long one attempt may take before it counts as unanswered (default 20,000 ms). */
  sendTimeoutMs?: number;
  /** How long the instance that queued a message holds it before another may send it (default 60,000 ms, and > sendTimeoutMs). */
  leaseMs?: number;
  /** First retry delay, doubled per attempt with jitter, at least the provider's Retry-After (default 30,000 ms). */
  backoffMs?: number;
}

/** How long a send call waits: `queued` (the commit) or `sent` (the first attempt). */
export interface SendOptions {
  wait?: "queued" | "sent";
}

/** Why the desk sends a message by itself. */
export type AutomaticPurpose = "auto_ack" | "complaint_update" | "complaint_confirm" | "proactive";

/** What `ingest` did. */
export interface IngestResult {
  /**
   * `parked`: a receipt for a message not (yet) recorded; applied if that message is recorded
   * later (receipts for messages storedesk never sent stay parked). Replaces the earlier `ignored`.
   * `external_reply`: an echo (a message the shop sent from the provider's own inbox) recorded on
   * its ticket as an agent's reply (on a ticket opened for it when there was none); `unmatched`:
   * an echo the desk could not place (no recipient, or `openTicketsFromEchoes` off), nothing recorded.
   */
  outcome:
    | "created"
    | "threaded"
    | "reopened"
    | "follow_up"
    | "duplicate"
    | "delivery"
    | "auto_reply"
    | "parked"
    | "external_reply"
    | "unmatched";
  ticket: Ticket | null;
  message: Message | null;
  /** Auto-acknowledgement sent for a new ticket, if any. */
  acknowledgement?: Message | null;
}

/** Who acts: an agent id, or the system/bot. */
export type ActorInput = { agentId: string } | { system: string } | { bot: string };

/** Reply input of {@link Desk.reply}. */
export interface ReplyInput {
  text: string;
  html?: string | null;
  subject?: string | null;
  agentId?: string | null;
  /** `bot` or `system` author instead of an agent. */
  authorKind?: "agent" | "bot" | "system";
  visibility?: "private" | "public";
  /** Send a channel template instead of free text (required outside a reply window). */
  template?: { name: string; language: string; parameters?: Record<string, unknown> } | null;
  /** Status to set with the reply (e.g. `pending`, `solved`). */
  status?: TicketStatus;
  /** Reply on another channel of the same customer. */
  channel?: string;
  options?: Record<string, unknown>;
  /** Counts as an automatic message (no SLA reply credit). */
  automatic?: boolean;
  /** For automatic messages: why it is sent (picks a template outside a reply window). */
  purpose?: AutomaticPurpose;
  /**
   * Files to send with the reply (at most 10), on a channel whose adapter declares
   * `capabilities.attachments`; any other channel refuses the reply with `UNSUPPORTED` before
   * anything is queued. A reply may be files alone (`text: ""`).
   */
  attachments?: ReplyAttachment[];
}

/**
 * A file of a reply: at a public http(s) URL the provider fetches, the provider's media id, or
 * inline as base64 (at most 5,000,000 characters; e-mail attaches it, chat channels need a URL or
 * a media id). One of `url`, `providerId`, `contentBase64` is required.
 */
export interface ReplyAttachment {
  /** A MIME type, e.g. `image/jpeg` or `application/pdf`. */
  contentType: string;
  filename?: string | null;
  /** Bytes, when known. */
  size?: number | null;
  url?: string | null;
  providerId?: string | null;
  contentBase64?: string | null;
}

/** The events a desk emits (eventemitter3). */
export interface DeskEvents {
  "ticket.created": [{ ticket: Ticket; message: Message | null; classification: Classification | null }];
  "ticket.updated": [{ ticket: Ticket; events: TicketEvent[] }];
  "message.received": [{ ticket: Ticket; message: Message }];
  /** An outbound message was written to the outbox (it is sent right after). */
  "message.queued": [{ ticket: Ticket; message: Message }];
  /** The provider took an outbound message (its id is on `message.externalId`). */
  "message.sent": [{ ticket: Ticket; message: Message }];
  "message.failed": [{ ticket: Ticket; message: Message; error: unknown }];
  "message.delivery": [{ message: Message; status: Message["deliveryStatus"] }];
  "sla.warning": [{ ticket: Ticket; metric: string; dueAt: Date | null }];
  "sla.breached": [{ ticket: Ticket; metric: string; dueAt: Date | null }];
  "sla.fulfilled": [{ ticket: Ticket; metric: string }];
  /** An SLA escalation asks to notify people (e-mail addresses, team names, webhook ids: the shop decides). */
  "sla.escalated": [{ ticket: Ticket; metric: string; notify: string[] }];
  "complaint.advanced": [{ ticket: Ticket; complaint: ComplaintCase }];
  "customer.linked": [{ customer: Customer; identities: Identity[] }];
  error: [{ error: unknown; context: string }];
  /** A plugin's own events (`plugin.<id>.<what>`), with the ticket when it is about one. */
  [event: `plugin.${string}`]: [Record<string, unknown> & { ticket?: Ticket }];
}

/** Everything the desk stores about one customer (privacy export). */
export interface CustomerExport {
  customer: Customer;
  tickets: Array<{ ticket: Ticket; messages: Message[]; events: TicketEvent[] }>;
  commerce: CustomerContext | null;
  exportedAt: string;
}

/** Fields an agent can set. */
export type TicketFieldsInput = {
  status?: TicketStatus;
  priority?: Priority;
  category?: Category;
  tags?: string[];
};

/** A listener of one desk event. */
export type DeskListener<E extends keyof DeskEvents> = (...args: DeskEvents[E]) => void;

/**
 * The support desk: what {@link createDesk} returns. Every method validates its input first
 * (INVALID_INPUT, nothing written) and every write happens in one store transaction.
 *
 * @example
 * const desk: Desk = createDesk({ store: memoryStore(), channels: [chat] });
 * desk.on("ticket.created", ({ ticket }) => console.log(ticket.number));
 * await desk.ingest(event);
 */
export interface Desk {
  /** Subscribes to a desk event (`ticket.created`, `sla.breached`, `message.failed`, …). */
  on<E extends keyof DeskEvents>(event: E, listener: DeskListener<E>): Desk;
  /** Removes a listener added with {@link Desk.on} or {@link Desk.once}. */
  off<E extends keyof DeskEvents>(event: E, listener?: DeskListener<E>): Desk;
  /** Subscribes to the next occurrence of a desk event only. */
  once<E extends keyof DeskEvents>(event: E, listener: DeskListener<E>): Desk;
  /** The store the desk writes to. */
  readonly store: Store;
  /** The registered channel adapters by id. */
  readonly channels: ReadonlyMap<string, ChannelAdapter>;
  /** Action plans by category. */
  readonly actionPlans: ReadonlyMap<string, ActionPlan>;
  /** Known agents by id. */
  readonly agents: ReadonlyMap<string, Agent>;
  /** The desk's clock. */
  readonly clock: Clock;
  /** Ids of the plugins the desk runs, built-in ones first, in the order their hooks run. */
  readonly plugins: readonly string[];

  /**
   * Takes one inbound event: a customer's message, a delivery receipt, or an echo (a reply the
   * shop typed in the provider's own inbox, recorded on its ticket as an agent's reply).
   * Idempotent on `(channel, externalId)`: a redelivery returns `duplicate` and writes nothing.
   */
  ingest(event: InboundEventInput): Promise<IngestResult>;
  /**
   * A Web-standard webhook handler for a channel: verifies and parses with the adapter,
   * ingests every event, answers 5xx when an event could not be stored (the provider redelivers).
   * A body with more than `maxEvents` events (`options`, else the desk's `webhook` option, else
   * 1,000) gets 413 and nothing of it is stored.
   *
   * @example
   * app.post("/webhooks/whatsapp", (c) => desk.webhook("whatsapp")(c.req.raw));
   * const bulk = desk.webhook("imports", { maxEvents: 5_000 });
   */
  webhook(channelId: string, options?: WebhookOptions): (request: Request) => Promise<Response>;

  /**
   * Replies on the ticket's channel (or `input.channel`) through the outbox: the reply window,
   * the plugins' `beforeSend` and the status change are checked first (a refusal throws and
   * writes nothing); the reply is written `queued` with the ticket's change and sent right
   * after. Returns the message `queued`, or with `{ wait: "sent" }` as the first attempt left
   * it (`sent`; still `queued` with a retry scheduled; a message that failed for good rejects).
   */
  reply(ticketId: string, input: ReplyInput, opts?: SendOptions): Promise<Message>;
  /**
   * Queues a `failed` outbound message again (same id), audited as `reply.retried`, and sends it.
   * INVALID_INPUT for any other message.
   */
  retryMessage(messageId: string, opts?: SendOptions & { actor?: ActorInput }): Promise<Message>;
  /**
   * Waits until every send this instance started has finished its attempt (scripts and tests;
   * retries scheduled for later run with `runDue`).
   */
  settle(): Promise<void>;
  /** Adds an internal note no customer sees. */
  note(ticketId: string, input: { text: string; agentId?: string | null }): Promise<Message>;
  /** Assigns a ticket to an agent and/or team (a new ticket becomes open). */
  assign(
    ticketId: string,
    input: { agentId: string | null; team?: string | null },
    actor?: ActorInput,
  ): Promise<Ticket>;
  /** Moves a ticket to another status (legal transitions only: ILLEGAL_TRANSITION otherwise). */
  setStatus(ticketId: string, status: string, actor?: ActorInput): Promise<Ticket>;
  /** Sets the priority. */
  setPriority(ticketId: string, priority: string, actor?: ActorInput): Promise<Ticket>;
  /** Sets the category (re-targets the SLA). */
  setCategory(ticketId: string, category: string, actor?: ActorInput): Promise<Ticket>;
  /** Replaces the tags. */
  setTags(ticketId: string, tags: string[], actor?: ActorInput): Promise<Ticket>;
  /** Sets several fields at once, in one transaction: all land (each audited) or none. */
  update(ticketId: string, fields: TicketFieldsInput, actor?: ActorInput): Promise<Ticket>;
  /**
   * Merges `sourceId` into `targetId` (both of one customer): the source's messages move to the
   * target, the source closes with `mergedInto` set, both get an audit event.
   */
  merge(sourceId: string, targetId: string, actor?: ActorInput): Promise<Ticket>;
  /** Moves a complaint through listen → apologize → resolve → inform → confirm → closed. */
  advanceComplaint(
    ticketId: string,
    input: ComplaintActionInput,
    actor: ActorInput,
    opts?: { notifyCustomer?: boolean },
  ): Promise<Ticket>;
  /**
   * Sends a message to a customer outside a conversation (order updates, welcome). Uses
   * `ticketId` when given; otherwise opens a solved ticket that a customer reply reopens.
   */
  sendToCustomer(
    customerId: string,
    input: SendToCustomerInput,
    opts?: SendOptions,
  ): Promise<{ ticket: Ticket; message: Message }>;

  /** A ticket by id (following merges to the ticket that lives on); NOT_FOUND otherwise. */
  getTicket(id: string): Promise<Ticket>;
  /** A ticket by its number (`SD-<number>`), or null. */
  getTicketByNumber(n: number): Promise<Ticket | null>;
  /** Tickets matching a query (status, customer, channel, conversation, SLA due before…). */
  listTickets(query?: TicketQuery): Promise<Ticket[]>;
  /** A ticket's messages, oldest first (inbound, outbound and internal notes). */
  listMessages(ticketId: string): Promise<Message[]>;
  /** A ticket's append-only audit log, by `seq`. */
  listEvents(ticketId: string): Promise<TicketEvent[]>;
  /**
   * Merges two customer records of one person: the source's identities, tickets and missing
   * profile fields move to the target; the source keeps `mergedInto` (lookups follow it); every
   * moved ticket gets a `customer.merged` audit event.
   */
  mergeCustomers(sourceId: string, targetId: string, actor?: ActorInput): Promise<Customer>;
  /** A customer by id, or null. */
  getCustomer(id: string): Promise<Customer | null>;
  /** The customer holding an identity (normalized first: `Kim@Example.com` finds `kim@example.com`), or null. */
  findCustomer(identity: Identity): Promise<Customer | null>;
  /**
   * Adds identities (a phone, a Shopify id…) to a customer, with a `customer.identities_linked`
   * event in the customer's log; CONFLICT if another customer holds one.
   */
  linkIdentities(customerId: string, identities: Identity[], actor?: ActorInput): Promise<Customer>;
  /**
   * Changes a customer's name, locale or attributes (validated; attributes merge key by key), with
   * a `customer.updated` event in the customer's log. Attributes feed SLA conditions such as
   * `conditions: { customer: { vip: true } }` on the customer's next tickets.
   *
   * @example
   * await desk.updateCustomer(customerId, { attributes: { vip: true } }, { agentId: "kim" });
   */
  updateCustomer(
    customerId: string,
    patch: {
      attributes?: Record<string, string | number | boolean | null>;
      name?: string | null;
      locale?: string | null;
    },
    actor?: ActorInput,
  ): Promise<Customer>;
  /** The customer's audit log (identities linked, profile changes, merges), oldest first. */
  listCustomerEvents(customerId: string): Promise<CustomerEvent[]>;
  /** The customer's commerce context (cached), or null without a commerce provider. */
  commerceContext(customerId: string, opts?: { refresh?: boolean }): Promise<CustomerContext | null>;
  /** Records an audit event on a ticket (used by integrations such as commerce actions). */
  recordEvent(ticketId: string, type: string, data: Record<string, unknown>, actor?: ActorInput): Promise<Ticket>;
  /** Everything stored about a customer (privacy data request). */
  exportCustomer(customerId: string): Promise<CustomerExport>;
  /** Erases a customer and everything about them (privacy redaction). */
  eraseCustomer(customerId: string): Promise<{ tickets: number }>;
  /** Renders a registered template. */
  renderTemplate(templateId: string, variables: Record<string, unknown>, locale: string): RenderedTemplate;
  /**
   * Renders a registered template for a ticket, in the customer's language, with the ticket's
   * variables (`{{order.name}}`, `{{tracking.url}}`, `{{customer.name}}`…) plus `extra`.
   */
  renderForTicket(templateId: string, ticketId: string, extra?: Record<string, unknown>): Promise<RenderedTemplate>;
  /**
   * The variables templates get on a ticket (`ticket.*`, `customer.*`, `order.*`, `tracking.*`,
   * `plan.*`, `information.*`, `shop.name`) and the customer's language, for text rendered
   * elsewhere (macros).
   */
  templateVariables(ticketId: string): Promise<{ variables: Record<string, unknown>; locale: string }>;

  /**
   * Fires every scheduled job due at `now` (SLA warnings and breaches, complaint updates,
   * auto-close). Safe from several instances: the scheduler leases each job to one of them.
   * A job whose type has no handler on this desk (a plugin removed between deploys) is kept,
   * put off by an hour and reported through the `error` event each time (`deferred` counts them).
   */
  runDue(now?: Date, opts?: { limit?: number; leaseMs?: number }): Promise<RunDueResult>;
  /** Polls `runDue` with a real timer (servers). Returns a stop function; `close()` stops it too. */
  startScheduler(intervalMs?: number): () => void;
  /**
   * Stops every timer the desk started (scheduler loop, background work) and closes the store
   * when the desk owns it (`ownsStore`). Nothing of the desk keeps the process alive after it.
   */
  close(): Promise<void>;
}

/** Input of {@link Desk.sendToCustomer}. */
export interface SendToCustomerInput {
  text: string;
  subject?: string | null;
  channel?: string;
  template?: ReplyInput["template"];
  /** Why the message goes out (`order_shipped`, `welcome`…): tagged on the ticket it opens. */
  reason: string;
  ticketId?: string;
  category?: string;
}
