import type { BusinessCalendar } from "../calendar/business-calendar.js";
import type { Classification } from "../classify/classification.js";
import type { Customer } from "../domain/customer.js";
import type { Ticket } from "../domain/ticket.js";

/**
 * What rule conditions are evaluated against. Only `ticket` is required; a condition on a fact
 * that is absent (no message, no customer, no calendar) fails and says so, rather than guessing.
 *
 * @example
 * const facts: RuleFacts = { ticket, customer, message: { text: "환불해주세요", author: "customer" } };
 */
export interface RuleFacts {
  ticket: Ticket;
  /** The customer; `attributes.vip` (boolean) and `attributes.orderCount` (number) are read. */
  customer?: Pick<Customer, "locale" | "attributes"> | null;
  /** The message that caused the event, if any. */
  message?: { text: string; author: "customer" | "agent" } | null;
  classification?: Pick<Classification, "scores" | "complaint"> | null;
  /** The calendar for `business_hours` and business-clock `hours_since` conditions. */
  calendar?: BusinessCalendar | null;
  /** Who opened the ticket: the customer writing in, or an agent (outbound, phone notes). */
  startedBy?: "customer" | "agent";
  /**
   * The data of the audit event that raised the trigger, by trigger event (`csat_received` →
   * `{ rating, comment, … }`), for `event_data` conditions.
   */
  eventData?: Partial<Record<string, Record<string, unknown>>>;
  /** The trigger event being evaluated (set by `evaluateTriggers`). */
  event?: string;
  /** Times the ticket itself does not carry. */
  times?: { statusChangedAt?: Date | null; lastAgentReplyAt?: Date | null };
}
