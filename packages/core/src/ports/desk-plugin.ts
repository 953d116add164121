/**
 * The `DeskPlugin` contract: how a feature joins the desk. A plugin is a plain object with an
 * `id`; it may add hooks to named pipeline stages, job handlers by type, methods under its
 * own namespace on the desk, events it emits and records it keeps in the store. Hooks return
 * decisions as data (ticket fields, audit events, effects); the desk applies them inside the
 * stage's transaction, so a plugin never half-writes and is tested without mocks.
 *
 * The built-in SLA engine, complaint workflow, auto-close, auto-acknowledgement and commerce
 * context are plugins written against this contract alone (`core/src/desk/plugins/`).
 *
 * @example
 * const vip: DeskPlugin<"vip"> = {
 *   specVersion: 1,
 *   id: "vip",
 *   hooks: { ticketCreated: ({ customer }) => customer.attributes.vip ? { ticket: { priority: "high" } } : undefined },
 * };
 * const desk = createDesk({ store, plugins: [vip] });
 *
 * @module
 */
import type { Classification, ClassifierInput } from "../classify/classify-text.js";
import type { Customer } from "../domain/customer.js";
import type { Actor, TicketEvent } from "../domain/event.js";
import type { InboundMessageEvent } from "../domain/inbound.js";
import type { Job } from "../domain/job.js";
import type { Message } from "../domain/message.js";
import type { Ticket } from "../domain/ticket.js";
import type { ComplaintActionInput } from "../complaint/advance-complaint.js";
import type { Identity } from "../domain/customer.js";
import type { Effect, EventDraft } from "../decision.js";
import type { TicketAction } from "../ticket/apply-ticket-action.js";
import type { CustomerContext } from "./commerce.js";
import type { Clock } from "./clock.js";
import type { KeyedRecord, RecordQuery } from "./store.js";

/** The version of this contract; a plugin names the one it was written for. */
export type DeskPluginSpecVersion = 1;

/** The fields of a ticket a hook may set (never its id, number, customer or version). */
export type TicketPatch = Partial<
  Pick<
    Ticket,
    | "status"
    | "priority"
    | "category"
    | "team"
    | "assigneeId"
    | "tags"
    | "complaint"
    | "sla"
    | "slaDueAt"
    | "subject"
    | "language"
  >
> & { meta?: Record<string, unknown> };

/** An audit event a hook wants written; `actor` defaults to the plugin (`{ kind: "system", id: plugin.id }`). */
export type HookEventDraft = EventDraft & { actor?: Actor };

/**
 * What a transactional hook decides, as data. Everything in it is applied in the transaction of
 * the stage that ran the hook: all of it lands with the stage's own writes, or none of it.
 */
export interface HookDecision {
  /** Fields to set on the ticket (merged over the stage's ticket; `meta` is merged key by key). */
  ticket?: TicketPatch;
  /** Audit events to append to the ticket's log. */
  events?: HookEventDraft[];
  /**
   * Effects: `schedule`/`cancel_job` run in the transaction; `send` is written `queued` to the
   * outbox in the transaction (with its `authorKind`, `authorId`, `options` and `messageId`: a
   * bot's answer with quick replies is queued with the message it answers) and sent after commit;
   * `emit` runs after commit.
   */
  effects?: Effect[];
}

/** What a hook may return: a decision, nothing, or either later. */
export type HookResult = HookDecision | void | undefined | Promise<HookDecision | void | undefined>;

/**
 * The plugin's view of its records in the store (its own namespace only: `namespace` below is
 * relative to it, so `"articles"` of plugin `knowledge` is stored as `knowledge.articles`).
 * Inside a hook the calls run in the stage's transaction.
 */
