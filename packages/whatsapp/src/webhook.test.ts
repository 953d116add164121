import { describe, expect, it } from "vitest";
import { signHmac } from "@storedesk/core";
import type { InboundEventInput } from "@storedesk/core";
import { existsSync, readFileSync } from "node:fs";
import {
  APP_SECRET,
  cloudApiBody,
  ORIGINAL_SHARED_FIXTURES,
  ownFixture,
  PHONE_NUMBER_ID,
  SHARED_FIXTURES,
  sharedFixture,
  signedRequest,
  testWhatsAppChannel,
  VERIFY_TOKEN,
} from "./test-support.js";

const channel = (phoneNumberId = PHONE_NUMBER_ID) => testWhatsAppChannel({ phoneNumberId });
type Msg = Extract<InboundEventInput, { type: "message" }>;
const messages = (events: InboundEventInput[]) => events.filter((e): e is Msg => e.type === "message");

describe("whatsapp webhook verification (GET)", () => {
  it("echoes hub.challenge as text/plain when the verify token matches", async () => {
    const { response, events } = await channel().handleWebhook(
      new Request(`https://x/wh?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe("1158201444");
    expect(events).toEqual([]);
  });

  it("answers 403 to a wrong verify token or mode", async () => {
    const wrong = await channel().handleWebhook(
      new Request("https://x/wh?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1"),
    );
    expect(wrong.response.status).toBe(403);
    const mode = await channel().handleWebhook(
      new Request(`https://x/wh?hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`),
    );
    expect(mode.response.status).toBe(403);
  });
});

describe("whatsapp webhook signature (POST)", () => {
  const body = ownFixture("inbound-media.json");

  it("matches a known X-Hub-Signature-256 vector", () => {
    // computed independently: printf '%s' BODY | openssl dgst -sha256 -hmac test-app-secret
    expect(signHmac('{"object":"whatsapp_business_account","entry":[]}', "test-app-secret", "hex")).toBe(
      "c84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384dc",
    );
  });

  it("accepts the known vector and returns no events for an empty entry list", async () => {
    const request = new Request("https://x/wh", {
      method: "POST",
      body: '{"object":"whatsapp_business_account","entry":[]}',
      headers: { "x-hub-signature-256": "sha256=c84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384dc" },
    });
    const { response, events } = await channel().handleWebhook(request);
    expect(response.status).toBe(200);
    expect(events).toEqual([]);
  });

  it("rejects a missing signature with 401 and no events", async () => {
    const { response, events } = await channel().handleWebhook(new Request("https://x/wh", { method: "POST", body }));
    expect(response.status).toBe(401);
    expect(events).toEqual([]);
  });

  it("rejects a signature made with another secret with 401", async () => {
    const { response, events } = await channel().handleWebhook(signedRequest(body, "another-secret"));
    expect(response.status).toBe(401);
    expect(events).toEqual([]);
  });

  it("rejects a body changed after signing with 401", async () => {
    const request = signedRequest(body);
    const forged = new Request(request.url, {
      method: "POST",
      body: body.replace("파손된", "멀쩡한"),
      headers: request.headers,
    });
    expect((await channel().handleWebhook(forged)).response.status).toBe(401);
  });

  it("answers 400 to a signed body that is not JSON or not a WhatsApp payload", async () => {
    expect((await channel().handleWebhook(signedRequest("{not json"))).response.status).toBe(400);
    expect(
      (await channel().handleWebhook(signedRequest(JSON.stringify({ object: "page", entry: [] })))).response.status,
    ).toBe(400);
    const noTimestamp = JSON.parse(body);
    delete noTimestamp.entry[0].changes[0].value.messages[0].timestamp;
    const bad = await channel().handleWebhook(signedRequest(JSON.stringify(noTimestamp)));
    expect(bad.response.status).toBe(400);
    expect(bad.events).toEqual([]);
  });

  it("never echoes the app secret in an error body", async () => {
    const { response } = await channel().handleWebhook(signedRequest("{not json"));
    expect(await response.text()).not.toContain(APP_SECRET);
  });
});

describe.skipIf(!existsSync(ORIGINAL_SHARED_FIXTURES))(
  "vendored shared fixtures (skipped: ../shared/fixtures/whatsapp is absent on this machine)",
  () => {
    it("equal the originals byte for byte", () => {
      for (const name of ["inbound-text.json", "inbound-template-button-reply.json"]) {
        expect(readFileSync(SHARED_FIXTURES + name).equals(readFileSync(ORIGINAL_SHARED_FIXTURES + name)), name).toBe(
          true,
        );
      }
    });
  },
);

describe("whatsapp real payloads (shared fixtures)", () => {
  it("turns the captured text message into one inbound message", async () => {
    const adapter = channel("643196615539553");
    const { response, events } = await adapter.handleWebhook(signedRequest(sharedFixture("inbound-text.json")));
    expect(response.status).toBe(200);
    expect(events).toEqual([
      {
        type: "message",
        channel: "whatsapp",
        externalId: "wamid.HBgMNTUzMTk1NzgxMzU1FQIAEhgWM0VCMDZBMkVCQTkxOTMzNkVBMjcwQgA=",
        occurredAt: new Date(1743813734 * 1000),
        from: {
          identities: [
            { kind: "whatsapp", value: "553195781355" },
            { kind: "phone", value: "+553195781355" },
          ],
          name: "Dantas",
        },
        text: "ok",
        attachments: [],
        replyTo: [],
        conversationKey: "wa:643196615539553:553195781355",
        meta: { type: "text", phoneNumberId: "643196615539553" },
      },
    ]);
  });

  it("turns the captured template quick-reply press into a message replying to the template message", async () => {
    const adapter = channel("165481563304443");
    const { events } = await adapter.handleWebhook(signedRequest(sharedFixture("inbound-template-button-reply.json")));
    const [event] = messages(events);
    expect(events).toHaveLength(1);
    expect(event?.text).toBe("हिंदी");
    expect(event?.replyTo).toEqual(["wamid.HBgMOTE4Mzc1MDY2MTEzFQIAERgSRjMzNzY5NDA1RjkyODcwQTY4AA=="]);
    expect(event?.meta).toMatchObject({ type: "button", button: { payload: "हिंदी", text: "हिंदी" } });
    expect(event?.from.name).toBe("Bhuvan Sachdeva");
    expect(event?.conversationKey).toBe("wa:165481563304443:918375066113");
  });

  it("drops events addressed to another business number but still acknowledges them", async () => {
    const { response, events } = await channel("999").handleWebhook(signedRequest(sharedFixture("inbound-text.json")));
    expect(response.status).toBe(200);
    expect(events).toEqual([]);
  });
});

describe("whatsapp inbound message types", () => {
  it("maps image, document, audio, video and sticker to attachments with the media id", async () => {
    const { events } = await channel().handleWebhook(signedRequest(ownFixture("inbound-media.json")));
    const ms = messages(events);
    expect(ms.map((m) => m.externalId)).toEqual(["wamid.IMG1", "wamid.DOC1", "wamid.AUD1", "wamid.VID1", "wamid.STK1"]);
    expect(ms[0]).toMatchObject({
      text: "파손된 상품 사진입니다",
      attachments: [{ contentType: "image/jpeg", providerId: "1479537139650973", filename: null }],
    });
    expect(ms[1]).toMatchObject({
      text: "영수증",
      attachments: [{ contentType: "application/pdf", providerId: "2208829526223321", filename: "receipt.pdf" }],
    });
    expect(ms[2]).toMatchObject({
      text: "",
      attachments: [{ contentType: "audio/ogg; codecs=opus", providerId: "1003383421387256" }],
      meta: { voice: true },
    });
    expect(ms[4]?.attachments?.[0]).toMatchObject({ contentType: "image/webp", providerId: "1228191071697416" });
    expect(ms[0]?.from).toEqual({
      identities: [
        { kind: "whatsapp", value: "821012345678" },
        { kind: "phone", value: "+821012345678" },
      ],
      name: "김민지",
    });
    expect(ms[0]?.conversationKey).toBe(`wa:${PHONE_NUMBER_ID}:821012345678`);
    expect(ms[0]?.occurredAt).toEqual(new Date(1767225600 * 1000));
  });

  it("maps button and list replies to their titles, replying to the interactive message", async () => {
    const { events } = await channel().handleWebhook(signedRequest(ownFixture("inbound-interactive.json")));
    const [button, list] = messages(events);
    expect(button).toMatchObject({
      text: "배송 조회",
      replyTo: ["wamid.OUT_BUTTONS"],
      meta: { interactive: { type: "button_reply", id: "track_order", title: "배송 조회" } },
    });
    expect(list).toMatchObject({
      text: "Refund",
      replyTo: ["wamid.OUT_LIST"],
      meta: { interactive: { type: "list_reply", id: "refund", description: "Return an item for a refund" } },
    });
  });

  it("renders location and contacts as text with the details in meta", async () => {
    const { events } = await channel().handleWebhook(
      signedRequest(ownFixture("inbound-location-contacts-reaction.json")),
    );
    const ms = messages(events);
    const location = ms.find((m) => m.externalId === "wamid.LOC1");
    expect(location?.text).toBe("📍 Main Office, 1 Hacker Way, Menlo Park, CA 94025 (37.483307, -122.148981)");
    expect(location?.meta).toMatchObject({
      location: { latitude: 37.483307, longitude: -122.148981, name: "Main Office" },
    });
    const contacts = ms.find((m) => m.externalId === "wamid.CON1");
    expect(contacts?.text).toBe("👤 Barbara J. Johnson +1 (940) 555-1234");
  });

  it("turns a reaction into a message replying to the reacted message, and ignores a removed reaction", async () => {
    const { events } = await channel().handleWebhook(
      signedRequest(ownFixture("inbound-location-contacts-reaction.json")),
    );
    const ms = messages(events);
    expect(ms.find((m) => m.externalId === "wamid.RCT1")).toMatchObject({
      text: "👍",
      replyTo: ["wamid.OUT_REPLY"],
      meta: { reaction: { messageId: "wamid.OUT_REPLY", emoji: "👍" } },
    });
    expect(ms.find((m) => m.externalId === "wamid.RCT2")).toBeUndefined();
  });

  it("keeps an unsupported message visible as a placeholder text", async () => {
    const { events } = await channel().handleWebhook(
      signedRequest(ownFixture("inbound-location-contacts-reaction.json")),
    );
    expect(messages(events).find((m) => m.externalId === "wamid.UNS1")?.text).toBe(
      "[WhatsApp unsupported message: Message type unknown]",
    );
  });

  it("keeps the other messages of a body when one is of a type or interactive kind it does not know", async () => {
    const from = "821012345678";
    const at = "1764720000";
    const { response, events } = await channel().handleWebhook(
      signedRequest(
        cloudApiBody({
          contacts: [{ wa_id: from, profile: { name: "김민지" } }],
          messages: [
            { from, id: "wamid.NEW1", timestamp: at, type: "hologram", hologram: { any: "shape" } },
            { from, id: "wamid.NEW2", timestamp: at, type: "interactive", interactive: { type: "carousel_reply" } },
            { from, id: "wamid.NEW3", timestamp: at, type: "text", text: { body: "배송 언제 와요?" } },
          ],
        }),
      ),
    );
    expect(response.status).toBe(200);
    expect(messages(events).map((m) => [m.externalId, m.text])).toEqual([
      ["wamid.NEW1", "[WhatsApp hologram message]"],
      ["wamid.NEW2", "[WhatsApp interactive carousel_reply]"],
      ["wamid.NEW3", "배송 언제 와요?"],
    ]);
  });

  it("maps sent, delivered, read and failed statuses to delivery events with the error code and title, and our echoed id", async () => {
    const { events } = await channel().handleWebhook(signedRequest(ownFixture("statuses.json")));
    expect(events).toEqual([
      {
        type: "delivery",
        channel: "whatsapp",
        externalId: "wamid.OUT1",
        status: "sent",
        occurredAt: new Date(1767225900_000),
        error: null,
        messageId: "msg-0001",
      },
      {
        type: "delivery",
        channel: "whatsapp",
        externalId: "wamid.OUT1",
        status: "delivered",
        occurredAt: new Date(1767225901_000),
        error: null,
      },
      {
        type: "delivery",
        channel: "whatsapp",
        externalId: "wamid.OUT1",
        status: "read",
        occurredAt: new Date(1767225902_000),
        error: null,
      },
      {
        type: "delivery",
        channel: "whatsapp",
        externalId: "wamid.OUT2",
        status: "failed",
        occurredAt: new Date(1767225903_000),
        error: { code: "131047", title: "Re-engagement message" },
      },
    ]);
  });

  it("produces events that the core inbound schema accepts", async () => {
    const { InboundEventSchema } = await import("@storedesk/core");
    for (const file of [
      "inbound-media.json",
      "inbound-interactive.json",
      "inbound-location-contacts-reaction.json",
      "statuses.json",
    ]) {
      const { events } = await channel().handleWebhook(signedRequest(ownFixture(file)));
      for (const event of events) expect(InboundEventSchema.safeParse(event).success).toBe(true);
    }
  });
});
