/** Customers, their identities and their audit log in the memory store. */
import type { Customer, Identity } from "../domain/customer.js";
import { identityKey } from "../domain/customer.js";
import type { StoreOps } from "../ports/store.js";
import { StoredeskError } from "../errors.js";
import { clone, frozenCopy } from "./memory-copies.js";
import { conflict, deleteIn, openConversationKey, record, setIn, type Tables, type UndoRef } from "./memory-tables.js";

/** Customers, their identities and their audit log in the memory store. */
export function memoryCustomerOps(
  t: Tables,
  tx: UndoRef,
): Pick<
  StoreOps,
  | "getCustomer"
  | "findCustomerByIdentity"
  | "insertCustomer"
  | "updateCustomer"
  | "deleteCustomer"
  | "appendCustomerEvent"
  | "listCustomerEvents"
> {
  const resolveCustomer = (id: string | undefined): Customer | null => {
    let c = id ? t.customers.get(id) : undefined;
    for (let hops = 0; c?.mergedInto && hops < 10; hops++) c = t.customers.get(c.mergedInto);
    return c ? clone(c) : null;
  };
  const claimIdentities = (customer: Customer) => {
    for (const identity of customer.identities) {
      const owner = t.identities.get(identityKey(identity));
      if (owner && owner !== customer.id)
        throw conflict(`Identity ${identityKey(identity)} belongs to another customer`, { customerId: owner });
    }
  };

  return {
    async getCustomer(id) {
      return t.customers.has(id) ? clone(t.customers.get(id)!) : null;
    },
    async findCustomerByIdentity(identity: Identity) {
      return resolveCustomer(t.identities.get(identityKey(identity)));
    },
    async insertCustomer(customer) {
      if (t.customers.has(customer.id)) throw conflict(`Customer ${customer.id} exists`);
      claimIdentities(customer);
      setIn(tx.log, t.customers, customer.id, { ...clone(customer), version: customer.version ?? 1 });
      for (const identity of customer.identities) setIn(tx.log, t.identities, identityKey(identity), customer.id);
    },
    async updateCustomer(customer) {
      const old = t.customers.get(customer.id);
      if (!old) throw new StoredeskError({ code: "NOT_FOUND", message: `Customer ${customer.id} not found` });
      const stored = old.version ?? 1;
      if (customer.version !== undefined && customer.version !== stored) {
        throw conflict(`Customer ${customer.id} changed meanwhile (version ${stored}, read ${customer.version})`, {
          customerId: customer.id,
          expectedVersion: customer.version,
        });
      }
      claimIdentities(customer);
      for (const identity of old.identities) deleteIn(tx.log, t.identities, identityKey(identity));
      for (const identity of customer.identities) setIn(tx.log, t.identities, identityKey(identity), customer.id);
      setIn(tx.log, t.customers, customer.id, { ...clone(customer), version: stored + 1 });
    },
    async deleteCustomer(id) {
      const customer = t.customers.get(id);
      if (!customer) return { tickets: 0 };
      const ticketIds = [...(t.ticketsByCustomer.get(id) ?? [])];
      for (const ticketId of ticketIds) {
        const ticket = t.tickets.get(ticketId);
        for (const messageId of t.messagesByTicket.get(ticketId) ?? []) {
          const m = t.messages.get(messageId);
          if (m?.externalId) deleteIn(tx.log, t.messagesByExternal, `${m.channel}\u0000${m.externalId}`);
          deleteIn(tx.log, t.messages, messageId);
        }
        deleteIn(tx.log, t.messagesByTicket, ticketId);
        deleteIn(tx.log, t.events, ticketId);
        if (ticket) {
          deleteIn(tx.log, t.ticketsByNumber, ticket.number);
          const open = openConversationKey(ticket);
          if (open !== null && t.openByConversation.get(open) === ticketId)
            deleteIn(tx.log, t.openByConversation, open);
        }
        deleteIn(tx.log, t.tickets, ticketId);
        for (const [key, job] of t.jobs) if (job.ticketId === ticketId) deleteIn(tx.log, t.jobs, key);
      }
      deleteIn(tx.log, t.ticketsByCustomer, id);
      // The audit log of the person goes too: theirs and that of records merged into them.
      for (const [cid, other] of t.customers) {
        if (cid !== id && other.mergedInto !== id) continue;
        for (const e of t.customerEvents.get(cid) ?? []) {
          t.customerEventIds.delete(e.id);
          record(tx.log, () => t.customerEventIds.add(e.id));
        }
        deleteIn(tx.log, t.customerEvents, cid);
      }
      for (const identity of customer.identities) deleteIn(tx.log, t.identities, identityKey(identity));
      deleteIn(tx.log, t.customers, id);
      return { tickets: ticketIds.length };
    },

    async appendCustomerEvent(event) {
      if (t.customerEventIds.has(event.id)) throw conflict(`Customer event ${event.id} exists`, { eventId: event.id });
      const list = t.customerEvents.get(event.customerId) ?? [];
      setIn(tx.log, t.customerEvents, event.customerId, [...list, frozenCopy(event)]);
      t.customerEventIds.add(event.id);
      record(tx.log, () => t.customerEventIds.delete(event.id));
    },
    async listCustomerEvents(customerId) {
      return [...(t.customerEvents.get(customerId) ?? [])];
    },
  };
}
