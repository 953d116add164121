/**
 * Hostile bodies at the Kakao surfaces, through a real desk: the Open Builder skill endpoint
 * (`kakaoSkillHandler`, header token) and the consultation-talk webhook (HMAC over the body).
 * Bad input is a typed 4xx, never a 5xx, and writes nothing; a forged or truncated token or
 * signature writes nothing; a redelivery is a no-op.
 */
import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { manualClock, memoryStore } from "@storedesk/core";
import { channelTestDesk, hostileBodies, watchStoreWrites, wrongTypeVariants } from "@storedesk/core/testing";
import { COUNSEL_SIGNATURE_HEADER, kakaoSkillChannel, kakaoSkillHandler, SKILL_TOKEN_HEADER } from "../src/index.js";
import {
  COUNSEL_SECRET,
  SKILL_TOKEN,
  counselBody,
  skillPayload,
  skillRequest,
  testCounselChannel,
} from "../src/test-support.js";

function setup() {
  const watched = watchStoreWrites(memoryStore());
  const clock = manualClock(new Date("2026-03-02T09:00:00.000+09:00"));
  const skill = kakaoSkillChannel({ skillToken: SKILL_TOKEN, clock });
  const desk = channelTestDesk([skill, testCounselChannel()], { clock, store: watched.store });
  const handle = kakaoSkillHandler({ desk, channel: skill, answer: async () => null, clock });
  return { desk, watched, handle, counselHook: desk.webhook("kakao_counsel") };
}

/** A counsel request signed over exactly these bytes (node:crypto, not the code under test). */
function counselBytes(body: string | Uint8Array, signature?: string | null): Request {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
  const sig =
    signature === undefined ? `sha256=${createHmac("sha256", COUNSEL_SECRET).update(bytes).digest("hex")}` : signature;
  return new Request("https://shop.example/webhooks/kakao-counsel", {
    method: "POST",
    headers: { "content-type": "application/json", ...(sig === null ? {} : { [COUNSEL_SIGNATURE_HEADER]: sig }) },
    body: bytes,
  });
}

async function errorCode(res: Response): Promise<string | undefined> {
  return ((await res.json()) as { error?: { code?: string } }).error?.code;
}

const tooLarge = (body: string | Uint8Array) => body.length > 1024 * 1024;

