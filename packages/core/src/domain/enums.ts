import { z } from "zod";

/** Ticket statuses: `pending` waits on the customer, `on_hold` on a third party (carrier, supplier). */
export const TicketStatusSchema = z.enum(["new", "open", "pending", "on_hold", "solved", "closed"]);
/** A ticket status. */
export type TicketStatus = z.infer<typeof TicketStatusSchema>;

/** Ticket priorities, lowest first. */
export const PrioritySchema = z.enum(["low", "normal", "high", "urgent"]);
/** A ticket priority. */
export type Priority = z.infer<typeof PrioritySchema>;

/** What a customer's request is about; drives SLA targets, routing and the action plan. */
export const CategorySchema = z.enum([
  "product",
  "shipping",
  "refund_exchange",
  "order_change",
  "payment",
  "complaint",
  "other",
]);
/** A ticket category. */
export type Category = z.infer<typeof CategorySchema>;

/** Languages storedesk ships lexicons and templates for; other BCP 47 tags pass through as strings. */
export const LanguageSchema = z.string().min(2).max(35);
/** A BCP 47 language tag such as `ko` or `en`. */
export type Language = z.infer<typeof LanguageSchema>;

/**
 * A channel id: the built-in ones or any id a plugin adds
 * (lowercase letters, digits, `-` and `_`).
 */
export const ChannelIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, "channel id: lowercase letters, digits, - and _");
/** A channel id such as `email`, `whatsapp`, `messenger`, `instagram`, `webchat`, `phone`. */
export type ChannelId = z.infer<typeof ChannelIdSchema>;

/** Built-in channel ids. */
export const BUILTIN_CHANNELS = ["email", "whatsapp", "messenger", "instagram", "webchat", "phone"] as const;

/** Rank of a priority, for comparisons (`low` = 0 … `urgent` = 3). */
export function priorityRank(p: Priority): number {
  return PrioritySchema.options.indexOf(p);
}
