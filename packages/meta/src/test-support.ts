/** What this package's tests share: the test page's ids and secrets, signed bodies, channels and desks. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { manualClock, signHmac } from "@storedesk/core";
import type { Customer, DeskOptions, Ticket } from "@storedesk/core";
import { channelTestDesk, sampleCustomer, sampleTicket } from "@storedesk/core/testing";
import { metaChannel, type MetaChannelOptions, type MetaChannels } from "./index.js";

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

/** A webhook POST of these exact characters or bytes, signed like Meta signs it. */
export function signedRequest(body: string | Uint8Array, secret = APP_SECRET): Request {
  return new Request("https://shop.example/webhooks/meta", {
    method: "POST",
    body: typeof body === "string" ? body : Buffer.from(body),
    headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${signHmac(body, secret, "hex")}` },
  });
}

/** The test page's Messenger and Instagram channels; `extra` adds or overrides options (clock, links, sleep…). */
export function testMetaChannel(extra: Partial<MetaChannelOptions> = {}): MetaChannels {
  return metaChannel({
    pageAccessToken: PAGE_TOKEN,
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    pageId: PAGE_ID,
    instagramAccountId: IG_ID,
    ...extra,
  });
}

/**
 * A desk with the test page's channels on a memory store and a manual clock at `at`, and `post`,
 * which signs a body to its Messenger webhook (Page and Instagram objects both arrive there).
 */
export function metaTestDesk(at: Date, options: Partial<DeskOptions> = {}) {
  const clock = manualClock(at);
  const meta = testMetaChannel({ clock });
  const desk = channelTestDesk(meta.adapters, { clock, options });
  return { clock, meta, desk, post: (body: string) => desk.webhook("messenger")(signedRequest(body)) };
}

/** A Messenger ticket of the test page's customer (core's sample, on this channel). */
export function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return sampleTicket({ channel: "messenger", conversationKey: `meta:${PAGE_ID}:${PSID}`, ...overrides });
}

/** The Messenger customer (core's sample, known by the test PSID). */
export function customer(overrides: Partial<Customer> = {}): Customer {
  return sampleCustomer({ name: null, identities: [{ kind: "messenger", value: PSID }], ...overrides });
}