export interface PluginRecords {
  /** The record, or null when absent or expired. */
  get(namespace: string, key: string): Promise<KeyedRecord | null>;
  /**
   * Writes a record. `expectedVersion` undefined: upsert; null: insert only; a number:
   * compare-and-set (CONFLICT otherwise, nothing written).
   */
  put(
    record: { namespace: string; key: string; value: unknown; expiresAt?: Date | null },
    expectedVersion?: number | null,
  ): Promise<KeyedRecord>;
  /** Deletes a record; true when one was there. */
  delete(namespace: string, key: string): Promise<boolean>;
  /** Live records of one of the plugin's namespaces, by key. */
  list(namespace: string, query?: Omit<RecordQuery, "now">): Promise<KeyedRecord[]>;
}

/** What a `chooseTemplate` hook decides: the template to render and the audit events saying why. */
export interface TemplateChoice {
  templateId?: string;
  events?: HookEventDraft[];
}

/** What every hook receives besides its stage's data. */
export interface HookContext {
  /** The stage's time (the desk's clock, never earlier than the ticket's last change). */
  now: Date;
  /** The plugin's records, inside the stage's transaction. */
  records: PluginRecords;
}

/**
 * One change an agent asks for directly (`desk.update`, `setStatus`, `setPriority`,
 * `setCategory`, `setTags`, `assign`), named as rules name actions, so a plugin can match it
 * against the same patterns (an action plan's `decisions`: `set_status:solved`, `add_tags:vip`).
 */
export type AgentChange =
  | { type: "set_status"; status: Ticket["status"] }
  | { type: "set_priority"; priority: Ticket["priority"] }
  | { type: "set_category"; category: Ticket["category"] }
  | { type: "add_tags"; tags: string[] }
  | { type: "remove_tags"; tags: string[] }
  | { type: "set_team"; team: string | null }
  | { type: "set_assignee"; assigneeId: string | null };

/**
 * An `authorizeAgentChange` hook's hold: the change is not made, and the plugin filed it for
 * approval (the caller gets APPROVAL_REQUIRED with these details).
 */
export interface ChangeHold {
  /** The request the plugin filed (its own id, for its approve/decline methods). */
  approvalId: string;
  /** The role that decides. */
  approverRole: string;
  /** Why, for the caller's message. */
  reason: string;
}

/**
 * Hooks on the named stages of the pipeline, in the order a message passes them. Each is
 * optional; hooks of several plugins run in registration order, each seeing the ticket as
 * the previous ones left it.
 */
export interface DeskPluginHooks {
  /** Before the classifier: return a classification to use instead of it (a rules engine, a model). */
  beforeClassify?(args: {
    event: InboundMessageEvent;
    input: ClassifierInput;
  }): Classification | void | Promise<Classification | void>;
  /** After the classifier: return a corrected classification. */
  afterClassify?(args: {
    event: InboundMessageEvent;
    classification: Classification;
  }): Classification | void | Promise<Classification | void>;
  /** A new ticket (or follow-up) is being created, in the ingest transaction. */
  ticketCreated?(
    args: HookContext & {
      ticket: Ticket;
      customer: Customer;
      message: Message | null;
      classification: Classification | null;
    },
  ): HookResult;
  /** A customer's message continues an open ticket, in the ingest transaction. */
  customerMessage?(
    args: HookContext & {
      before: Ticket;
      ticket: Ticket;
      customer: Customer;
      message: Message;
      classification: Classification;
    },
  ): HookResult;
  /** A ticket's status is changing (any cause), in that change's transaction. */
  statusChanged?(args: HookContext & { before: Ticket; ticket: Ticket }): HookResult;
  /**
   * Every ticket write, last, in its transaction: `log` is the audit log including this change's
   * events. Policies that follow the whole ticket (the SLA engine) live here.
   */
  ticketSaving?(
    args: HookContext & {
      before: Ticket | null;
      ticket: Ticket;
      log: readonly TicketEvent[];
      customer: Customer | null;
    },
  ): HookResult;
  /**
   * An outbound message is about to be queued: return `{ cancel: reason }` to keep it from
   * leaving (INVALID_INPUT to the caller, nothing sent), or a changed text.
   */
  beforeSend?(
    args: HookContext & { ticket: Ticket; customer: Customer; text: string; purpose: string | null },
  ): { cancel?: string; text?: string } | void | Promise<{ cancel?: string; text?: string } | void>;
  /**
   * A registered template is about to be rendered for an outbound message on a ticket (a send
   * effect such as the acknowledgement, or `desk.renderForTicket`): return another registered
   * template's id to render instead (an A/B test's variant) and audit events that record it.
   */
  chooseTemplate?(
    args: HookContext & { ticket: Ticket; templateId: string },
  ): TemplateChoice | void | Promise<TemplateChoice | void>;
  /**
   * After a new ticket's transaction committed (the webhook's answer does not wait longer than
   * the desk's budget for it): slow provider calls belong here. The decision is applied in a
   * transaction of its own.
   */
  afterTicketCreated?(args: HookContext & { ticket: Ticket; customer: Customer; message: Message | null }): HookResult;
  /**
   * An agent's direct change to a ticket, before it is made (outside any transaction: the
   * plugin may write, e.g. file an approval request): return a {@link ChangeHold} to keep it
   * from being made. Only agents' changes are asked about; rules, plugins and the system act
   * under their own authority.
   */
  authorizeAgentChange?(
    args: HookContext & { ticket: Ticket; agentId: string; changes: AgentChange[] },
  ): ChangeHold | void | Promise<ChangeHold | void>;
}

