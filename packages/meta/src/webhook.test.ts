import { describe, expect, it } from "vitest";
import { InboundEventSchema, manualClock } from "@storedesk/core";
import type { InboundEventInput } from "@storedesk/core";
import { memoryConversationLinks } from "./index.js";
import type { MetaChannelOptions } from "./index.js";
import { fixture, IG_ID, IGSID, PAGE_ID, PSID, signedRequest, testMetaChannel, VERIFY_TOKEN } from "./test-support.js";

type Msg = Extract<InboundEventInput, { type: "message" }>;
const messages = (events: InboundEventInput[]) => events.filter((e): e is Msg => e.type === "message");
const meta = (extra: Partial<MetaChannelOptions> = {}) =>
  testMetaChannel({ clock: manualClock(new Date("2026-03-02T10:00:00Z")), ...extra });

describe("meta webhook verification and signature", () => {
  it("answers the GET challenge with the right verify token and 403 otherwise", async () => {
    const ok = await meta().messenger.handleWebhook(
      new Request(`https://x/?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=CH4L`),
    );
    expect(ok.response.status).toBe(200);
    expect(await ok.response.text()).toBe("CH4L");
    expect(
      (
        await meta().instagram.handleWebhook(
          new Request("https://x/?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1"),
        )
      ).response.status,
    ).toBe(403);
  });

  it("checks the same X-Hub-Signature-256 for page and instagram objects", async () => {
    for (const file of ["messenger-dm.json", "instagram-comment.json"]) {
      const body = fixture(file);
      expect((await meta().handleWebhook(signedRequest(body))).response.status).toBe(200);
      const forged = await meta().handleWebhook(signedRequest(body, "wrong-secret"));
      expect(forged.response.status).toBe(401);
      expect(forged.events).toEqual([]);
      expect((await meta().handleWebhook(new Request("https://x/", { method: "POST", body }))).response.status).toBe(
        401,
      );
    }
  });

  it("answers 400 to a signed but malformed body", async () => {
    expect(
      (await meta().handleWebhook(signedRequest('{"object":"whatsapp_business_account","entry":[]}'))).response.status,
    ).toBe(400);
    const broken = JSON.parse(fixture("messenger-dm.json"));
    delete broken.entry[0].messaging[0].sender;
    const result = await meta().handleWebhook(signedRequest(JSON.stringify(broken)));
    expect(result.response.status).toBe(400);
    expect(result.events).toEqual([]);
  });
});

describe("messenger DMs", () => {
  it("maps text, quick reply, attachment, reply_to and postback to customer messages", async () => {
    const { events } = await meta().messenger.handleWebhook(signedRequest(fixture("messenger-dm.json")));
    const ms = messages(events);
    expect(ms.map((m) => m.externalId)).toEqual(["m_TEXT1", "m_IMG1", "m_REPLY1", "m_PB1"]);
    expect(ms[0]).toEqual({
      type: "message",
      channel: "messenger",
      externalId: "m_TEXT1",
      occurredAt: new Date(1772445600000),
      from: { identities: [{ kind: "messenger", value: PSID }] },
      text: "주문한 신발이 아직 안 왔어요",
      attachments: [],
      replyTo: [],
      conversationKey: `meta:${PAGE_ID}:${PSID}`,
      meta: { accountId: PAGE_ID, userId: PSID, quickReply: { payload: "SHIPPING" } },
    });
    expect(ms[1]?.attachments).toEqual([
      { contentType: "image/*", url: "https://scontent.xx.fbcdn.net/v/t1.15752-9/box.jpg", filename: null },
    ]);
    expect(ms[2]?.replyTo).toEqual(["m_OUT1"]);
    expect(ms[3]).toMatchObject({
      text: "Track my order",
      meta: { postback: { title: "Track my order", payload: "TRACK_ORDER" } },
    });
  });

  it("never ingests the shop's own echo as a customer message (it becomes a sent receipt)", async () => {
    const { events } = await meta().messenger.handleWebhook(signedRequest(fixture("messenger-dm.json")));
    expect(messages(events).some((m) => m.externalId === "m_ECHO1")).toBe(false);
    expect(events).toContainEqual({
      type: "delivery",
      channel: "messenger",
      externalId: "m_ECHO1",
      status: "sent",
      occurredAt: new Date(1772445603000),
      error: null,
    });
  });

  it("maps delivery receipts per message id and drops watermark-only read receipts", async () => {
    const { events } = await meta().messenger.handleWebhook(signedRequest(fixture("messenger-dm.json")));
    const deliveries = events.filter((e) => e.type === "delivery" && e.status !== "sent");
    expect(deliveries).toEqual([
      {
        type: "delivery",
        channel: "messenger",
        externalId: "m_OUT1",
        status: "delivered",
        occurredAt: new Date(1772445605000),
        error: null,
      },
      {
        type: "delivery",
        channel: "messenger",
        externalId: "m_OUT2",
        status: "delivered",
        occurredAt: new Date(1772445605000),
        error: null,
      },
    ]);
  });

  it("ignores entries of another page", async () => {
    const { response, events } = await meta({ pageId: "999" }).messenger.handleWebhook(
      signedRequest(fixture("messenger-dm.json")),
    );
    expect(response.status).toBe(200);
    expect(events).toEqual([]);
  });
});

