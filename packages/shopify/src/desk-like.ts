import type { ActorInput, Customer, Identity, Message, Ticket, TicketQuery, TicketStatus } from "@storedesk/core";

/**
 * The part of the desk the Shopify webhooks use. `createDesk()` from
 * `@storedesk/core` satisfies it; tests can pass a small fake.
 */
export interface DeskLike {
  /** A proactive message to a customer (the desk picks the channel and ticket unless told). */
  sendToCustomer(customerId: string, input: { channel?: string; ticketId?: string; text: string; subject?: string | null; reason: string; category?: string }): Promise<unknown>;
  /** A reply on a ticket through its channel; `status` is set with it. */
  reply(ticketId: string, input: { text: string; subject?: string | null; agentId?: string | null; authorKind?: "agent" | "bot" | "system"; status?: TicketStatus }): Promise<unknown>;
  setStatus(ticketId: string, status: TicketStatus, actor?: ActorInput): Promise<unknown>;
  /** An internal note (without `agentId` the system is the author). */
  note(ticketId: string, input: { text: string; agentId?: string | null }): Promise<unknown>;
  listTickets(query: TicketQuery): Promise<Ticket[]>;
  listMessages(ticketId: string): Promise<Message[]>;
  getCustomer(id: string): Promise<Customer | null>;
  findCustomer(identity: Identity): Promise<Customer | null>;
  /** Everything stored about the customer, JSON-safe. */
  exportCustomer(customerId: string): Promise<unknown>;
  /** Deletes the customer and all their tickets, messages and events. */
  eraseCustomer(customerId: string): Promise<unknown>;
}
