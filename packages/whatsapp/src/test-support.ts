import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { signHmac } from "@storedesk/core";
import type { Customer, Ticket } from "@storedesk/core";
import { sampleCustomer, sampleTicket } from "@storedesk/core/testing";

export const APP_SECRET = "test-app-secret";
export const ACCESS_TOKEN = "EAAGm0PX4ZCpsBAKzSECRETTOKEN123";
export const VERIFY_TOKEN = "verify-me";
export const PHONE_NUMBER_ID = "106540352242922";
export const GRAPH = "https://graph.facebook.com/v21.0";

/** The shared fixtures, vendored unchanged (test-fixtures/shared/SOURCES.md). */
export const SHARED_FIXTURES = fileURLToPath(new URL("../test-fixtures/shared/", import.meta.url));
/** The originals next to the repository, when this machine has them. */
export const ORIGINAL_SHARED_FIXTURES = fileURLToPath(
  new URL("../../../../shared/fixtures/whatsapp/", import.meta.url),
);

export function sharedFixture(name: string): string {
  return readFileSync(SHARED_FIXTURES + name, "utf8");
}

export function ownFixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../test-fixtures/${name}`, import.meta.url)), "utf8");
}

/** A webhook POST signed like Meta signs it. */
export function signedRequest(
  body: string,
  secret = APP_SECRET,
  url = "https://shop.example/webhooks/whatsapp",
): Request {
  return new Request(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${signHmac(body, secret, "hex")}` },
  });
}

/** A WhatsApp ticket of the test number's customer (core's sample, on this channel). */
export function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return sampleTicket({ channel: "whatsapp", conversationKey: `wa:${PHONE_NUMBER_ID}:821012345678`, ...overrides });
}

/** The WhatsApp customer (core's sample, known by her phone number). */
export function customer(overrides: Partial<Customer> = {}): Customer {
  return sampleCustomer({ identities: [{ kind: "whatsapp", value: "821012345678" }], ...overrides });
}