describe("kakao skill endpoint: bad input is a typed 4xx and writes nothing", () => {
  it.each(hostileBodies().map((b) => [b.name, b.body] as const))("%s", async (_name, body) => {
    const { watched, handle } = setup();
    const res = await handle(
      new Request("https://shop.example/kakao/skill", {
        method: "POST",
        headers: { "content-type": "application/json", [SKILL_TOKEN_HEADER]: SKILL_TOKEN },
        body: body as BodyInit,
      }),
    );
    expect(res.status).toBe(tooLarge(body) ? 413 : 400);
    expect(await errorCode(res)).toBe("INVALID_INPUT");
    expect(watched.writes()).toEqual([]);
  });

  it.each([
    ["no token", null],
    ["a forged token", "skill-token-for-tesTs"],
    ["a truncated token", SKILL_TOKEN.slice(0, -1)],
    ["the token with a suffix", `${SKILL_TOKEN}x`],
  ])("%s is refused 401 and nothing is written", async (_name, token) => {
    const { watched, handle } = setup();
    const res = await handle(skillRequest(skillPayload("환불해 주세요"), token));
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("SIGNATURE_INVALID");
    expect(watched.writes()).toEqual([]);
  });

  it("any one field of a skill payload of the wrong type is answered below 500; its redelivery writes nothing", async () => {
    const statuses = new Set<number>();
    const valid = skillPayload("배송 언제 와요?", { params: { phone: "010-1234-5678" } });
    for (const { path, body } of wrongTypeVariants(valid)) {
      const { watched, handle } = setup();
      const first = await handle(skillRequest(body));
      statuses.add(first.status);
      expect(first.status, path).toBeLessThan(500);
      watched.reset();
      expect((await handle(skillRequest(body))).status, path).toBeLessThan(500);
      expect(watched.writes(), path).toEqual([]);
    }
    expect([...statuses].sort()).toEqual([200, 400]);
  });

  it("for any JSON value posted with the token, the answer is below 500 and nothing is written", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        const { watched, handle } = setup();
        expect((await handle(skillRequest(JSON.stringify(value)))).status).toBeLessThan(500);
        expect(watched.writes()).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it("for any value as the phone slot, the answer is below 500 and a phone identity is only ever +82 digits", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 2 }), async (phone) => {
        const { desk, handle } = setup();
        const res = await handle(skillRequest(skillPayload("주문 확인", { params: { phone } })));
        expect(res.status).toBeLessThan(500);
        for (const t of await desk.listTickets({})) {
          const customer = await desk.getCustomer(t.customerId);
          for (const i of customer!.identities.filter((x) => x.kind === "phone"))
            expect(i.value).toMatch(/^\+82\d{8,10}$/);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("kakao consultation webhook: bad input is a typed 4xx and writes nothing", () => {
  it.each(hostileBodies().map((b) => [b.name, b.body] as const))("%s, signed", async (_name, body) => {
    const { watched, counselHook } = setup();
    const res = await counselHook(counselBytes(body));
    expect(res.status).toBe(tooLarge(body) ? 413 : 400);
    expect(await errorCode(res)).toBe("INVALID_INPUT");
    expect(watched.writes()).toEqual([]);
  });

  const good = JSON.stringify(counselBody("교환 문의드려요"));
  const goodSig = `sha256=${createHmac("sha256", COUNSEL_SECRET).update(good).digest("hex")}`;
  it.each([
    ["no signature", null],
    ["an empty signature", ""],
    ["a signature without its prefix", goodSig.slice(7)],
    ["a truncated signature", goodSig.slice(0, -2)],
    ["a signature in upper case", `sha256=${goodSig.slice(7).toUpperCase()}`],
    ["a signature by another secret", `sha256=${createHmac("sha256", "other").update(good).digest("hex")}`],
  ])("%s is refused 401 and nothing is written", async (_name, signature) => {
    const { watched, counselHook } = setup();
    const res = await counselHook(counselBytes(good, signature));
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("SIGNATURE_INVALID");
    expect(watched.writes()).toEqual([]);
  });

  it("a body with a byte-order mark or an invalid UTF-8 byte is checked as the bytes that were signed", async () => {
    const { desk, counselHook } = setup();
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good)]);
    expect((await counselHook(counselBytes(withBom))).status).toBe(200);
    const signedOver = Buffer.concat([Buffer.from(good), Buffer.from([0x20, 0xff])]);
    const swapped = Buffer.concat([Buffer.from(good), Buffer.from([0x20, 0xfe])]);
    const sig = `sha256=${createHmac("sha256", COUNSEL_SECRET).update(signedOver).digest("hex")}`;
    expect((await counselHook(counselBytes(swapped, sig))).status).toBe(401);
    expect(await desk.listTickets({})).toHaveLength(1);
  });

  it("any one field of a consultation message of the wrong type is answered below 500; its redelivery writes nothing", async () => {
    const statuses = new Set<number>();
    const valid = counselBody("사진 보내드려요", {
      type: "photo",
      attachment: { url: "https://cdn.example/p.jpg", name: "p.jpg", size: 1200 },
      phone_number: "010-1234-5678",
    });
    for (const { path, body } of wrongTypeVariants(valid)) {
      const { watched, counselHook } = setup();
      const first = await counselHook(counselBytes(body));
      statuses.add(first.status);
      expect(first.status, path).toBeLessThan(500);
      watched.reset();
      expect((await counselHook(counselBytes(body))).status, path).toBeLessThan(500);
      expect(watched.writes(), path).toEqual([]);
    }
    expect([...statuses].sort()).toEqual([200, 400]);
  });

  it("a redelivered consultation message adds no second message; a session end writes nothing", async () => {
    const { desk, watched, counselHook } = setup();
    expect((await counselHook(counselBytes(good))).status).toBe(200);
    watched.reset();
    expect((await counselHook(counselBytes(good))).status).toBe(200);
    expect((await counselHook(counselBytes(JSON.stringify(counselBody("", { type: "end" }))))).status).toBe(200);
    expect(watched.writes()).toEqual([]);
    const [ticket] = await desk.listTickets({});
    expect(await desk.listMessages(ticket!.id)).toHaveLength(1);
  });
});
