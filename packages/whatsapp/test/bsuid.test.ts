/**
 * WhatsApp users known by a business-scoped user ID (BSUID), with or without their phone number,
 * posted signed through a real desk. The payloads follow Meta's "Business-scoped user IDs" page,
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
 * (read through its copies at support.chatarchitect.com/books/meta-whatsapp/page/business-scoped-user-ids-developer-documentation
 * and arrahmah.netlify.app/host-https-developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/),
 * whose incoming-message example reads
 *
 *   "contacts": [ { "profile": { "name": "<USER_DISPLAY_NAME>", "username": "<USERNAME>" },
 *                   "user_id": "<BSUID>" } ],
 *
 * with `messages[].from_user_id` set to the BSUID and `from` / `contacts[].wa_id` omitted for a
 * user who adopted a username ("Starting March 31, 2026, message webhooks include new BSUID fields
 * (user_id, from_user_id) and some existing fields (wa_id, from) may be omitted",
 * https://dualhook.com/docs/webhook-events). Status webhooks: `recipient_id` is omitted for a
 * message sent to a BSUID, `recipient_user_id` is always there, and delivered/read carry a
 * `contacts` entry with `user_id` (https://dualhook.com/docs/contacts-bsuid-webhooks).
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore } from "@storedesk/core";
import { hostileBodies, watchStoreWrites, wrongTypeVariants } from "@storedesk/core/testing";
import { whatsappChannel } from "../src/index.js";
import {
  ACCESS_TOKEN,
  APP_SECRET,
  cloudApiBody,
  GRAPH,
  PHONE_NUMBER_ID,
  signedRequest,
  VERIFY_TOKEN,
} from "../src/test-support.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const AT = new Date("2026-09-02T09:00:00Z");
const TS = String(Math.floor(AT.getTime() / 1000));
const BSUID = "KR.1502576394655843";
const PHONE = "821012345678";

function setup() {
  const clock = manualClock(AT);
  const whatsapp = whatsappChannel({
    accessToken: ACCESS_TOKEN,
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    phoneNumberId: PHONE_NUMBER_ID,
    clock,
  });
  const watched = watchStoreWrites(memoryStore());
  const desk = createDesk({
    store: watched.store,
    channels: [whatsapp],
    clock,
    autoAcknowledge: false,
    outbox: { wait: "sent" },
  });
  return { desk, watched, post: (body: string) => desk.webhook("whatsapp")(signedRequest(body)) };
}

type Json = Record<string, unknown>;

/** A `messages` change value, wrapped in the webhook envelope (the shared builder's, as an object to edit). */
function envelope(value: Json): Json {
  return JSON.parse(cloudApiBody(value)) as Json;
}

/** A text from a user who hides their number: only `user_id` / `from_user_id`, with a username. */
function bsuidOnly(id: string, text = "배송 언제 와요?", bsuid = BSUID): Json {
  return envelope({
    contacts: [{ profile: { name: "김민지", username: "minji.k" }, user_id: bsuid }],
    messages: [{ from_user_id: bsuid, id, timestamp: TS, type: "text", text: { body: text } }],
  });
}

/** The same user while Meta still shares the number: both ids on the contact and the message. */
function withPhone(id: string, text = "주문 확인 부탁드려요"): Json {
  return envelope({
    contacts: [{ profile: { name: "김민지", username: "minji.k" }, wa_id: PHONE, user_id: BSUID }],
    messages: [{ from: PHONE, from_user_id: BSUID, id, timestamp: TS, type: "text", text: { body: text } }],
  });
}

const post = (p: ReturnType<typeof setup>, body: Json) => p.post(JSON.stringify(body));

