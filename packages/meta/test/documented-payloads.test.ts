/**
 * The Messenger and Instagram webhook events Meta documents beside plain messages (message_edits,
 * message_reactions, fallback attachments with and without payload, deleted messages, standby,
 * story replies and mentions, `mentions` changes), built from the documented examples and
 * posted signed through a real desk.
 */
import { describe, expect, it } from "vitest";
import type { Message, Ticket } from "@storedesk/core";
import { fixture, IG_ID, IGSID, metaTestDesk, PAGE_ID, PSID } from "../src/test-support.js";

const setup = () => metaTestDesk(new Date("2026-03-02T10:30:00Z"));

type Desk = ReturnType<typeof setup>["desk"];

async function stored(desk: Desk): Promise<Array<{ ticket: Ticket; message: Message }>> {
  const out: Array<{ ticket: Ticket; message: Message }> = [];
  for (const ticket of await desk.listTickets({})) {
    for (const message of await desk.listMessages(ticket.id)) out.push({ ticket, message });
  }
  return out.sort((a, b) => a.message.createdAt.getTime() - b.message.createdAt.getTime());
}

describe("messenger documented events through the desk", () => {
  it("keeps an edit as a new message on the original's ticket, with the edit count", async () => {
    const { desk, post } = setup();
    expect((await post(fixture("messenger-documented.json"))).status).toBe(200);
    const all = await stored(desk);
    const original = all.find((s) => s.message.externalId === "m_ORIGINAL_QUESTION")!;
    const edit = all.find((s) => s.message.externalId === "edit:m_ORIGINAL_QUESTION:1")!;
    expect(original.message.text).toBe("Where is my order #1001?");
    expect(edit.message.text).toBe("Where is my order #1002?");
    expect(edit.message.meta.edit).toEqual({ messageId: "m_ORIGINAL_QUESTION", numEdit: 1 });
    expect(edit.ticket.id).toBe(original.ticket.id);
  });

  it("turns a reaction into the emoji on the customer's thread and drops its removal", async () => {
    const { desk, post } = setup();
    await post(fixture("messenger-documented.json"));
    const all = await stored(desk);
    const reactions = all.filter((s) => s.message.meta.reaction);
    expect(reactions).toHaveLength(1);
    expect(reactions[0]!.message.text).toBe("❤️");
    expect(reactions[0]!.message.meta.reaction).toEqual({
      messageId: "m_SHOP_ANSWER",
      emoji: "❤️",
      reaction: "love",
    });
  });

  it("keeps fallback attachments: a shared link with its URL and title, an unsupported share without payload", async () => {
    const { desk, post } = setup();
    await post(fixture("messenger-documented.json"));
    const shared = (await stored(desk)).find((s) => s.message.externalId === "m_SHARED_LINK")!;
    expect(shared.message.attachments).toEqual([
      expect.objectContaining({ url: "https://shop.example/products/1001", filename: "Linen shirt" }),
      expect.objectContaining({ url: null, contentType: "application/octet-stream" }),
    ]);
    expect(shared.message.meta.attachmentTypes).toEqual(["fallback", "fallback"]);
  });

  it("records nothing for a deleted message", async () => {
    const { desk, post } = setup();
    await post(fixture("messenger-documented.json"));
    expect((await stored(desk)).map((s) => s.message.externalId)).not.toContain("m_DELETED");
  });

  it("keeps a message received in standby (another app owns the thread), marked meta.standby", async () => {
    const { desk, post } = setup();
    await post(fixture("messenger-documented.json"));
    const standby = (await stored(desk)).find((s) => s.message.externalId === "m_STANDBY")!;
    expect(standby.message.text).toBe("Is anyone there? I need to change my address");
    expect(standby.message.meta.standby).toBe(true);
    expect(standby.ticket.conversationKey).toBe(`meta:${PAGE_ID}:6789012345678902`);
    const psidTickets = new Set(
      (await stored(desk))
        .filter((s) => s.ticket.conversationKey === `meta:${PAGE_ID}:${PSID}`)
        .map((s) => s.ticket.id),
    );
    expect(psidTickets.size).toBe(1);
  });
});

describe("instagram documented events through the desk", () => {
  it("keeps a story reply's text with the story in meta, and a story mention as its attachment", async () => {
    const { desk, post } = setup();
    expect((await post(fixture("instagram-documented.json"))).status).toBe(200);
    const all = await stored(desk);
    const reply = all.find((s) => s.message.externalId === "aWdfSTORY_REPLY")!;
    expect(reply.message.text).toBe("Do you have this in blue?");
    expect(reply.message.meta.replyToStory).toMatchObject({ id: "17950000000000001" });
    expect(reply.ticket.channel).toBe("instagram");
    const mention = all.find((s) => s.message.externalId === "aWdfSTORY_MENTION")!;
    expect(mention.message.attachments).toEqual([
      expect.objectContaining({ url: expect.stringContaining("asset_id=17950000000000002") }),
    ]);
    expect(mention.message.meta.attachmentTypes).toEqual(["story_mention"]);
  });

  it("turns an Instagram reaction into the emoji, drops a deleted message and a mentions change (no sender)", async () => {
    const { desk, post } = setup();
    await post(fixture("instagram-documented.json"));
    const all = await stored(desk);
    const ids = all.map((s) => s.message.externalId);
    expect(ids).toHaveLength(3);
    expect(ids).toEqual(
      expect.arrayContaining([
        "aWdfSTORY_MENTION",
        "aWdfSTORY_REPLY",
        expect.stringMatching(/^reaction:aWdfSHOP_ANSWER:/),
      ]),
    );
    const reaction = all.find((s) => s.message.meta.reaction)!;
    expect(reaction.message.text).toBe("❤️");
    expect(new Set(all.map((s) => s.ticket.conversationKey))).toEqual(new Set([`meta:${IG_ID}:${IGSID}`]));
  });
});
