import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { signHmac } from "@storedesk/core";
import type { Customer, Ticket } from "@storedesk/core";

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
  return new Request("https://shop.example/webhooks/meta", { method: "POST", body, headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${signHmac(body, secret, "hex")}` } });
}

export function ticket(overrides: Partial<Ticket> = {}): Ticket {
  const at = new Date("2026-03-02T00:00:00Z");
  return {
    id: "t_1", number: 1, subject: null, status: "open", priority: "normal", category: "other", channel: "messenger", kind: "conversation",
    customerId: "c_1", assigneeId: null, team: null, tags: [], language: "ko", conversationKey: `meta:${PAGE_ID}:${PSID}`,
    version: 1, createdAt: at, updatedAt: at, lastCustomerMessageAt: at, firstRepliedAt: null, solvedAt: null, closedAt: null,
    followUpOf: null, mergedInto: null, slaDueAt: null, sla: null, complaint: null, meta: {}, ...overrides,
  };
}

export function customer(overrides: Partial<Customer> = {}): Customer {
  const at = new Date("2026-03-02T00:00:00Z");
  return { id: "c_1", name: null, locale: "ko", identities: [{ kind: "messenger", value: PSID }], attributes: {}, createdAt: at, updatedAt: at, mergedInto: null, ...overrides };
}
