/**
 * Hostile requests at the live chat's HTTP side through a real desk: `POST /session`,
 * `/messages`, `/typing`, `/read` and `GET /stream`. Bad input is a typed 4xx, never a 5xx, and
 * writes nothing; a forged, truncated or tampered session token writes nothing; a resent message
 * is the same message.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore } from "@storedesk/core";
import { hostileBodies, watchStoreWrites, wrongTypeVariants } from "@storedesk/core/testing";
import { identityHash, signSession, webchatChannel, webchatServer } from "../src/index.js";
import type { WebchatServer } from "../src/index.js";

const SECRET = "chat-secret-3b9d";
const ID_SECRET = "id-secret";
const BASE = "https://shop.example/chat";
const servers: WebchatServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function setup() {
  const watched = watchStoreWrites(memoryStore());
  const clock = manualClock(new Date("2026-03-02T10:00:00+09:00"));
  const channel = webchatChannel({ secret: SECRET, identitySecret: ID_SECRET, offlineMail: null, clock });
  const desk = createDesk({ store: watched.store, channels: [channel], clock, autoAcknowledge: false });
  const chat = webchatServer({ desk, channel, clock, heartbeatMs: 60_000 });
  servers.push(chat);
  const session = (await (await chat.fetch(post("/session", "{}"))).json()) as { token: string; visitorId: string };
  return { desk, watched, chat, clock, token: session.token, visitorId: session.visitorId };
}

function post(path: string, body: string | Uint8Array, token?: string | null, contentType = "application/json") {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body as BodyInit,
  });
}

async function errorCode(res: Response): Promise<string | undefined> {
  return ((await res.json()) as { error?: { code?: string } }).error?.code;
}

const MESSAGE = {
  clientMessageId: "cmid-0001",
  text: "주문한 상품이 안 왔어요",
  prechat: { name: "김민지", email: "kim@example.com", orderNumber: "#1001", topic: "shipping" },
  contactEmail: "kim@example.com",
  locale: "ko",
  pageUrl: "https://shop.example/orders",
  quickReply: { id: "qr-1" },
  attachments: [
    { filename: "a.gif", contentType: "image/gif", contentBase64: Buffer.from("GIF89a....").toString("base64") },
  ],
};

describe("webchat: bad bodies are typed 4xx and write nothing", () => {
  for (const route of ["/session", "/messages", "/typing", "/read"]) {
    it.each(hostileBodies().map((b) => [b.name, b.body] as const))(`${route}: %s`, async (_name, body) => {
      const { chat, watched, token } = await setup();
      const res = await chat.fetch(post(route, body, token, "text/plain"));
      expect(res.status).toBeLessThan(500);
      // An object without an identity is an anonymous session, also with unknown keys: a 200 there.
      if (route !== "/session" || res.status >= 400) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(await errorCode(res)).toBe("INVALID_INPUT");
      }
      expect(watched.writes()).toEqual([]);
    });
  }

  it("for any JSON value at any route, the answer is below 500 and nothing is written", async () => {
    const { chat, watched, token } = await setup();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/session", "/messages", "/typing", "/read"),
        fc.jsonValue({ maxDepth: 4 }),
        async (route, value) => {
          const res = await chat.fetch(post(route, JSON.stringify(value), token));
          expect(res.status, `${route} ${JSON.stringify(value)}`).toBeLessThan(500);
          expect(watched.writes()).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a message with any one field of the wrong type is answered below 500; its resend writes nothing", async () => {
    const statuses = new Set<number>();
    for (const { path, body } of wrongTypeVariants(MESSAGE)) {
      const { chat, watched, token } = await setup();
      const first = await chat.fetch(post("/messages", body, token));
      statuses.add(first.status);
      expect(first.status, path).toBeLessThan(500);
      watched.reset();
      expect((await chat.fetch(post("/messages", body, token))).status, path).toBeLessThan(500);
      expect(watched.writes(), path).toEqual([]);
    }
    expect([...statuses].sort()).toEqual([202, 400]);
  });

  it("a session body with any one identity field of the wrong type is answered below 500", async () => {
    const { chat } = await setup();
    const identity = {
      id: "7001",
      email: "kim@example.com",
      name: "김민지",
      shopifyCustomerId: "7001",
      hash: identityHash({ id: "7001", email: "kim@example.com", shopifyCustomerId: "7001" }, ID_SECRET),
    };
    for (const { path, body } of wrongTypeVariants({ identity, locale: "ko" })) {
      expect((await chat.fetch(post("/session", body))).status, path).toBeLessThan(500);
    }
  });

  it("an attachment that is not what its type says, or not base64, is a 400 and writes nothing", async () => {
    const { chat, watched, token } = await setup();
    for (const attachment of [
      { filename: "a.png", contentType: "image/png", contentBase64: Buffer.from("<svg/>").toString("base64") },
      { filename: "a.pdf", contentType: "application/pdf", contentBase64: "%%%not base64" },
      { filename: "a.exe", contentType: "application/x-msdownload", contentBase64: "TVqQ" },
    ]) {
      const res = await chat.fetch(post("/messages", JSON.stringify({ ...MESSAGE, attachments: [attachment] }), token));
      expect(res.status).toBe(400);
    }
    expect(watched.writes()).toEqual([]);
  });
});

describe("webchat: forged sessions are 401 and write nothing", () => {
  it("a missing, forged, truncated, tampered or expired token is refused at every route", async () => {
    const { chat, watched, token, clock } = await setup();
    const [body, sig] = token.split(".") as [string, string];
    const tampered = Buffer.from(
      Buffer.from(body, "base64url")
        .toString("utf8")
        .replace(/"visitorId":"[^"]+"/, '"visitorId":"shop:7001"'),
    ).toString("base64url");
    const expired = signSession(
      { visitorId: "anon:x", verified: false, identities: [], name: null, exp: clock.now().getTime() - 1 },
      SECRET,
    );
    const forgedTokens = [
      null,
      "",
      ".",
      "abc",
      `${body}.`,
      `.${sig}`,
      token.slice(0, -1),
      `${tampered}.${sig}`,
      `${body}.${sig}x`,
      expired,
      `${body}\u00ff.${sig}`,
    ];
    for (const bad of forgedTokens) {
      for (const [route, payload] of [
        ["/messages", JSON.stringify(MESSAGE)],
        ["/typing", '{"typing":true}'],
        ["/read", '{"messageIds":["m1"]}'],
      ] as const) {
        const res = await chat.fetch(post(route, payload, bad));
        expect(res.status, `${route} ${String(bad)}`).toBe(401);
        expect(await errorCode(res)).toBe("SIGNATURE_INVALID");
      }
      const stream = await chat.fetch(new Request(`${BASE}/stream?token=${encodeURIComponent(bad ?? "")}`));
      expect(stream.status).toBe(401);
    }
    expect(watched.writes()).toEqual([]);
  });

  it("a forged identity hash on /session is a 401", async () => {
    const { chat } = await setup();
    for (const hash of [
      "0".repeat(64),
      identityHash({ id: "7002" }, ID_SECRET),
      identityHash({ id: "7001" }, "other").toUpperCase(),
    ]) {
      const res = await chat.fetch(post("/session", JSON.stringify({ identity: { id: "7001", hash } })));
      expect(res.status).toBe(401);
    }
  });

  it("an identity whose email or Shopify id is not the one signed is a 401 and links nothing", async () => {
    const { chat, desk, watched } = await setup();
    const signed = { id: "7001", email: "kim@example.com", shopifyCustomerId: "7001" };
    const hash = identityHash(signed, ID_SECRET);
    const hashWithoutEmail = identityHash({ id: "7001" }, ID_SECRET);
    watched.reset();
    for (const [what, identity] of [
      ["another customer's email", { ...signed, email: "victim@example.com", hash }],
      ["the same email in other case", { ...signed, email: "Kim@example.com", hash }],
      ["another Shopify id", { ...signed, shopifyCustomerId: "7002", hash }],
      ["the signed email left out", { id: "7001", shopifyCustomerId: "7001", hash }],
      ["an email added to an id-only hash", { id: "7001", email: "victim@example.com", hash: hashWithoutEmail }],
      ["a Shopify id added to an id-only hash", { id: "7001", shopifyCustomerId: "7002", hash: hashWithoutEmail }],
    ] as const) {
      const res = await chat.fetch(post("/session", JSON.stringify({ identity })));
      expect(res.status, what).toBe(401);
      expect(await errorCode(res), what).toBe("SIGNATURE_INVALID");
    }
    expect(watched.writes()).toEqual([]);
    expect(await desk.findCustomer({ kind: "email", value: "victim@example.com" })).toBeNull();
  });

  it("an identity sent exactly as signed opens a verified session linked to its email and Shopify id", async () => {
    const { chat, desk } = await setup();
    const signed = { id: "7001", email: "kim@example.com", shopifyCustomerId: "7001" };
    const res = await chat.fetch(
      post(
        "/session",
        JSON.stringify({ identity: { ...signed, name: "김민지", hash: identityHash(signed, ID_SECRET) } }),
      ),
    );
    expect(res.status).toBe(200);
    const session = (await res.json()) as { token: string; visitorId: string; verified: boolean };
    expect(session).toMatchObject({ visitorId: "shop:7001", verified: true });
    const message = { clientMessageId: "cmid-0100", text: "주문 확인 부탁드려요" };
    expect((await chat.fetch(post("/messages", JSON.stringify(message), session.token))).status).toBe(202);
    const customer = await desk.findCustomer({ kind: "webchat", value: "shop:7001" });
    expect(customer).not.toBeNull();
    expect((await desk.findCustomer({ kind: "email", value: "kim@example.com" }))?.id).toBe(customer!.id);
    expect((await desk.findCustomer({ kind: "shopify", value: "7001" }))?.id).toBe(customer!.id);
  });

  it("a signed field with surrounding whitespace is refused, not trimmed into a different string", async () => {
    const { chat } = await setup();
    const padded = { id: " 7001", email: "kim@example.com" };
    const res = await chat.fetch(
      post("/session", JSON.stringify({ identity: { ...padded, hash: identityHash(padded, ID_SECRET) } })),
    );
    expect(res.status).toBe(400);
    const trimmed = await chat.fetch(
      post(
        "/session",
        JSON.stringify({
          identity: { ...padded, hash: identityHash({ id: "7001", email: "kim@example.com" }, ID_SECRET) },
        }),
      ),
    );
    expect(trimmed.status).toBe(400);
  });
});

describe("webchat: other hostile requests", () => {
  it("unknown routes and methods are a 404, a hostile Last-Event-ID opens the stream as new", async () => {
    const { chat, token } = await setup();
    for (const [method, path] of [
      ["GET", "/messages"],
      ["DELETE", "/session"],
      ["POST", "/__proto__"],
      ["POST", "/constructor"],
      ["PUT", "/read"],
    ]) {
      const res = await chat.fetch(
        new Request(`${BASE}${path}`, { method, ...(method === "GET" ? {} : { body: "{}" }) }),
      );
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    for (const lastEventId of ["x.y", "-1.a", "99999999999999999999.x", "\u00ff.\u00ff", "1e400.z", "."]) {
      const res = await chat.fetch(
        new Request(`${BASE}/stream?token=${token}&lastEventId=${encodeURIComponent(lastEventId)}`),
      );
      expect(res.status, lastEventId).toBe(200);
      await res.body?.cancel();
    }
  });

  it("a resent message (same clientMessageId) is one message", async () => {
    const { chat, desk, token } = await setup();
    const body = JSON.stringify(MESSAGE);
    expect((await chat.fetch(post("/messages", body, token))).status).toBe(202);
    expect((await chat.fetch(post("/messages", body, token))).status).toBe(202);
    const [ticket] = await desk.listTickets({});
    expect(await desk.listMessages(ticket!.id)).toHaveLength(1);
  });
});
