/** Files sent with `desk.reply`: validated, refused where the channel cannot carry them, kept through retries. */
import { describe, expect, it } from "vitest";
import { createDesk } from "../create-desk.js";
import { memoryStore } from "../../store-memory/memory-store.js";
import { memoryChannel } from "../../testing/memory-channel.js";
import { manualClock } from "../../ports/clock.js";
import { StoredeskError } from "../../errors.js";
import { T0, msg } from "../create-desk-kit.js";

const label = {
  contentType: "application/pdf",
  filename: "return-label.pdf",
  url: "https://cdn.shop.example/l/77.pdf",
};

async function deskWith(capabilities: { attachments: boolean }) {
  const store = memoryStore();
  const clock = manualClock(T0);
  const chat = memoryChannel({ id: "webchat", capabilities });
  const desk = createDesk({ store, clock, channels: [chat], autoAcknowledge: false });
  const { ticket } = await desk.ingest(msg("반품하고 싶어요. 라벨 보내주세요"));
  return { desk, chat, ticket: ticket! };
}

describe("desk.reply with attachments", () => {
  it("sends the files with the reply and keeps them on the stored message", async () => {
    const { desk, chat, ticket } = await deskWith({ attachments: true });
    const sent = await desk.reply(
      ticket.id,
      { text: "반품 라벨 보내드려요", agentId: "kim", attachments: [label] },
      { wait: "sent" },
    );
    expect(sent.deliveryStatus).toBe("sent");
    const expected = { ...label, size: null, providerId: null, contentBase64: null };
    expect(chat.sent[0]!.attachments).toEqual([expected]);
    const stored = (await desk.listMessages(ticket.id)).find((m) => m.id === sent.id)!;
    expect(stored.attachments).toEqual([expected]);
  });

  it("takes a reply of files alone", async () => {
    const { desk, chat, ticket } = await deskWith({ attachments: true });
    const photo = { contentType: "image/png", contentBase64: "iVBORw0KGgo=" };
    await desk.reply(ticket.id, { text: "", agentId: "kim", attachments: [photo] }, { wait: "sent" });
    expect(chat.sent[0]!.text).toBe("");
    expect(chat.sent[0]!.attachments?.[0]).toMatchObject(photo);
  });

  it("sends the files again on the retry after a transient failure (rebuilt from the stored message)", async () => {
    const { desk, chat, ticket } = await deskWith({ attachments: true });
    chat.failNextSend(new StoredeskError({ code: "PROVIDER_UNAVAILABLE", message: "503", retryable: true }));
    const queued = await desk.reply(ticket.id, { text: "라벨이에요", agentId: "kim", attachments: [label] });
    await desk.settle();
    expect(chat.sent).toHaveLength(0);
    await desk.runDue(new Date(T0.getTime() + 3_600_000));
    await desk.settle();
    expect(chat.sent).toHaveLength(1);
    expect(chat.sent[0]!.messageId).toBe(queued.id);
    expect(chat.sent[0]!.attachments?.[0]?.url).toBe(label.url);
  });

  it("is refused with UNSUPPORTED on a channel that cannot send files, before anything is written", async () => {
    const { desk, chat, ticket } = await deskWith({ attachments: false });
    const before = await desk.listMessages(ticket.id);
    const err = await desk.reply(ticket.id, { text: "라벨", agentId: "kim", attachments: [label] }).catch((e) => e);
    expect(StoredeskError.is(err, "UNSUPPORTED")).toBe(true);
    expect((err as StoredeskError).path).toEqual(["attachments"]);
    expect(await desk.listMessages(ticket.id)).toEqual(before);
    expect((await desk.getTicket(ticket.id))?.version).toBe(ticket.version);
    expect(chat.sent).toHaveLength(0);
  });

  it.each([
    ["no source", { contentType: "image/png" }],
    ["a javascript: URL", { contentType: "image/png", url: "javascript:alert(1)" }],
    ["a relative URL", { contentType: "image/png", url: "/img/1.png" }],
    ["a content type that is no MIME type", { contentType: "png", url: "https://x.example/1.png" }],
    ["base64 with other characters", { contentType: "image/png", contentBase64: "not base64!" }],
    ["an unknown field", { contentType: "image/png", url: "https://x.example/1.png", path: "/etc/passwd" }],
  ])("refuses an attachment with %s as INVALID_INPUT and writes nothing", async (_name, file) => {
    const { desk, chat, ticket } = await deskWith({ attachments: true });
    const err = await desk
      .reply(ticket.id, { text: "x", agentId: "kim", attachments: [file as never] })
      .catch((e: unknown) => e);
    expect(StoredeskError.is(err, "INVALID_INPUT")).toBe(true);
    expect((await desk.listMessages(ticket.id)).filter((m) => m.direction === "outbound")).toEqual([]);
    expect(chat.sent).toHaveLength(0);
  });

  it("refuses more than ten files and an empty reply", async () => {
    const { desk, ticket } = await deskWith({ attachments: true });
    const eleven = Array.from({ length: 11 }, () => label);
    const tooMany = await desk.reply(ticket.id, { text: "x", attachments: eleven }).catch((e: unknown) => e);
    expect(StoredeskError.is(tooMany, "INVALID_INPUT")).toBe(true);
    const empty = await desk.reply(ticket.id, { text: " ", attachments: [] }).catch((e: unknown) => e);
    expect(StoredeskError.is(empty, "INVALID_INPUT")).toBe(true);
  });
});
