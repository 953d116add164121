import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createHmac } from "node:crypto";
import type { Ticket } from "@storedesk/core";
import { sampleTicket } from "@storedesk/core/testing";

const FIXTURES = fileURLToPath(new URL("../test-fixtures/", import.meta.url));

/** Reads a fixture as text (exact bytes matter for signatures). */
export function fixtureText(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, "utf8");
}

/** Reads and parses a JSON fixture. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

export const SHOP = "example-shop.myshopify.com";
export const TOKEN = "shpat_0123456789abcdef0123456789abcdef";
export const GRAPHQL_URL = `https://${SHOP}/admin/api/2025-10/graphql.json`;
export const SECRET = "whsec-test-app-secret";

/** Computed independently of the code under test (node:crypto directly). */
export function shopifySignature(body: string, secret = SECRET): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

/** A signed Shopify webhook request. */
export function webhookRequest(
  topic: string,
  body: string,
  opts: { id?: string; signature?: string | null; shop?: string } = {},
): Request {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-shopify-topic": topic,
    "x-shopify-webhook-id": opts.id ?? `wh-${topic}-${Math.abs(hash(body))}`,
    "x-shopify-shop-domain": opts.shop ?? SHOP,
    "x-shopify-api-version": "2025-10",
  };
  const sig = opts.signature === undefined ? shopifySignature(body) : opts.signature;
  if (sig !== null) headers["x-shopify-hmac-sha256"] = sig;
  return new Request("https://support.example.com/webhooks/shopify", { method: "POST", headers, body });
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

/** A valid ticket for direct store inserts (core's sample: an English refund request by e-mail). */
export function makeTicket(over: Partial<Ticket> & Pick<Ticket, "id" | "number" | "customerId">): Ticket {
  return sampleTicket({ subject: "help", category: "refund_exchange", language: "en", ...over });
}

/** Collects every message of an error and its cause chain. */
export function causeMessages(err: unknown): string[] {
  const out: string[] = [];
  let cur: unknown = err;
  for (let i = 0; cur && i < 10; i++) {
    if (cur instanceof Error) {
      out.push(cur.message, cur.stack ?? "");
      cur = cur.cause;
    } else {
      out.push(typeof cur === "string" ? cur : JSON.stringify(cur));
      break;
    }
  }
  return out;
}
