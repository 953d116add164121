/**
 * What the store conformance suite's families share: the running store, sample records with
 * unique ids, and assertions.
 */
import { expect } from "vitest";
import type { Customer } from "../domain/customer.js";
import type { Message } from "../domain/message.js";
import type { Ticket } from "../domain/ticket.js";
import type { Store } from "../ports/store.js";
import { StoredeskError } from "../errors.js";
import type { StoreConformanceOptions } from "./store-conformance.js";

/** What each family of the suite is given. */
export interface StoreSuite {
  readonly options: StoreConformanceOptions;
  /** The fresh store of the running test. */
  readonly store: Store;
  /** A stored customer with one stored ticket: the starting point of most tests. */
  seedTicket(): Promise<{ c: Customer; t: Ticket }>;
}

/** The instant the suite's records are created at. */
export const T0 = new Date("2026-03-02T01:00:00.000Z");
let counter = 0;
/** A unique id with prefix `p`, so records of different tests never collide in a shared store. */
export const uid = (p: string) => `${p}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** A customer fixture. */
export function sampleCustomer(overrides: Partial<Customer> = {}): Customer {
  return {
    id: uid("cus"),
    name: "김민수",
    locale: "ko",
    identities: [{ kind: "email", value: `${uid("kim")}@example.com` }],
    attributes: { vip: true, tier: "gold" },
    createdAt: T0,
    updatedAt: T0,
    mergedInto: null,
    version: 1,
    ...overrides,
  };
}

/** A ticket fixture exercising every field, nested JSON included. */
export function sampleTicket(customerId: string, number: number, overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: uid("tkt"),
    number,
    subject: "배송 문의",
    status: "open",
    priority: "high",
    category: "shipping",
    channel: "email",
    kind: "conversation",
    customerId,
    assigneeId: null,
    team: "logistics",
    tags: ["vip", "배송"],
    language: "ko",
    conversationKey: "배송 문의",
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    lastCustomerMessageAt: T0,
    firstRepliedAt: null,
    solvedAt: null,
    closedAt: null,
    followUpOf: null,
    mergedInto: null,
    slaDueAt: new Date(T0.getTime() + 12 * 3_600_000),
    sla: {
      policyId: "shipping",
      evaluatedAt: T0.toISOString(),
      metrics: [
        {
          metric: "first_reply",
          status: "active",
          dueAt: new Date(T0.getTime() + 43_200_000).toISOString(),
          targetMinutes: 720,
          businessTimeUsedMs: 0,
          breachedAt: null,
          fulfilledAt: null,
        },
      ],
    },
    complaint: null,
    meta: { orderName: "#1001", nested: { a: [1, 2, { b: "한글" }] } },
    ...overrides,
  };
}

/** A message fixture. */
export function sampleMessage(ticketId: string, overrides: Partial<Message> = {}): Message {
  return {
    id: uid("msg"),
    ticketId,
    direction: "inbound",
    authorKind: "customer",
    authorId: null,
    channel: "email",
    externalId: uid("ext"),
    text: "주문한 상품이 아직 안 왔어요",
    html: "<p>주문한 상품이 아직 안 왔어요</p>",
    attachments: [
      {
        filename: "사진.jpg",
        contentType: "image/jpeg",
        size: 1234,
        url: null,
        providerId: "media-1",
        contentBase64: null,
      },
    ],
    deliveryStatus: "received",
    deliveryError: null,
    visibility: "private",
    automatic: false,
    createdAt: T0,
    meta: { subject: "배송 문의" },
    ...overrides,
  };
}

/** Asserts that `promise` rejects with a StoredeskError of `code`. */
export async function expectCode(promise: Promise<unknown>, code: StoredeskError["code"]): Promise<void> {
  try {
    await promise;
  } catch (err) {
    expect(StoredeskError.is(err), `expected a StoredeskError ${code}, got ${String(err)}`).toBe(true);
    expect((err as StoredeskError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}
