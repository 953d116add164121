import type { Desk } from "@storedesk/core";

/**
 * The part of the desk the Shopify webhooks use: a `Pick` of core's {@link Desk}, so the two
 * cannot drift apart. `createDesk()` from `@storedesk/core` satisfies it; tests can pass a
 * small fake with just these methods.
 */
export type DeskLike = Pick<
  Desk,
  | "sendToCustomer"
  | "reply"
  | "setStatus"
  | "note"
  | "listTickets"
  | "listMessages"
  | "getCustomer"
  | "findCustomer"
  | "exportCustomer"
  | "eraseCustomer"
>;
