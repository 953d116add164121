/**
 * Hostile bodies at the Naver surfaces, through a real desk: the TalkTalk webhook (URL token,
 * `talkTalkWebhook` and `desk.webhook`) and the Q&A channel's signed pages. Bad input is a typed
 * 4xx, never a 5xx, and writes nothing; a forged token writes nothing; a redelivery is a no-op.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore, signHmac } from "@storedesk/core";
import { hostileBodies, watchStoreWrites, wrongTypeVariants } from "@storedesk/core/testing";
import {
  QNA_BATCH_SIGNATURE_HEADER,
  naverCommerceClient,
  naverQnaChannel,
  naverTalkTalkChannel,
  talkTalkWebhook,
} from "../src/index.js";
import { CLIENT_ID, CLIENT_SECRET, question } from "../src/test-support.js";

const HOOK = "hook-token-0123456789";
const BATCH_SECRET = "batch-secret-for-tests";
const USER = "al-2eGuGr5WQOnco1_V-FQ";

function setup() {
  const watched = watchStoreWrites(memoryStore());
  const clock = manualClock(new Date("2026-03-02T09:00:00.000+09:00"));
  const talk = naverTalkTalkChannel({ authorization: "ct_partner_key", webhookToken: HOOK, clock });
  const qna = naverQnaChannel({
    client: naverCommerceClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, clock, sleep: async () => {} }),
    batchSecret: BATCH_SECRET,
  });
  const desk = createDesk({ store: watched.store, channels: [talk, qna], clock, autoAcknowledge: false });
  const bot = talkTalkWebhook({ desk, channel: talk, answer: async () => null, clock });
  return { desk, watched, clock, talk, bot, qnaHook: desk.webhook("naver_qna"), talkHook: desk.webhook("naver_talk") };
}

const talkRequest = (body: string | Uint8Array, token: string | null = HOOK, contentType = "application/json") =>
  new Request(`https://shop.example/webhooks/talktalk${token === null ? "" : `?token=${encodeURIComponent(token)}`}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body: body as BodyInit,
  });

const qnaRequest = (body: string | Uint8Array, secret: string | null = BATCH_SECRET) =>
  new Request("https://storedesk.internal/naver_qna/poll", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(secret ? { [QNA_BATCH_SIGNATURE_HEADER]: signHmac(body, secret, "hex") } : {}),
    },
    body: body as BodyInit,
  });

const SEND = { event: "send", user: USER, textContent: { text: "배송 언제 와요?", code: "Q1", inputType: "typing" } };
const OPEN = {
  event: "open",
  user: USER,
  options: {
    inflow: "button",
    referer: "https://smartstore.naver.com/s/products/1",
    from: "1",
    friend: true,
    under14: false,
  },
};
const PAGE = { contents: [question(901), question(902)], page: 1, size: 100, totalPages: 1 };

async function errorCode(res: Response): Promise<string | undefined> {
  return ((await res.json()) as { error?: { code?: string } }).error?.code;
}

describe("naver talktalk webhook: bad input is a typed 4xx and writes nothing", () => {
  it.each(hostileBodies().map((b) => [b.name, b.body] as const))("%s", async (_name, body) => {
    const { watched, bot, talkHook } = setup();
    for (const handle of [bot, talkHook]) {
      const res = await handle(talkRequest(body));
      expect(res.status).toBe(body.length > 1024 * 1024 ? 413 : 400);
      expect(await errorCode(res)).toBe("INVALID_INPUT");
    }
    expect(watched.writes()).toEqual([]);
  });

  it.each([
    ["no token", null],
    ["an empty token", ""],
    ["a forged token", "hook-token-9876543210"],
    ["a truncated token", HOOK.slice(0, -1)],
    ["the token with a NUL byte", `${HOOK}\u0000`],
  ])("%s is refused 401 and nothing is written", async (_name, token) => {
    const { watched, bot, talkHook } = setup();
    for (const handle of [bot, talkHook]) {
      const res = await handle(talkRequest(JSON.stringify(SEND), token));
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe("SIGNATURE_INVALID");
    }
    expect(watched.writes()).toEqual([]);
  });

  it("a send with two contents or without a user is a 400; an unknown event type a 200; none writes", async () => {
    const { watched, bot } = setup();
    // Unknown events (the partner guide's own {"event":"test"}) are acknowledged, so TalkTalk does not retry them.
    expect((await bot(talkRequest(JSON.stringify({ event: "payment_refunded", user: USER })))).status).toBe(200);
    for (const body of [
      { ...SEND, imageContent: { imageUrl: "https://img.example/a.png" } },
      { event: "send", textContent: { text: "hi" } },
      [SEND],
    ]) {
      expect((await bot(talkRequest(JSON.stringify(body)))).status).toBe(400);
    }
    expect(watched.writes()).toEqual([]);
  });

  it("any one field of a send or open event of the wrong type is answered below 500; its redelivery writes nothing", async () => {
    const statuses = new Set<number>();
    for (const valid of [SEND, OPEN]) {
      for (const { path, body } of wrongTypeVariants(valid)) {
        const { watched, bot } = setup();
        const first = await bot(talkRequest(body));
        statuses.add(first.status);
        expect(first.status, path).toBeLessThan(500);
        watched.reset();
        expect((await bot(talkRequest(body))).status, path).toBeLessThan(500);
        expect(watched.writes(), path).toEqual([]);
      }
    }
    expect([...statuses].sort()).toEqual([200, 400]);
  });

  it("for any JSON value posted with the token, the answer is below 500 and nothing is written", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        const { watched, bot } = setup();
        expect((await bot(talkRequest(JSON.stringify(value)))).status).toBeLessThan(500);
        expect(watched.writes()).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it("a send with NUL bytes, lone surrogates and a __proto__ key is stored once, cleaned; its redelivery adds nothing", async () => {
    const { desk, bot } = setup();
    const body = `{"event":"send","user":"${USER}","__proto__":{"user":"someone-else"},"textContent":{"text":"a\\u0000b \\ud800"}}`;
    expect((await bot(talkRequest(body, HOOK, "text/plain"))).status).toBe(200);
    expect((await bot(talkRequest(body))).status).toBe(200);
    const tickets = await desk.listTickets({});
    expect(tickets).toHaveLength(1);
    const messages = await desk.listMessages(tickets[0]!.id);
    expect(messages.map((m) => m.text)).toEqual(["ab \ufffd"]);
    expect(tickets[0]!.conversationKey).toBe(`talktalk:${USER}`);
  });
});

describe("naver Q&A pages: bad input is a typed 4xx and writes nothing", () => {
  it.each(hostileBodies().map((b) => [b.name, b.body] as const))("%s, signed", async (_name, body) => {
    const { watched, qnaHook } = setup();
    const res = await qnaHook(qnaRequest(body));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await errorCode(res)).toBe("INVALID_INPUT");
    expect(watched.writes()).toEqual([]);
  });

  it.each([
    ["unsigned", null],
    ["signed with another key", "another-process"],
  ])("a page %s is refused 401 and nothing is written", async (_name, secret) => {
    const { watched, qnaHook } = setup();
    const res = await qnaHook(qnaRequest(JSON.stringify(PAGE), secret));
    expect(res.status).toBe(401);
    expect(watched.writes()).toEqual([]);
  });

  it("a page with any one field of the wrong type is answered below 500; its redelivery writes nothing", async () => {
    const statuses = new Set<number>();
    for (const { path, body } of wrongTypeVariants(PAGE)) {
      const { watched, qnaHook } = setup();
      const first = await qnaHook(qnaRequest(body));
      statuses.add(first.status);
      expect(first.status, path).toBeLessThan(500);
      watched.reset();
      expect((await qnaHook(qnaRequest(body))).status, path).toBeLessThan(500);
      expect(watched.writes(), path).toEqual([]);
    }
    expect([...statuses].sort()).toEqual([200, 400]); // both stored and refused variants were tried
  });

  it("ids as strings and past 2^53 are kept exactly; an impossible date is a 400", async () => {
    const { desk, qnaHook, watched } = setup();
    const big = { ...PAGE, contents: [question(1, { questionId: "98765432109876543210" })] };
    expect((await qnaHook(qnaRequest(JSON.stringify(big)))).status).toBe(200);
    const [ticket] = await desk.listTickets({});
    expect(ticket!.conversationKey).toContain("98765432109876543210");
    watched.reset();
    for (const createDate of ["2026-13-01T00:00:00+09:00", "not a date", 1_772_000_000_000]) {
      const bad = { ...PAGE, contents: [question(2, { createDate })] };
      expect((await qnaHook(qnaRequest(JSON.stringify(bad)))).status, String(createDate)).toBe(400);
    }
    expect(watched.writes()).toEqual([]);
  });
});
