/** What this package's tests share: the test number's ids and secrets, fixtures, signed bodies, channels and desks. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { manualClock, signHmac } from "@storedesk/core";
import type { Customer, DeskOptions, Ticket } from "@storedesk/core";
import { channelTestDesk, sampleCustomer, sampleTicket } from "@storedesk/core/testing";
import { whatsappChannel, type WhatsAppChannel, type WhatsAppChannelOptions } from "./index.js";

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

/** A webhook POST of these exact characters or bytes, signed like Meta signs it. */
export function signedRequest(
  body: string | Uint8Array,
  secret = APP_SECRET,
  url = "https://shop.example/webhooks/whatsapp",
): Request {
  return new Request(url, {
    method: "POST",
    body: typeof body === "string" ? body : Buffer.from(body),
    headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${signHmac(body, secret, "hex")}` },
  });
}

/** The test number's channel; `extra` adds or overrides options (clock, templates, sleep…). */
export function testWhatsAppChannel(extra: Partial<WhatsAppChannelOptions> = {}): WhatsAppChannel {
  return whatsappChannel({
    accessToken: ACCESS_TOKEN,
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    phoneNumberId: PHONE_NUMBER_ID,
    ...extra,
  });
}

/**
 * A desk with the test number's channel (plus `channel` options) on a memory store and a manual
 * clock at `at`, and `post`, which signs a body to its webhook.
 */
export function whatsappTestDesk(
  at: Date,
  opts: { desk?: Partial<DeskOptions>; channel?: Partial<WhatsAppChannelOptions> } = {},
) {
  const clock = manualClock(at);
  const whatsapp = testWhatsAppChannel({ clock, ...opts.channel });
  const desk = channelTestDesk([whatsapp], { clock, options: opts.desk ?? {} });
  return { clock, whatsapp, desk, post: (body: string) => desk.webhook("whatsapp")(signedRequest(body)) };
}

/**
 * A Cloud API webhook body as Meta posts it: one `messages` change of the test number, whose
 * `value` carries these fields (`messages`, `statuses`, `contacts`…) after its metadata.
 */
export function cloudApiBody(value: Record<string, unknown>): string {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: PHONE_NUMBER_ID },
              ...value,
            },
          },
        ],
      },
    ],
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
