import type { ActionPlanInput } from "../domain/action-plan.js";
import type { Customer, Identity } from "../domain/customer.js";
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

/** An agent the desk knows: used for limits (role) and routing (team). */
export interface Agent {
  id: string;
  name?: string;
  role: string;
  team?: string | null;
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
    /** Ordered; the first matching policy applies. Defaults to {@link defaultSlaPolicies}. */
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
  complaint?: { updateIntervalMinutes?: number };
  commerceContext?: {
    /** Cache lifetime of a customer's commerce context. Default 5 minutes. */
    ttlMs?: number;
    /** Customers who spent at least this much get at least `high` priority. */
    highValueTotalSpent?: number;
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
  templateOutsideWindow?: (context: { channel: string; purpose: AutomaticPurpose; ticket: Ticket; customer: Customer; text: string; suggestedTemplate: string | null }) =>
    { name: string; language: string; parameters?: Record<string, unknown> } | null;
  /** Extra routing after classification: return fields to set on a new ticket. */
  route?: (ticket: Ticket, classification: Classification) => Partial<Pick<Ticket, "team" | "assigneeId" | "priority" | "tags">> | void;
}

/** Why the desk sends a message by itself. */
export type AutomaticPurpose = "auto_ack" | "complaint_update" | "complaint_confirm" | "proactive";

/** What `ingest` did. */
export interface IngestResult {
  /**
   * `parked`: a receipt for a message not (yet) recorded; applied if that message is recorded
   * later (receipts for messages storedesk never sent stay parked). Replaces the earlier `ignored`.
   */
  outcome: "created" | "threaded" | "reopened" | "follow_up" | "duplicate" | "delivery" | "auto_reply" | "parked";
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
}

/** The events a desk emits (eventemitter3). */
export interface DeskEvents {
  "ticket.created": [{ ticket: Ticket; message: Message | null; classification: Classification | null }];
  "ticket.updated": [{ ticket: Ticket; events: TicketEvent[] }];
  "message.received": [{ ticket: Ticket; message: Message }];
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
