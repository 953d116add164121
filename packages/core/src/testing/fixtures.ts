/**
 * Sample domain records for tests: one valid {@link Ticket}, {@link Customer} and {@link Message}
 * each, with overrides, so tests state only the fields they are about instead of hand-building
 * every field (and breaking when the domain gains one).
 */
import type { Customer } from "../domain/customer.js";
import type { Message } from "../domain/message.js";
import type { Ticket } from "../domain/ticket.js";

/** The instant every sample is created at (a Monday, 09:00 in Seoul). */
export const SAMPLE_TIME = new Date("2026-03-02T00:00:00Z");

/**
 * A valid open ticket (`t_1`, number 1, customer `c_1`, channel `email`, Korean), with overrides.
 *
 * @example
 * const ticket = sampleTicket({ channel: "whatsapp", lastCustomerMessageAt: hoursAgo(30) });
 */
export function sampleTicket(overrides?: Partial<Ticket>): Ticket;
/**
 * The store conformance suite's older form: the customer and number first.
 *
 * @example
 * await store.insertTicket(sampleTicket(customer.id, 7, { status: "pending" }));
 */
export function sampleTicket(customerId: string, number: number, overrides?: Partial<Ticket>): Ticket;
export function sampleTicket(
  first: Partial<Ticket> | string = {},
  number?: number,
  more: Partial<Ticket> = {},
): Ticket {
  const overrides = typeof first === "string" ? { customerId: first, number: number ?? 1, ...more } : first;
  return {
    id: "t_1",
    number: 1,
    subject: null,
    status: "open",
    priority: "normal",
    category: "other",
    channel: "email",
    kind: "conversation",
    customerId: "c_1",
    assigneeId: null,
    team: null,
    tags: [],
    language: "ko",
    conversationKey: null,
    version: 1,
    createdAt: SAMPLE_TIME,
    updatedAt: SAMPLE_TIME,
    lastCustomerMessageAt: SAMPLE_TIME,
    firstRepliedAt: null,
    solvedAt: null,
    closedAt: null,
    followUpOf: null,
    mergedInto: null,
    slaDueAt: null,
    sla: null,
    complaint: null,
    meta: {},
    ...overrides,
  };
}

/**
 * A valid customer (`c_1`, 김민지, Korean, known by `minji@example.com`), with overrides.
 *
 * @example
 * const customer = sampleCustomer({ identities: [{ kind: "whatsapp", value: "821012345678" }] });
 */
export function sampleCustomer(overrides: Partial<Customer> = {}): Customer {
  return {
    id: "c_1",
    name: "김민지",
    locale: "ko",
    identities: [{ kind: "email", value: "minji@example.com" }],
    attributes: {},
    createdAt: SAMPLE_TIME,
    updatedAt: SAMPLE_TIME,
    mergedInto: null,
    ...overrides,
  };
}

/**
 * A valid inbound customer message (`m_1` on ticket `t_1`, channel `email`), with overrides.
 *
 * @example
 * const reply = sampleMessage({ direction: "outbound", authorKind: "agent", authorId: "kim" });
 */
export function sampleMessage(overrides?: Partial<Message>): Message;
/**
 * The store conformance suite's older form: the ticket id first.
 *
 * @example
 * await store.insertMessage(sampleMessage(ticket.id, { text: "안녕하세요" }));
 */
export function sampleMessage(ticketId: string, overrides?: Partial<Message>): Message;
export function sampleMessage(first: Partial<Message> | string = {}, more: Partial<Message> = {}): Message {
  const overrides = typeof first === "string" ? { ticketId: first, ...more } : first;
  return {
    id: "m_1",
    ticketId: "t_1",
    direction: "inbound",
    authorKind: "customer",
    authorId: "c_1",
    channel: "email",
    externalId: null,
    text: "주문한 상품이 아직 안 왔어요",
    html: null,
    attachments: [],
    deliveryStatus: "received",
    deliveryError: null,
    visibility: "private",
    automatic: false,
    createdAt: SAMPLE_TIME,
    meta: {},
    ...overrides,
  };
}