describe("whatsapp users without a phone number (BSUID)", () => {
  it("stores a text from a user known only by a BSUID and a username (not a 400)", async () => {
    const p = setup();
    expect((await post(p, bsuidOnly("wamid.BSUID1"))).status).toBe(200);
    const [ticket] = await p.desk.listTickets({});
    expect(ticket?.conversationKey).toBe(`wa:${PHONE_NUMBER_ID}:${BSUID}`);
    const [message] = await p.desk.listMessages(ticket!.id);
    expect(message?.text).toBe("배송 언제 와요?");
    expect(message?.meta).toMatchObject({ userId: BSUID, username: "minji.k" });
    const customer = await p.desk.getCustomer(ticket!.customerId);
    expect(customer?.identities).toEqual([{ kind: "whatsapp_bsuid", value: BSUID }]);
    expect(customer?.name).toBe("김민지");
  });

  it("names a customer who shows only a username by that username", async () => {
    const p = setup();
    const body = bsuidOnly("wamid.USERNAME1");
    (
      body as { entry: Array<{ changes: Array<{ value: { contacts: Json[] } }> }> }
    ).entry[0]!.changes[0]!.value.contacts = [{ profile: { username: "minji.k" }, user_id: BSUID }];
    expect((await post(p, body)).status).toBe(200);
    const [ticket] = await p.desk.listTickets({});
    expect((await p.desk.getCustomer(ticket!.customerId))?.name).toBe("minji.k");
  });

  it("gives a customer who writes with number and BSUID both, the number first; the BSUID keys the conversation", async () => {
    const p = setup();
    expect((await post(p, withPhone("wamid.BOTH1"))).status).toBe(200);
    const [ticket] = await p.desk.listTickets({});
    // The BSUID stays when the user hides their number later; the number is the alias.
    expect(ticket?.conversationKey).toBe(`wa:${PHONE_NUMBER_ID}:${BSUID}`);
    expect((await p.desk.getCustomer(ticket!.customerId))?.identities).toEqual([
      { kind: "whatsapp", value: PHONE },
      { kind: "phone", value: `+${PHONE}` },
      { kind: "whatsapp_bsuid", value: BSUID },
    ]);
  });

  it("keeps the same person one customer when their number disappears from the webhooks", async () => {
    const p = setup();
    await post(p, withPhone("wamid.BOTH2"));
    expect((await post(p, bsuidOnly("wamid.HIDDEN2"))).status).toBe(200);
    const tickets = await p.desk.listTickets({});
    expect(new Set(tickets.map((t) => t.customerId)).size).toBe(1);
    expect(await p.desk.findCustomer({ kind: "whatsapp_bsuid", value: BSUID })).toMatchObject({
      id: tickets[0]!.customerId,
    });
    expect((await p.desk.findCustomer({ kind: "phone", value: `+${PHONE}` }))?.id).toBe(tickets[0]!.customerId);
    // …and one conversation: the message without the number continues the same ticket.
    expect(tickets).toHaveLength(1);
    expect(await p.desk.listMessages(tickets[0]!.id)).toHaveLength(2);
  });

  it("continues a conversation keyed by the number before BSUIDs, moving it to the BSUID (no split at upgrade)", async () => {
    const p = setup();
    // A ticket from before BSUIDs: keyed by the number.
    const before = await p.desk.ingest({
      type: "message",
      channel: "whatsapp",
      externalId: "wamid.OLD1",
      occurredAt: new Date(),
      text: "주문 확인 부탁드려요",
      from: {
        identities: [
          { kind: "whatsapp", value: PHONE },
          { kind: "phone", value: `+${PHONE}` },
        ],
      },
      conversationKey: `wa:${PHONE_NUMBER_ID}:${PHONE}`,
    });
    expect((await post(p, withPhone("wamid.BOTH3"))).status).toBe(200);
    expect((await post(p, bsuidOnly("wamid.HIDDEN3"))).status).toBe(200);
    const tickets = await p.desk.listTickets({});
    expect(tickets.map((t) => t.id)).toEqual([before.ticket!.id]);
    expect(tickets[0]!.conversationKey).toBe(`wa:${PHONE_NUMBER_ID}:${BSUID}`);
    expect(await p.desk.listMessages(before.ticket!.id)).toHaveLength(3);
  });

  it("takes a BSUID found in `from` for the BSUID it is, not for a phone number", async () => {
    const p = setup();
    const body = envelope({
      contacts: [{ profile: { name: "김민지" }, user_id: BSUID }],
      messages: [{ from: BSUID, id: "wamid.FROMBSUID", timestamp: TS, type: "text", text: { body: "hi" } }],
    });
    expect((await post(p, body)).status).toBe(200);
    const [ticket] = await p.desk.listTickets({});
    expect((await p.desk.getCustomer(ticket!.customerId))?.identities).toEqual([
      { kind: "whatsapp_bsuid", value: BSUID },
    ]);
  });

  it("a redelivered BSUID-only message adds nothing", async () => {
    const p = setup();
    const body = bsuidOnly("wamid.REDELIVER");
    expect((await post(p, body)).status).toBe(200);
    p.watched.reset();
    expect((await post(p, body)).status).toBe(200);
    expect(p.watched.writes()).toEqual([]);
    const [ticket] = await p.desk.listTickets({});
    expect(await p.desk.listMessages(ticket!.id)).toHaveLength(1);
  });

  it("moves the customer and their open conversation to a changed number (system user_changed_number)", async () => {
    const p = setup();
    const NEW = "821098765432";
    const text = (from: string, id: string) =>
      envelope({
        contacts: [{ profile: { name: "김민지" }, wa_id: from }],
        messages: [{ from, id, timestamp: TS, type: "text", text: { body: "주문 확인 부탁드려요" } }],
      });
    expect((await post(p, text(PHONE, "wamid.OLDNUM"))).status).toBe(200);
    // Cloud API reference, messages webhook, system message: `from` the old number, `new_wa_id` the new.
    const change = envelope({
      messages: [
        {
          from: PHONE,
          id: "wamid.NUMCHANGE",
          timestamp: TS,
          type: "system",
          system: { body: `김민지 changed from ${PHONE} to ${NEW}`, new_wa_id: NEW, type: "user_changed_number" },
        },
      ],
    });
    expect((await post(p, change)).status).toBe(200);
    expect((await post(p, text(NEW, "wamid.NEWNUM"))).status).toBe(200);
    const tickets = await p.desk.listTickets({});
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.conversationKey).toBe(`wa:${PHONE_NUMBER_ID}:${NEW}`);
    expect((await p.desk.listMessages(tickets[0]!.id)).map((m) => m.externalId)).toEqual([
      "wamid.OLDNUM",
      "wamid.NUMCHANGE",
      "wamid.NEWNUM",
    ]);
    expect((await p.desk.findCustomer({ kind: "phone", value: `+${NEW}` }))?.id).toBe(tickets[0]!.customerId);
  });

  it("keeps the customer across a BSUID change (system user_changed_user_id), whichever id from_user_id carries", async () => {
    // The Aug 11, 2026 changelog (developers.facebook.com/documentation/business-messaging/whatsapp/changelog/):
    // "delivered on the messages field as a system message with system.type set to user_changed_user_id,
    // carrying system.previous_user_id and system.previous_parent_user_id alongside the new values";
    // system messages come without a contacts array.
    const NEW = "KR.9902576394655111";
    for (const fromUserId of [BSUID, NEW, undefined]) {
      const p = setup();
      await post(p, bsuidOnly("wamid.BEFORE"));
      const change = envelope({
        messages: [
          {
            ...(fromUserId ? { from_user_id: fromUserId } : {}),
            id: "wamid.SYSTEM_BSUID",
            timestamp: TS,
            type: "system",
            system: {
              body: "User 김민지 changed their business-scoped user ID",
              type: "user_changed_user_id",
              user_id: NEW,
              previous_user_id: BSUID,
            },
          },
        ],
      });
      expect((await post(p, change)).status, String(fromUserId)).toBe(200);
      await post(p, bsuidOnly("wamid.AFTER", "아직 안 왔어요", NEW));
      const tickets = await p.desk.listTickets({});
      expect(new Set(tickets.map((t) => t.customerId)).size, String(fromUserId)).toBe(1);
      const system = (await Promise.all(tickets.map((t) => p.desk.listMessages(t.id))))
        .flat()
        .find((m) => m.externalId === "wamid.SYSTEM_BSUID");
      expect(system?.meta.system).toMatchObject({
        type: "user_changed_user_id",
        newUserId: NEW,
        previousUserId: BSUID,
      });
    }
  });
});

