/**
 * Action plans' `informationNeeded` made visible: which of the plan's items a ticket still lacks,
 * kept on the ticket as `meta.informationMissing` and updated as the customer writes.
 */
import type { ActionPlan } from "../../../domain/action-plan.js";
import type { Message } from "../../../domain/message.js";
import type { Ticket } from "../../../domain/ticket.js";
import { extractOrderName } from "../../format-due.js";

// Items recognised in a message; any other item stays missing until an agent marks it provided.
const RECOGNISERS: Array<{ item: RegExp; found: (m: Pick<Message, "text" | "attachments">) => boolean }> = [
  { item: /order|주문/i, found: (m) => extractOrderName(m.text) !== null },
  {
    item: /photo|picture|image|사진|이미지/i,
    found: (m) => m.attachments.some((a) => a.contentType.startsWith("image/")),
  },
];

/**
 * The items of `plan.informationNeeded` still missing after `message`: those missing before
 * (all of them on a new ticket, or when the category changed to this plan) minus those the
 * message provides (an order reference such as `#1001` or `주문번호 1001`; an image attachment for
 * a photo). Other items stay until `desk.rules.provideInformation` marks them.
 *
 * @example
 * informationMissing(plan, ticket, message) // ["사진"] once the order number was given
 */
export function informationMissing(
  plan: ActionPlan | undefined,
  ticket: Ticket,
  message: Pick<Message, "text" | "attachments"> | null,
): string[] | null {
  if (!plan || plan.informationNeeded.length === 0) return null;
  const before =
    ticket.meta["informationFor"] === plan.category && Array.isArray(ticket.meta["informationMissing"])
      ? (ticket.meta["informationMissing"] as string[])
      : plan.informationNeeded;
  if (!message) return [...before];
  return before.filter((item) => !RECOGNISERS.some((r) => r.item.test(item) && r.found(message)));
}
