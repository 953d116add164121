/** Tickets in the memory store (numbers, the one-open-ticket-per-conversation rule, the customer index). */
import type { Ticket } from "../domain/ticket.js";
import type { StoreOps, TicketQuery } from "../ports/store.js";
import { mergedCustomerConflict, openConversationConflict } from "../domain/store-conflicts.js";
import { StoredeskError } from "../errors.js";
import { readTicket, storedTicket } from "./memory-copies.js";
import {
  addTo,
  conflict,
  deleteIn,
  openConversationKey,
  removeFrom,
  setIn,
  type Tables,
  type Undo,
  type UndoRef,
} from "./memory-tables.js";

/** Tickets in the memory store (numbers, the one-open-ticket-per-conversation rule, the customer index). */
export function memoryTicketOps(
  t: Tables,
  tx: UndoRef,
): Pick<
  StoreOps,
  | "getTicket"
  | "getTicketByNumber"
  | "nextTicketNumber"
  | "insertTicket"
  | "updateTicket"
  | "listTickets"
  | "findOpenTicketByConversation"
> {
  const indexTicket = (undo: Undo, ticket: Ticket) => {
    let set = t.ticketsByCustomer.get(ticket.customerId);
    if (!set) {
      set = new Set<string>();
      setIn(undo, t.ticketsByCustomer, ticket.customerId, set);
    }
    addTo(undo, set, ticket.id);
  };
  /** One open ticket per conversation: throws CONFLICT (naming the open one) if another holds it. */
  const refuseSecondOpenTicket = (ticket: Ticket, key: string | null) => {
    if (key === null) return;
    const other = t.openByConversation.get(key);
    if (other !== undefined && other !== ticket.id) throw openConversationConflict(ticket, other);
  };
  /** Whether two versions of a ticket have the same {@link openConversationKey}, without building it. */
  const sameOpenConversation = (a: Ticket, b: Ticket) =>
    a.customerId === b.customerId &&
    a.channel === b.channel &&
    a.conversationKey === b.conversationKey &&
    (a.status === "closed" || !!a.mergedInto) === (b.status === "closed" || !!b.mergedInto);
  /** Moves the ticket's entry in the open-conversation index from key `from` to key `to`. */
  const reindexOpen = (undo: Undo, id: string, from: string | null, to: string | null) => {
    if (from === to) return;
    if (from !== null && t.openByConversation.get(from) === id) deleteIn(undo, t.openByConversation, from);
    if (to !== null) setIn(undo, t.openByConversation, to, id);
  };

  return {
    async getTicket(id) {
      const x = t.tickets.get(id);
      return x ? readTicket(x) : null;
    },
    async getTicketByNumber(number) {
      const id = t.ticketsByNumber.get(number);
      return id ? readTicket(t.tickets.get(id)!) : null;
    },
    async nextTicketNumber() {
      const n = t.counter.ticketNumber + 1;
      t.counter.ticketNumber = n; // like a SQL sequence: never rolled back
      return n;
    },
    async insertTicket(ticket) {
      if (t.tickets.has(ticket.id)) throw conflict(`Ticket ${ticket.id} exists`);
      if (t.ticketsByNumber.has(ticket.number)) throw conflict(`Ticket number ${ticket.number} is taken`);
      const owner = t.customers.get(ticket.customerId);
      if (owner?.mergedInto) {
        // The customer was merged away after the caller read it: its retry finds the survivor.
        throw mergedCustomerConflict(ticket.customerId, owner.mergedInto);
      }
      const key = openConversationKey(ticket);
      refuseSecondOpenTicket(ticket, key);
      setIn(tx.log, t.tickets, ticket.id, storedTicket(ticket));
      setIn(tx.log, t.ticketsByNumber, ticket.number, ticket.id);
      indexTicket(tx.log, ticket);
      reindexOpen(tx.log, ticket.id, null, key);
    },
    async updateTicket(ticket, expectedVersion) {
      const stored = t.tickets.get(ticket.id);
      if (!stored) throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${ticket.id} not found` });
      if (stored.version !== expectedVersion)
        throw conflict(
          `Ticket ${ticket.id} changed meanwhile (version ${stored.version}, expected ${expectedVersion})`,
          { ticketId: ticket.id },
        );
      if (ticket.version !== expectedVersion + 1)
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: "A ticket update must bump version by one",
          path: ["version"],
        });
      // Only a ticket that becomes an open one of its conversation can collide; the common update
      // keeps its conversation and openness, so its key (a string to build) is not even looked at.
      const moved = !sameOpenConversation(ticket, stored);
      const key = moved ? openConversationKey(ticket) : null;
      const was = moved ? openConversationKey(stored) : null;
      if (moved && key !== was) refuseSecondOpenTicket(ticket, key);
      setIn(tx.log, t.tickets, ticket.id, storedTicket(ticket, stored));
      if (moved) reindexOpen(tx.log, ticket.id, was, key);
      if (stored.customerId !== ticket.customerId) {
        // The ticket moved to another customer (a customer merge): re-index it under the new one only.
        const previous = t.ticketsByCustomer.get(stored.customerId);
        if (previous) removeFrom(tx.log, previous, ticket.id);
        indexTicket(tx.log, ticket);
      }
    },
    async listTickets(query: TicketQuery) {
      const ids: Iterable<string> = query.customerId
        ? (t.ticketsByCustomer.get(query.customerId) ?? [])
        : t.tickets.keys();
      const out: Ticket[] = [];
      for (const id of ids) {
        const x = t.tickets.get(id);
        if (!x || x.customerId !== (query.customerId ?? x.customerId)) continue;
        if (query.status && !query.status.includes(x.status)) continue;
        if (query.channel && x.channel !== query.channel) continue;
        if (query.conversationKey !== undefined && x.conversationKey !== query.conversationKey) continue;
        if (query.slaDueBefore && (!x.slaDueAt || x.slaDueAt > query.slaDueBefore)) continue;
        out.push(x);
      }
      out.sort(
        query.newestFirst
          ? (a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || b.number - a.number
          : (a, b) => a.number - b.number,
      );
      return out.slice(0, query.limit ?? out.length).map(readTicket);
    },
    async findOpenTicketByConversation(customerId, channel, conversationKey) {
      // At most one open ticket per conversation (the store refuses a second): the index is exact.
      const id = t.openByConversation.get(`${customerId}\u0000${channel}\u0000${conversationKey}`);
      return id === undefined ? null : readTicket(t.tickets.get(id)!);
    },
  };
}
