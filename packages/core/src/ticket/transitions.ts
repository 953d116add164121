import type { TicketStatus } from "../domain/enums.js";

/**
 * Legal status moves set by an agent or automation. `closed` is final; a
 * `solved` ticket only reopens or closes. Customer messages follow
 * {@link statusAfterCustomerMessage} instead.
 */
export const LEGAL_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ["open", "pending", "on_hold", "solved"],
  open: ["pending", "on_hold", "solved"],
  pending: ["open", "on_hold", "solved"],
  on_hold: ["open", "pending", "solved"],
  solved: ["open", "closed"],
  closed: [],
};

/** Whether an agent may move a ticket from `from` to `to`. */
export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return LEGAL_TRANSITIONS[from].includes(to);
}

/**
 * Where a customer message moves a ticket: waiting states and solved tickets
 * reopen; a new ticket stays new; a closed ticket cannot take it (`null`: the
 * message starts a follow-up ticket).
 */
export function statusAfterCustomerMessage(status: TicketStatus): TicketStatus | null {
  switch (status) {
    case "closed":
      return null;
    case "new":
      return "new";
    default:
      return "open";
  }
}