describe("whatsapp replies to a user without a phone number", () => {
  it("sends the reply to the BSUID as `recipient`, without `to`, and applies its receipts", async () => {
    const p = setup();
    const sent: Json[] = [];
    server.use(
      http.post(`${GRAPH}/${PHONE_NUMBER_ID}/messages`, async ({ request }) => {
        sent.push((await request.json()) as Json);
        // Meta's send answer for a BSUID: contacts[].input and user_id, no wa_id.
        return HttpResponse.json({
          messaging_product: "whatsapp",
          contacts: [{ input: BSUID, user_id: BSUID }],
          messages: [{ id: "wamid.OUT_BSUID" }],
        });
      }),
    );
    await post(p, bsuidOnly("wamid.ASK"));
    const [ticket] = await p.desk.listTickets({});
    const reply = await p.desk.reply(ticket!.id, { text: "내일 도착 예정입니다.", agentId: "agent-1" });
    expect(reply.deliveryStatus).toBe("sent");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ messaging_product: "whatsapp", recipient: BSUID, type: "text" });
    expect(sent[0]).not.toHaveProperty("to");

    // Receipts for a message sent to a BSUID: no recipient_id, a contact without wa_id.
    const receipts = envelope({
      contacts: [{ profile: { name: "김민지", username: "minji.k" }, user_id: BSUID }],
      statuses: [
        {
          id: "wamid.OUT_BSUID",
          status: "delivered",
          timestamp: TS,
          recipient_user_id: BSUID,
          biz_opaque_callback_data: reply.id,
        },
      ],
    });
    expect((await post(p, receipts)).status).toBe(200);
    const outbound = (await p.desk.listMessages(ticket!.id)).find((m) => m.externalId === "wamid.OUT_BSUID");
    expect(outbound?.deliveryStatus).toBe("delivered");
  });
});

