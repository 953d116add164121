/**
 * The TalkTalk chatbot API events as its partner guide (navertalk/chatbot-api README and
 * handover_v1.md) shows them, posted through `talkTalkWebhook` into a real desk: each becomes a
 * message or a deliberate 200 with nothing recorded, never a 4xx.
 */
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore } from "@storedesk/core";
import { naverTalkTalkChannel, talkTalkWebhook } from "../src/index.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const HOOK = "hook-token";
const USER = "al-2eGuGr5WQOnco1_V-FQ";

const post = (body: unknown) =>
  new Request(`https://shop.example/webhooks/talktalk?token=${HOOK}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

function setup() {
  const clock = manualClock(new Date("2026-03-02T09:00:00+09:00"));
  const channel = naverTalkTalkChannel({ authorization: "ct_partner_key", webhookToken: HOOK, clock });
  const desk = createDesk({ store: memoryStore(), channels: [channel], clock, autoAcknowledge: false });
  const asked: string[] = [];
  const handle = talkTalkWebhook({
    desk,
    channel,
    clock,
    answer: async ({ text }) => {
      asked.push(text);
      return "자동 답변입니다.";
    },
  });
  return { desk, handle, asked };
}

async function texts(desk: ReturnType<typeof setup>["desk"]) {
  const out: string[] = [];
  for (const ticket of await desk.listTickets({})) {
    for (const message of await desk.listMessages(ticket.id)) out.push(message.text);
  }
  return out;
}

describe("talktalk documented events through the desk", () => {
  it("stores a text sent after an open from a product button, with the inflow on the message", async () => {
    const { desk, handle } = setup();
    const opened = await handle(
      post({
        event: "open",
        options: {
          inflow: "button",
          referer: "http://storefarm.naver.com/pqbdo/products/309672359",
          from: "309672359",
          friend: false,
          under14: false,
          under19: false,
        },
        user: USER,
      }),
    );
    expect(opened.status).toBe(200);
    const res = await handle(post({ event: "send", user: USER, textContent: { text: "hello world" } }));
    expect(res.status).toBe(200);
    const [ticket] = await desk.listTickets({});
    const [message] = await desk.listMessages(ticket!.id);
    expect(message!.text).toBe("hello world");
    expect(message!.meta.naver).toMatchObject({ inflow: "button", from: "309672359" });
  });

  it("stores a user's image with the TalkTalk image URL as attachment", async () => {
    const { desk, handle } = setup();
    const imageUrl = "http://blogfiles5.naver.net/20130918_119/city0080_137946683395507ioT_JPEG/6.jpg";
    expect((await handle(post({ event: "send", user: USER, imageContent: { imageUrl } }))).status).toBe(200);
    const [ticket] = await desk.listTickets({});
    const [message] = await desk.listMessages(ticket!.id);
    expect(message!.attachments).toEqual([expect.objectContaining({ url: imageUrl, contentType: "image/*" })]);
  });

  it("keeps a composite button's code with the pressed text", async () => {
    const { desk, handle } = setup();
    await handle(
      post({ event: "send", user: USER, textContent: { text: "배송 조회", code: "TRACK", inputType: "button" } }),
    );
    const [ticket] = await desk.listTickets({});
    const [message] = await desk.listMessages(ticket!.id);
    expect(message!.text).toBe("배송 조회");
    expect(message!.meta.naver).toMatchObject({ buttonCode: "TRACK" });
  });

  it("acknowledges leave and friend as the guide shows them (without user), the chatbot's own echo and handover, recording nothing", async () => {
    const { desk, handle } = setup();
    for (const body of [
      { event: "leave" },
      { event: "friend", options: { set: "on" } },
      {
        // The chatbot's own send coming back (sourceId is the bot's sequence, not the partner's 1).
        echoedEvent: "send",
        event: "echo",
        user: USER,
        partner: "wc8b1i",
        textContent: { text: "하이", inputType: "typing" },
        options: { mobile: false, sourceId: 10007, threadOwnerId: 10007 },
      },
      {
        event: "handover",
        user: USER,
        partner: "wc8b1i",
        options: { control: "passThread", metadata: "{'managerNickname':'구매자','autoEnd':false}" },
      },
    ]) {
      expect((await handle(post(body))).status, body.event).toBe(200);
    }
    expect(await desk.listTickets({})).toEqual([]);
  });

  it("takes a repeated send across the 5-second slot boundary as one message, and the same text 5 s later as a new one", async () => {
    const clock = manualClock(new Date("2026-03-02T09:00:04.900+09:00"));
    const channel = naverTalkTalkChannel({ authorization: "ct_partner_key", webhookToken: HOOK, clock });
    const desk = createDesk({ store: memoryStore(), channels: [channel], clock, autoAcknowledge: false });
    const handle = talkTalkWebhook({ desk, channel, clock, answer: async () => null });
    const send = { event: "send", user: USER, textContent: { text: "네", inputType: "typing" } };
    expect((await handle(post(send))).status).toBe(200);
    clock.advance(200); // 09:00:05.100, the next slot
    expect((await handle(post(send))).status).toBe(200);
    const [ticket] = await desk.listTickets({});
    expect((await desk.listMessages(ticket!.id)).map((m) => m.text)).toEqual(["네"]);
    clock.advance(5_000);
    expect((await handle(post(send))).status).toBe(200);
    expect((await desk.listMessages(ticket!.id)).map((m) => m.text)).toEqual(["네", "네"]);
  });

  it("records a partner-center agent's message (echo, sourceId 1) on the user's ticket as the agent's reply, once, and the bot stays quiet", async () => {
    const { desk, handle, asked } = setup();
    await handle(
      post({ event: "send", user: USER, textContent: { text: "배송 언제 와요?", inputType: "typing" }, standby: true }),
    );
    const [ticket] = await desk.listTickets({});
    // handover_v1.md, "echo 이벤트 활용": the partner owns the chat, sourceId 1 is the partner.
    const echo = {
      echoedEvent: "send",
      event: "echo",
      user: USER,
      partner: "wc8b1i",
      textContent: { text: "내일 출고됩니다", inputType: "typing" },
      options: { mobile: false, sourceId: 1, threadOwnerId: 1, managerNickname: "구매자" },
    };
    expect((await handle(post(echo))).status).toBe(200);
    expect((await handle(post(echo))).status).toBe(200); // a redelivery within the dedupe window
    const messages = await desk.listMessages(ticket!.id);
    expect(messages.map((m) => [m.direction, m.authorKind, m.text])).toEqual([
      ["inbound", "customer", "배송 언제 와요?"],
      ["outbound", "agent", "내일 출고됩니다"],
    ]);
    expect(messages[1]!.meta.external).toMatchObject({ authorName: "구매자" });
    const after = await desk.getTicket(ticket!.id);
    expect(after.firstRepliedAt).not.toBeNull();
    expect(after.status).toBe("open");
    expect(asked).toEqual([]);
  });

  it("answers the guide's test event and events it does not know with 200 and records nothing", async () => {
    const { desk, handle } = setup();
    expect((await handle(post({ event: "test" }))).status).toBe(200);
    expect((await handle(post({ event: "persistentMenu", user: USER, options: {} }))).status).toBe(200);
    expect(await desk.listTickets({})).toEqual([]);
  });

  it("still refuses a send event of the wrong shape with 400", async () => {
    const { handle } = setup();
    expect((await handle(post({ event: "send", user: USER }))).status).toBe(400);
  });

  it("stores a standby message (an agent owns the chat) without letting the bot answer", async () => {
    const { desk, handle, asked } = setup();
    const res = await handle(
      post({
        standby: true,
        event: "send",
        user: USER,
        partner: "wc8b1i",
        textContent: { text: "헬로", inputType: "typing" },
        options: { mobile: false },
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(asked).toEqual([]);
    const [ticket] = await desk.listTickets({});
    const [message] = await desk.listMessages(ticket!.id);
    expect(message!.text).toBe("헬로");
    expect(message!.meta.naver).toMatchObject({ standby: true });
    expect(await texts(desk)).toEqual(["헬로"]);
  });

  it("lets the bot answer a message without standby", async () => {
    const { handle, asked } = setup();
    const res = await handle(post({ event: "send", user: USER, textContent: { text: "헬로", inputType: "typing" } }));
    expect(asked).toEqual(["헬로"]);
    expect(await res.json()).toMatchObject({ event: "send", textContent: { text: "자동 답변입니다." } });
  });
});