/** What a plugin's job handler receives. */
export interface PluginJobContext {
  /** The job as claimed (its `payload` is what the scheduling effect put there). */
  job: Job;
  now: Date;
  /** The desk the plugin runs in (its public methods). */
  desk: PluginDesk;
  records: PluginRecords;
}

/**
 * The desk as a plugin sees it: the public methods of `Desk` (kept structural here so the port
 * depends on no desk code) plus `decide`, which applies a hook decision to a ticket in a
 * transaction of its own.
 */
export interface PluginDesk {
  /**
   * Applies a decision to a ticket (loaded fresh, retried on conflict) and returns the saved ticket.
   * `opts.at`: the time to record (a job's `now`; never earlier than the clock).
   */
  decide(
    ticketId: string,
    decide: (ticket: Ticket, now: Date) => HookDecision | void,
    actor?: Actor,
    opts?: { at?: Date },
  ): Promise<Ticket>;
  /**
   * Applies a ticket action (`set_status`, `set_priority`, …, the same rules as an agent's) in a
   * transaction of its own, with the other plugins' hooks; `opts.at` as in `decide`.
   */
  act(ticketId: string, action: TicketAction, actor: Actor, opts?: { at?: Date }): Promise<Ticket>;
  /**
   * Sends a message on a ticket through the outbox (reply window, `beforeSend` hooks, queued in
   * its own transaction, then sent). Refusals reject with the desk's typed error
   * (`REPLY_WINDOW_CLOSED`, `INVALID_INPUT`) and nothing is written.
   */
  send(ticketId: string, input: PluginSendInput, actor: Actor): Promise<Message>;
  /**
   * Links identities the plugin found to a customer (`onlyUnowned`: skip those another customer
   * holds) and merges `attributes` into the customer's, in one transaction.
   */
  linkFoundIdentities(
    customerId: string,
    identities: Identity[],
    opts: { actor: Actor; onlyUnowned?: boolean; attributes?: Record<string, unknown> },
  ): Promise<Customer>;
  /** The customer's commerce context (cached by the desk while fresh); null without a provider. */
  commerceContextOf(customer: Customer, opts?: { refresh?: boolean }): Promise<CustomerContext | null>;
  /**
   * Takes a complaint step (`desk.advanceComplaint`, typed here): the case's rules, its timer,
   * and (`notifyCustomer`, default true) the confirmation on `resolution_done`.
   */
  advanceComplaint(
    ticketId: string,
    input: ComplaintActionInput,
    actor: { system: string } | { bot: string } | { agentId: string },
    opts?: { notifyCustomer?: boolean },
  ): Promise<Ticket>;
  /** The ticket as stored (not following merges), or null: what a job checks before it acts. */
  readTicket(ticketId: string): Promise<Ticket | null>;
  /** The customer as stored, or null. */
  readCustomer(customerId: string): Promise<Customer | null>;
  /** Reports a failure the plugin handled on the desk's `error` event (`context`: what it was doing). */
  reportError(error: unknown, context: string): void;
  /** The desk's clock. */
  clock: Clock;
  /** Emits one of the plugin's events (`plugin.<id>.<what>`). */
  emit(type: `plugin.${string}`, data: Record<string, unknown>): void;
  /** Every public method of the desk (`getTicket`, `reply`, `linkIdentities`, …). */
  [method: string]: unknown;
}

