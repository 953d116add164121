import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { signHmac } from "@storedesk/core";
import type { Customer, Ticket } from "@storedesk/core";
import { sampleCustomer, sampleTicket } from "@storedesk/core/testing";

export const APP_SECRET = "meta-app-secret";
export const PAGE_TOKEN = "EAAPAGETOKENsecretvalue987";
export const VERIFY_TOKEN = "meta-verify";
export const PAGE_ID = "105678901234567";
export const IG_ID = "17841400000000001";
export const PSID = "6789012345678901";
export const IGSID = "5432109876543210";
export const GRAPH = "https://graph.facebook.com/v21.0";

export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../test-fixtures/${name}`, import.meta.url)), "utf8");
}

export function signedRequest(body: string, secret = APP_SECRET): Request {
  return new Request("https://shop.example/webhooks/meta", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${signHmac(body, secret, "hex")}` },
  });
}

/** A Messenger ticket of the test page's customer (core's sample, on this channel). */
export function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return sampleTicket({ channel: "messenger", conversationKey: `meta:${PAGE_ID}:${PSID}`, ...overrides });
}

/** The Messenger customer (core's sample, known by the test PSID). */
export function customer(overrides: Partial<Customer> = {}): Customer {
  return sampleCustomer({ name: null, identities: [{ kind: "messenger", value: PSID }], ...overrides });
}
