/** Messages and the ticket audit log (events) in the memory store. */
import type { DeliveryStatus } from "../domain/message.js";
import type { TicketEvent } from "../domain/event.js";
import type { StoreOps } from "../ports/store.js";
import { StoredeskError } from "../errors.js";
import { clone, frozen, frozenCopy, storedJob } from "./memory-copies.js";
import { conflict, deleteIn, insertAt, setIn, type Tables, type Undo, type UndoRef } from "./memory-tables.js";

/** Messages and the ticket audit log (events) in the memory store. */
export function memoryMessageOps(
  t: Tables,
  tx: UndoRef,
): Pick<
  StoreOps,
  | "insertMessage"
  | "getMessage"
  | "findMessageByExternalId"
  | "listMessages"
  | "updateMessageDelivery"
  | "updateMessage"
  | "moveMessages"
  | "appendEvent"
  | "appendEvents"
  | "listEvents"
> {
  /** Appends an event to its ticket's log (synchronous: one call per event of a batch, no await between). */
  const appendOne = (undo: Undo, event: TicketEvent): void => {
    let list = t.events.get(event.ticketId);
    if (!list) {
      list = [];
      setIn(undo, t.events, event.ticketId, list);
    }
    const last = list[list.length - 1];
    if (last && last.seq >= event.seq) {
      if (list.some((e) => e.seq === event.seq || e.id === event.id))
        throw conflict(`Event seq ${event.seq} of ticket ${event.ticketId} exists`);
      const sorted = [...list, frozenCopy(event)].sort((a, b) => a.seq - b.seq);
      setIn(undo, t.events, event.ticketId, sorted);
      return;
    }
    // The common case: the next seq. Append in place; the undo log pops it on rollback.
    insertAt(undo, list, frozenCopy(event));
  };

  return {
    async insertMessage(message, options) {
      if (t.messages.has(message.id)) throw conflict(`Message ${message.id} exists`);
      if (message.externalId !== null) {
        const key = `${message.channel}\u0000${message.externalId}`;
        if (t.messagesByExternal.has(key))
          throw conflict(`Message ${message.channel}:${message.externalId} was already received`, { duplicate: true });
        setIn(tx.log, t.messagesByExternal, key, message.id);
      }
      setIn(tx.log, t.messages, message.id, frozenCopy(message));
      // Oldest first, ties in insertion order (the port's order; a late mail dated earlier slots in).
      // In place: the list is the store's own (never handed out) and the undo log takes it out again.
      let ids = t.messagesByTicket.get(message.ticketId);
      if (!ids) {
        ids = [];
        setIn(tx.log, t.messagesByTicket, message.ticketId, ids);
      }
      let at = ids.length;
      const createdAt = message.createdAt.getTime(); // numbers: comparing Dates converts both each time
      while (at > 0 && t.messages.get(ids[at - 1]!)!.createdAt.getTime() > createdAt) at--;
      insertAt(tx.log, ids, message.id, at);
      const job = options?.scheduleJob;
      if (job) setIn(tx.log, t.jobs, job.key, storedJob(job));
    },
    async getMessage(id) {
      return t.messages.get(id) ?? null;
    },
    async findMessageByExternalId(channel, externalId) {
      const id = t.messagesByExternal.get(`${channel}\u0000${externalId}`);
      return id ? t.messages.get(id)! : null;
    },
    async listMessages(ticketId) {
      return (t.messagesByTicket.get(ticketId) ?? []).map((id) => t.messages.get(id)!);
    },
    async updateMessageDelivery(id, status: DeliveryStatus, error) {
      const m = t.messages.get(id);
      if (!m) throw new StoredeskError({ code: "NOT_FOUND", message: `Message ${id} not found` });
      setIn(tx.log, t.messages, id, frozen({ ...m, deliveryStatus: status, deliveryError: clone(error) }));
    },
    async updateMessage(id, patch, options) {
      const m = t.messages.get(id);
      if (!m) throw new StoredeskError({ code: "NOT_FOUND", message: `Message ${id} not found` });
      const externalId = patch.externalId === undefined ? m.externalId : patch.externalId;
      if (externalId !== m.externalId) {
        const key = externalId === null ? null : `${m.channel}\u0000${externalId}`;
        if (key !== null && t.messagesByExternal.has(key)) {
          throw conflict(`Message ${m.channel}:${externalId} is already on record`, { duplicate: true });
        }
        if (m.externalId !== null) deleteIn(tx.log, t.messagesByExternal, `${m.channel}\u0000${m.externalId}`);
        if (key !== null) setIn(tx.log, t.messagesByExternal, key, id);
      }
      setIn(
        tx.log,
        t.messages,
        id,
        frozen({
          ...m,
          externalId,
          deliveryStatus: patch.deliveryStatus ?? m.deliveryStatus,
          deliveryError: patch.deliveryError === undefined ? m.deliveryError : clone(patch.deliveryError),
          meta: patch.meta ? { ...m.meta, ...clone(patch.meta) } : m.meta,
        }),
      );
      if (options?.cancelJob) deleteIn(tx.log, t.jobs, options.cancelJob);
    },
    async moveMessages(fromTicketId, toTicketId) {
      const moving = t.messagesByTicket.get(fromTicketId) ?? [];
      for (const id of moving) setIn(tx.log, t.messages, id, frozen({ ...t.messages.get(id)!, ticketId: toTicketId }));
      const merged = [...(t.messagesByTicket.get(toTicketId) ?? []), ...moving].sort(
        (a, b) => t.messages.get(a)!.createdAt.getTime() - t.messages.get(b)!.createdAt.getTime(),
      );
      setIn(tx.log, t.messagesByTicket, toTicketId, merged);
      setIn(tx.log, t.messagesByTicket, fromTicketId, []);
      return moving.length;
    },

    async appendEvent(event) {
      appendOne(tx.log, event);
    },
    async appendEvents(events) {
      for (const event of events) appendOne(tx.log, event);
    },
    async listEvents(ticketId) {
      return [...(t.events.get(ticketId) ?? [])];
    },
  };
}
