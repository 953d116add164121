/**
 * The scenarios of desk-integration.test.ts: each real adapter's fixtures fed through `createDesk`
 * on a given store, with the snapshot both stores are compared by. The adapters are imported from
 * their sources by relative path: this package does not (and should not) depend on them at run time.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import {
  createDesk,
  manualClock,
  memoryStore,
  signHmac,
  type Desk,
  type DeskOptions,
  type Store,
} from "@storedesk/core";
import { emailChannel, EMAIL_SIGNATURE_HEADER } from "../../email/src/index.js";
import { encodeIso2022KrForTest } from "../../email/src/test-support.js";
import { metaChannel } from "../../meta/src/index.js";
import { whatsappChannel } from "../../whatsapp/src/index.js";
import { type Opened } from "./helpers.js";

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const EMAIL_FIXTURES = [
  here("../../email/test-fixtures/shared/"),
  here("../../email/test-fixtures/"),
  here("../test-fixtures/"),
];
const WA_FIXTURES = [here("../../whatsapp/test-fixtures/shared/"), here("../../whatsapp/test-fixtures/")];
const META_FIXTURES = here("../../meta/test-fixtures/");
/** Shopify webhook payloads. */
export const SHOPIFY_FIXTURES = here("../../shopify/test-fixtures/");

const GRAPH = "https://graph.facebook.com/v21.0";
const WA_SECRET = "wa-app-secret";
const WA_PHONE_ID = "106540352242922";
const META_SECRET = "meta-app-secret";
const PAGE_ID = "105678901234567";
const IG_ID = "17841400000000001";
/** The Shopify app secret the fixtures are signed with. */
export const SHOPIFY_SECRET = "whsec-test-app-secret";
const EMAIL_SECRET = "email-webhook-secret";
/** Where the scenarios' clocks start. */
export const T0 = new Date("2026-03-02T10:05:00.000Z");

/** The mocked Graph API (msw); the test file listens and resets it. */
export const server = setupServer();

function files(dir: string, ext: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => dir + f);
}

/** Ids counted up from 1: the same calls give the same ids on every store, so snapshots compare whole. */
function counterIds(): () => string {
  let n = 0;
  return () => `id-${String(++n).padStart(4, "0")}`;
}