describe("instagram DMs", () => {
  it("maps an instagram DM with the IGSID identity, its echo to a receipt and a seen receipt to read", async () => {
    const { events } = await meta().instagram.handleWebhook(signedRequest(fixture("instagram-dm.json")));
    expect(messages(events)).toHaveLength(1);
    expect(messages(events)[0]).toMatchObject({
      channel: "instagram",
      from: { identities: [{ kind: "instagram", value: IGSID }] },
      conversationKey: `meta:${IG_ID}:${IGSID}`,
    });
    expect(events.filter((e) => e.type === "delivery").map((e) => e.type === "delivery" && e.status)).toEqual([
      "sent",
      "read",
    ]);
  });
});

describe("public comments", () => {
  it("turns a Facebook post comment into a comment event and skips the page's own reply, removals and reactions", async () => {
    const { events } = await meta().messenger.handleWebhook(signedRequest(fixture("facebook-comment.json")));
    expect(events).toEqual([
      {
        type: "message",
        channel: "messenger",
        kind: "comment",
        externalId: "111_222",
        occurredAt: new Date(1772445700 * 1000),
        from: { identities: [{ kind: "messenger", value: "24681357913579" }], name: "Lee Jun" },
        text: "배송이 2주째 안 와요. 최악입니다. 환불해 주세요",
        attachments: [],
        replyTo: [],
        conversationKey: `meta:comment:${PAGE_ID}_111:24681357913579`,
        meta: {
          platform: "facebook",
          accountId: PAGE_ID,
          postId: `${PAGE_ID}_111`,
          commentId: "111_222",
          parentId: `${PAGE_ID}_111`,
          userId: "24681357913579",
        },
      },
    ]);
  });

  it("turns an Instagram media comment into a comment event and skips the account's own reply and mentions", async () => {
    const { events } = await meta().instagram.handleWebhook(signedRequest(fixture("instagram-comment.json")));
    expect(messages(events)).toHaveLength(1);
    expect(events[0]).toMatchObject({
      channel: "instagram",
      kind: "comment",
      externalId: "17900000000000001",
      occurredAt: new Date(1772445800 * 1000),
      from: { identities: [{ kind: "instagram", value: IGSID }], name: "happy_buyer" },
      conversationKey: `meta:comment:18000000000000001:${IGSID}`,
      meta: {
        platform: "instagram",
        mediaId: "18000000000000001",
        postId: "18000000000000001",
        commentId: "17900000000000001",
      },
    });
  });
});

