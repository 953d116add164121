import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { signHmac } from "@storedesk/core";
import type { Customer, Ticket } from "@storedesk/core";

export const APP_SECRET = "test-app-secret";
export const ACCESS_TOKEN = "EAAGm0PX4ZCpsBAKzSECRETTOKEN123";
export const VERIFY_TOKEN = "verify-me";
export const PHONE_NUMBER_ID = "106540352242922";
export const GRAPH = "https://graph.facebook.com/v21.0";

/** The shared real fixtures (read-only). */
/** The shared fixtures, vendored unchanged (test-fixtures/shared/SOURCES.md). */
export const SHARED_FIXTURES = fileURLToPath(new URL("../test-fixtures/shared/", import.meta.url));
/** The originals next to the repository, when this machine has them. */
export const ORIGINAL_SHARED_FIXTURES = fileURLToPath(new URL("../../../../shared/fixtures/whatsapp/", import.meta.url));

export function sharedFixture(name: string): string {
  return readFileSync(SHARED_FIXTURES + name, "utf8");
}

export function ownFixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../test-fixtures/${name}`, import.meta.url)), "utf8");
}

/** A webhook POST signed like Meta signs it. */
export function signedRequest(body: string, secret = APP_SECRET, url = "https://shop.example/webhooks/whatsapp"): Request {
  return new Request(url, { method: "POST", body, headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${signHmac(body, secret, "hex")}` } });
}

export function ticket(overrides: Partial<Ticket> = {}): Ticket {
  const at = new Date("2026-03-02T00:00:00Z");
  return {
    id: "t_1", number: 1, subject: null, status: "open", priority: "normal", category: "other", channel: "whatsapp", kind: "conversation",
    customerId: "c_1", assigneeId: null, team: null, tags: [], language: "ko", conversationKey: `wa:${PHONE_NUMBER_ID}:821012345678`,
    version: 1, createdAt: at, updatedAt: at, lastCustomerMessageAt: at, firstRepliedAt: null, solvedAt: null, closedAt: null,
    followUpOf: null, mergedInto: null, slaDueAt: null, sla: null, complaint: null, meta: {}, ...overrides,
  };
}

export function customer(overrides: Partial<Customer> = {}): Customer {
  const at = new Date("2026-03-02T00:00:00Z");
  return { id: "c_1", name: "김민지", locale: "ko", identities: [{ kind: "whatsapp", value: "821012345678" }], attributes: {}, createdAt: at, updatedAt: at, mergedInto: null, ...overrides };
}