/** `body` with the value at `path` (dot-separated, numeric parts index arrays) replaced. */
function withValue(body: Json, path: string, value: unknown): string {
  const copy = structuredClone(body);
  const keys = path.split(".");
  let cursor = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) cursor = cursor[key] as Record<string, unknown>;
  cursor[keys.at(-1)!] = value;
  return JSON.stringify(copy);
}

const VALUE = "entry.0.changes.0.value";
/** Every new field Meta added for BSUIDs and usernames, in a body the adapter accepted before them. */
const NEW_FIELDS = [
  `${VALUE}.messages.0.from_user_id`,
  `${VALUE}.messages.0.from_parent_user_id`,
  `${VALUE}.contacts.0.user_id`,
  `${VALUE}.contacts.0.parent_user_id`,
];

describe("whatsapp BSUID fields: hostile values are a 400 and write nothing", () => {
  const hostile = hostileBodies({ hugeBytes: 100_000, depth: 50 })
    .map((b) => b.body)
    .filter((b): b is string => typeof b === "string");
  const wrongTypes: unknown[] = [123, true, null, {}, [BSUID], "", " ", `${BSUID}\u0000`, "8210 1234", "x".repeat(257)];

  it.each(NEW_FIELDS)("%s: every hostile text and every wrong type", async (path) => {
    for (const value of [...hostile, ...wrongTypes]) {
      const p = setup();
      const res = await p.post(withValue(withPhone("wamid.HOSTILE"), path, value));
      expect(res.status, `${path} = ${JSON.stringify(value).slice(0, 40)}`).toBe(400);
      expect(p.watched.writes()).toEqual([]);
    }
  });

  it("an over-long username, a username or status BSUID of the wrong type, or no sender id at all is a 400 and writes nothing", async () => {
    const receipt = envelope({
      statuses: [{ id: "wamid.OUT1", status: "delivered", timestamp: TS, recipient_user_id: BSUID }],
    });
    for (const [body, path, value] of [
      [withPhone("wamid.U1"), `${VALUE}.contacts.0.profile.username`, "m".repeat(101)],
      [withPhone("wamid.U2"), `${VALUE}.contacts.0.profile.username`, 42],
      [receipt, `${VALUE}.statuses.0.recipient_user_id`, "x".repeat(100_000)],
      [receipt, `${VALUE}.statuses.0.recipient_user_id`, { id: BSUID }],
      // Neither `from` nor `from_user_id`, and a contact with neither `wa_id` nor `user_id`.
      [bsuidOnly("wamid.U3"), `${VALUE}.contacts`, [{ profile: { name: "김민지" } }]],
      [
        envelope({ messages: [{ id: "wamid.U4", timestamp: TS, type: "text", text: { body: "hi" } }] }),
        `${VALUE}.messages.0.type`,
        "text",
      ],
    ] as const) {
      const p = setup();
      expect((await p.post(withValue(body, path, value))).status, path).toBe(400);
      expect(p.watched.writes()).toEqual([]);
    }
  });

  it("any one field of a BSUID-only body of the wrong type is answered below 500; its redelivery writes nothing", async () => {
    const statuses = new Set<number>();
    let stored = 0;
    for (const { path, body } of wrongTypeVariants(bsuidOnly("wamid.VARIANT"), 9)) {
      const p = setup();
      const first = await p.post(body);
      statuses.add(first.status);
      expect(first.status, path).toBeLessThan(500);
      if (first.status >= 400) expect(p.watched.writes(), path).toEqual([]);
      if ((await p.desk.listTickets({})).length > 0) stored += 1;
      p.watched.reset();
      expect((await p.post(body)).status, path).toBeLessThan(500);
      expect(p.watched.writes(), path).toEqual([]);
    }
    expect([...statuses].sort()).toEqual([200, 400]);
    // Variants that only drop or reshape what the adapter does not need (a contact, the timestamp) are kept.
    expect(stored).toBeGreaterThan(10);
  });
});