describe("one webhook for both objects", () => {
  it("returns events of both channels from either adapter, each tagged with its channel", async () => {
    const m = meta();
    const fromMessenger = await m.messenger.handleWebhook(signedRequest(fixture("instagram-comment.json")));
    expect(fromMessenger.events[0]?.channel).toBe("instagram");
    const fromInstagram = await m.instagram.handleWebhook(signedRequest(fixture("messenger-dm.json")));
    expect(fromInstagram.events[0]?.channel).toBe("messenger");
  });

  it("drops events of channels left out of options.channels (still 200)", async () => {
    const { response, events } = await meta({ channels: ["messenger"] }).handleWebhook(
      signedRequest(fixture("instagram-comment.json")),
    );
    expect(response.status).toBe(200);
    expect(events).toEqual([]);
  });

  it("threads a DM onto the private reply sent to that user", async () => {
    const links = memoryConversationLinks();
    await links.remember({
      channel: "messenger",
      accountId: PAGE_ID,
      userId: PSID,
      commentId: "111_222",
      messageId: "m_PRIVATE1",
      at: new Date("2026-03-02T09:00:00Z"),
    });
    const { events } = await meta({ links }).handleWebhook(signedRequest(fixture("messenger-dm.json")));
    const ms = messages(events);
    expect(ms[0]).toMatchObject({ replyTo: ["m_PRIVATE1"], meta: { privateReplyOf: "111_222" } });
    expect(ms[2]?.replyTo).toEqual(["m_OUT1", "m_PRIVATE1"]);
    // The user answered the private reply: the link says when, so the desk may DM them again.
    const answeredAt = (await links.byComment("messenger", "111_222"))?.answeredAt;
    expect(answeredAt?.getTime()).toBeGreaterThanOrEqual(Date.parse("2026-03-02T10:00:00Z"));
  });

  it("takes no edit of an earlier message for the user's answer to a private reply", async () => {
    const links = memoryConversationLinks();
    const link = {
      channel: "messenger" as const,
      accountId: PAGE_ID,
      userId: PSID,
      commentId: "111_222",
      messageId: "m_PRIVATE1",
      at: new Date("2026-03-02T09:00:00Z"),
    };
    await links.remember(link);
    const edit = (mid: string) =>
      JSON.stringify({
        object: "page",
        entry: [
          {
            id: PAGE_ID,
            time: Date.parse("2026-03-02T09:30:00Z"),
            messaging: [
              {
                sender: { id: PSID },
                recipient: { id: PAGE_ID },
                timestamp: Date.parse("2026-03-02T09:30:00Z"),
                message_edit: { mid, text: "edited", num_edit: 1 },
              },
            ],
          },
        ],
      });
    const { response, events } = await meta({ links }).handleWebhook(signedRequest(edit("m_BEFORE")));
    expect(response.status).toBe(200);
    expect(messages(events)).toHaveLength(1);
    expect((await links.byComment("messenger", "111_222"))?.answeredAt).toBeUndefined();
  });

  it("stops linking DMs to a private reply older than 7 days", async () => {
    const links = memoryConversationLinks();
    await links.remember({
      channel: "messenger",
      accountId: PAGE_ID,
      userId: PSID,
      commentId: "111_222",
      messageId: "m_OLD",
      at: new Date("2026-02-20T00:00:00Z"),
    });
    const { events } = await meta({ links }).handleWebhook(signedRequest(fixture("messenger-dm.json")));
    expect(messages(events)[0]?.replyTo).toEqual([]);
  });

  it("produces events that the core inbound schema accepts", async () => {
    for (const file of ["messenger-dm.json", "facebook-comment.json", "instagram-comment.json", "instagram-dm.json"]) {
      const { events } = await meta().handleWebhook(signedRequest(fixture(file)));
      for (const event of events) expect(InboundEventSchema.safeParse(event).success).toBe(true);
    }
  });
});