function metaSigned(body: string, secret: string): Request {
  return new Request("https://shop.example/webhooks/meta", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${signHmac(body, secret, "hex")}` },
  });
}

/**
 * Messages by time, then id. The memory store lists messages in insertion order even when a
 * provider's timestamp (an email Date header, a late WhatsApp delivery) is older than a
 * message stored before it, while PostgreSQL lists them oldest first as the Store port says;
 * the snapshots compare contents, and the PostgreSQL order is checked on its own.
 */
function byTime<T extends { createdAt: Date; id: string }>(list: readonly T[]): T[] {
  return [...list].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** Everything the desk stored, read back through the desk and the store. */
export async function snapshot(desk: Desk, store: Store) {
  const tickets = await desk.listTickets({});
  return {
    tickets,
    threads: await Promise.all(
      tickets.map(async (t) => ({
        number: t.number,
        messages: byTime(await desk.listMessages(t.id)),
        events: await desk.listEvents(t.id),
      })),
    ),
    customers: await Promise.all([...new Set(tickets.map((t) => t.customerId))].map((id) => desk.getCustomer(id))),
    // listJobs orders by runAt; jobs due at the same instant have no order, so ties go by key.
    jobs: (await store.listJobs()).sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.key.localeCompare(b.key)),
  };
}

/** A run of one adapter's fixtures through a desk on `store`. */
export type Scenario = (store: Store) => Promise<{ desk: Desk; extra?: unknown }>;

/** Runs a scenario on the memory store and on `open()`'s store and returns both snapshots. */
export async function compare(scenario: Scenario, opened: Opened) {
  const mem = memoryStore();
  const a = await scenario(mem);
  const b = await scenario(opened.store);
  return {
    memory: { ...(await snapshot(a.desk, mem)), extra: a.extra },
    postgres: { ...(await snapshot(b.desk, opened.store)), extra: b.extra },
  };
}

/** A desk with deterministic ids that waits for sends, as the scenarios need. */
export function deskOn(
  store: Store,
  clock: ReturnType<typeof manualClock>,
  channels: DeskOptions["channels"],
  over: Partial<DeskOptions> = {},
): Desk {
  return createDesk({
    store,
    clock,
    channels,
    newId: counterIds(),
    workerId: "w1",
    autoAcknowledge: false,
    outbox: { wait: "sent" },
    ...over,
  });
}

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

/** The email fixtures (DSN, attachments, EUC-KR, ISO-2022-KR), a signed webhook and a reply. */
export const emailScenario: Scenario = async (store) => {
  const clock = manualClock(T0);
  const sent: unknown[] = [];
  const email = emailChannel({
    from: { address: "support@dalbit.example", name: "달빛상점 고객센터" },
    transport: {
      sendMail: async (mail) => {
        sent.push(mail.messageId);
        return { messageId: String(mail.messageId), accepted: [mail.to] };
      },
    },
    webhookSecret: EMAIL_SECRET,
    replyTo: "plus-address",
    clock,
  });
  const desk = deskOn(store, clock, [email], { autoAcknowledge: true });
  const outcomes: string[] = [];
  const raws: Array<Uint8Array | string> = EMAIL_FIXTURES.flatMap((dir) => files(dir, ".eml")).map((f) =>
    readFileSync(f),
  );
  raws.push(
    Buffer.concat([
      Buffer.from(
        "From: =?UTF-8?B?7J207ISc7Jew?= <lee@hanmail.net>\r\nTo: support@dalbit.example\r\nSubject: iso-2022-kr\r\nMessage-ID: <iso2022kr-1@hanmail.net>\r\nDate: Wed, 25 Nov 2026 09:12:03 +0900\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-KR\r\n\r\n",
      ),
      encodeIso2022KrForTest("환불은 언제 되나요?\r\n주문번호 #1043 입니다.\r\n"),
    ]),
  );
  for (const raw of raws) {
    clock.advance(60_000);
    for (const event of await email.parse(raw)) outcomes.push((await desk.ingest(event)).outcome);
  }
  // One more through the signed webhook, exactly as a mail relay posts it.
  const body =
    "From: Kim <KIM@Example.com>\r\nTo: support@dalbit.example\r\nSubject: webhook\r\nMessage-ID: <wh-1@example.com>\r\nDate: Mon, 02 Mar 2026 10:30:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n교환 원합니다\r\n";
  const res = await desk.webhook("email")(
    new Request("https://shop.example/webhooks/email", {
      method: "POST",
      body,
      headers: {
        "content-type": "message/rfc822",
        [EMAIL_SIGNATURE_HEADER]: `sha256=${signHmac(body, EMAIL_SECRET, "hex")}`,
      },
    }),
  );
  outcomes.push(`webhook ${res.status}`);
  const first = (await desk.listTickets({}))[0]!;
  await desk.reply(first.id, {
    text: "확인했습니다. 내일 발송됩니다.",
    html: "<p>확인했습니다.</p>",
    agentId: "agent-1",
  });
  return { desk, extra: { outcomes, sent } };
};

/** The WhatsApp fixtures, a reply through the Graph API and its receipts. */
export const whatsappScenario: Scenario = async (store) => {
  // Just after the fixtures' newest message, inside the 24-hour window.
  const clock = manualClock(new Date("2026-01-01T01:00:00Z"));
  const whatsapp = whatsappChannel({
    accessToken: "EAAtoken",
    appSecret: WA_SECRET,
    verifyToken: "v",
    phoneNumberId: WA_PHONE_ID,
    clock,
    sleep: async () => undefined,
  });
  const desk = deskOn(store, clock, [whatsapp]);
  const webhook = desk.webhook("whatsapp");
  const statuses: number[] = [];
  for (const file of WA_FIXTURES.flatMap((dir) => files(dir, ".json"))) {
    // Fixtures name their own phone number id; sign them unchanged.
    const body = readFileSync(file, "utf8");
    statuses.push((await webhook(metaSigned(body, WA_SECRET))).status);
  }
  const ticket = (await desk.listTickets({ channel: "whatsapp", newestFirst: true }))[0]!;
  let n = 0;
  server.use(
    http.post(`${GRAPH}/:phone/messages`, () =>
      HttpResponse.json({ messaging_product: "whatsapp", messages: [{ id: `wamid.OUT${++n}` }] }),
    ),
  );
  const reply = await desk.reply(ticket.id, { text: "내일 도착 예정입니다.", agentId: "agent-1" });
  // Its receipts, one of them twice, then a read that overtakes nothing.
  for (const status of ["sent", "delivered", "delivered", "read"]) {
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "1",
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "15550783881", phone_number_id: WA_PHONE_ID },
                statuses: [{ id: reply.externalId, status, timestamp: "1772409900", recipient_id: "821012345678" }],
              },
            },
          ],
        },
      ],
    });
    statuses.push((await webhook(metaSigned(body, WA_SECRET))).status);
  }
  return { desk, extra: { statuses } };
};

/** Messenger and Instagram DMs, comments and an echo. */
export const metaScenario: Scenario = async (store) => {
  const clock = manualClock(T0);
  const meta = metaChannel({
    pageAccessToken: "EAAPAGE",
    appSecret: META_SECRET,
    verifyToken: "v",
    pageId: PAGE_ID,
    instagramAccountId: IG_ID,
    clock,
    sleep: async () => undefined,
  });
  const desk = deskOn(store, clock, meta.adapters);
  const webhook = desk.webhook("messenger");
  const statuses: number[] = [];
  for (const file of files(META_FIXTURES, ".json"))
    statuses.push((await webhook(metaSigned(readFileSync(file, "utf8"), META_SECRET))).status);
  const dm = (await desk.listTickets({ channel: "messenger" })).find((t) => t.kind === "conversation")!;
  server.use(
    http.post(`${GRAPH}/:page/messages`, () =>
      HttpResponse.json({ recipient_id: "6789012345678901", message_id: "m_OUT1" }),
    ),
  );
  const reply = await desk.reply(dm.id, { text: "주문번호를 알려주세요.", agentId: "agent-1" });
  // The page's echo of that reply: never a customer message.
  const psid = (await desk.getCustomer(dm.customerId))!.identities.find((i) => i.kind === "messenger")!.value;
  const echo = JSON.stringify({
    object: "page",
    entry: [
      {
        id: PAGE_ID,
        time: T0.getTime(),
        messaging: [
          {
            sender: { id: PAGE_ID },
            recipient: { id: psid },
            timestamp: T0.getTime(),
            message: { mid: reply.externalId, is_echo: true, text: "주문번호를 알려주세요." },
          },
        ],
      },
    ],
  });
  statuses.push((await webhook(metaSigned(echo, META_SECRET))).status);
  return { desk, extra: { statuses } };
};

/** Fields the adapters fill, checked explicitly so a snapshot equal on both sides cannot hide an empty one. */
export function messagesOf(snap: Awaited<ReturnType<typeof snapshot>>) {
  return snap.threads.flatMap((t) => t.messages);
}