/** A message a plugin sends on a ticket (see {@link PluginDesk.send}). */
export interface PluginSendInput {
  /** The text (rendered by the plugin). */
  text: string;
  /** Who the message is from: `system` (a notice) or `bot` (an answer). Default `system`. */
  authorKind?: "bot" | "system";
  /** Counts as automatic (no SLA first-reply credit). Default true. */
  automatic?: boolean;
  /** Why it is sent (picks a channel template outside a reply window, e.g. `complaint_update`). */
  purpose?: "auto_ack" | "complaint_update" | "complaint_confirm" | "proactive";
  /** Channel-specific message options (quick replies). */
  options?: Record<string, unknown>;
}

/** What `methods` receives to build the plugin's namespace. */
export interface PluginSetup {
  desk: PluginDesk;
  records: PluginRecords;
}

/**
 * A desk plugin. `Id` names its namespace on the desk (`desk[id]`), `Methods` what is there.
 *
 * @example
 * const thanks = defineDeskPlugin({ specVersion: 1, id: "thanks", hooks: { ticketCreated: () => ({ effects: [...] }) } });
 */
export interface DeskPlugin<Id extends string = string, Methods extends object = object> {
  /** The contract version the plugin was written for; the desk refuses others. */
  readonly specVersion: DeskPluginSpecVersion;
  /**
   * Unique among the desk's plugins; lowercase words with `-`. Names the plugin's namespace on
   * the desk, its records' namespace prefix, its events (`plugin.<id>.…`) and its jobs (`<id>.…`).
   */
  readonly id: Id;
  /** Hooks on the pipeline's named stages. */
  readonly hooks?: DeskPluginHooks;
  /**
   * Job handlers by job type (types of plugin jobs start with `<id>.`; built-in plugins keep
   * the job types they had). Throwing retries the job with backoff; handlers must be safe to
   * run twice (a lease can expire mid-run).
   */
  readonly jobs?: Readonly<Record<string, (context: PluginJobContext) => Promise<void>>>;
  /** Builds the methods put under `desk[id]`, once, when the desk is created. */
  methods?(setup: PluginSetup): Methods;
  /** The event types the plugin emits (`plugin.<id>.<what>`), for documentation and checks. */
  readonly events?: readonly `plugin.${string}`[];
  /** Called by `desk.close()`: stop the plugin's timers, close its handles. */
  close?(): void | Promise<void>;
}

/** Any plugin, whatever its id and methods. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDeskPlugin = DeskPlugin<string, any>;

/**
 * The namespaces a list of plugins adds to the desk: `{ [id]: Methods }` for each plugin with methods.
 *
 * @example
 * type Extra = PluginNamespaces<[typeof vip]>; // { vip: { … } }
 */
export type PluginNamespaces<P extends readonly AnyDeskPlugin[]> = {
  [K in P[number] as NonNullable<K["methods"]> extends (...args: never[]) => object ? K["id"] : never]: NonNullable<
    K["methods"]
  > extends (...args: never[]) => infer M
    ? M
    : never;
};

/**
 * Declares a plugin with its id and methods inferred (no runtime work).
 *
 * @example
 * export const vip = defineDeskPlugin({ specVersion: 1, id: "vip", hooks: { … } });
 */
export function defineDeskPlugin<const Id extends string, Methods extends object = object>(
  plugin: DeskPlugin<Id, Methods>,
): DeskPlugin<Id, Methods> {
  return plugin;
}
