import { afterEach, describe, expect, it } from "vitest";
import { createDesk, memoryStore } from "@storedesk/core";
import { webchatChannel } from "./channel.js";
import type { PrechatSettings } from "./channel.js";
import { anonymousSession, identityHash, signSession, verifySession } from "./identity.js";
import type { VisitorSession } from "./identity.js";
import { webchatServer } from "./server.js";
import type { WebchatServer } from "./server.js";

const SECRET = "chat-secret-3b9d";
const BASE = "https://shop.example/chat";
const FORM: PrechatSettings = { fields: ["name", "email"], required: ["email"] };
const visitor = anonymousSession(Date.parse("2030-01-01T00:00:00Z"), () => "visitor-1");

function post(body: unknown, token?: string, path = "/messages"): Request {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return new Request(`${BASE}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
}

const message = (clientMessageId: string, extra: Record<string, unknown> = {}) => ({
  clientMessageId,
  text: "배송이 언제 되나요?",
  ...extra,
});

async function refusal(response: Response) {
  return ((await response.json()) as { error: { code: string; path?: Array<string | number> } }).error;
}

describe("the pre-chat form gates a session's first message (handleWebhook)", () => {
  const channel = (prechat: PrechatSettings | null = FORM) => webchatChannel({ secret: SECRET, prechat });

  it("refuses 400 at the field's path a first message with no prechat at all, and makes no event", async () => {
    const { response, events } = await channel().handleWebhook(
      post(message("cm_0001_abcd"), signSession(visitor, SECRET)),
    );
    expect(response.status).toBe(400);
    expect(await refusal(response)).toMatchObject({ code: "INVALID_INPUT", path: ["prechat", "email"] });
    expect(events).toEqual([]);
  });

  it("refuses a required field that is empty or only whitespace", async () => {
    const withName = channel({ fields: ["name", "email"], required: ["name"] });
    const token = signSession(visitor, SECRET);
    for (const name of ["", "   ", "\t\n"]) {
      const { response, events } = await withName.handleWebhook(
        post(message("cm_0002_abcd", { prechat: { name } }), token),
      );
      expect(response.status).toBe(400);
      expect(await refusal(response)).toMatchObject({ code: "INVALID_INPUT", path: ["prechat", "name"] });
      expect(events).toEqual([]);
    }
  });

  it("refuses a required email that is blank or not an email", async () => {
    const token = signSession(visitor, SECRET);
    for (const email of ["", "   ", "kim", "kim@", "kim@example com"]) {
      const { response, events } = await channel().handleWebhook(
        post(message("cm_0003_abcd", { prechat: { name: "Kim", email } }), token),
      );
      expect(response.status).toBe(400);
      expect(await refusal(response)).toMatchObject({ code: "INVALID_INPUT", path: ["prechat", "email"] });
      expect(events).toEqual([]);
    }
  });

  it("accepts a valid first message and answers a token marking the session answered (same visitor, same expiry)", async () => {
    const { response, events } = await channel().handleWebhook(
      post(
        message("cm_0004_abcd", { prechat: { name: "Kim", email: "kim@example.com" } }),
        signSession(visitor, SECRET),
      ),
    );
    expect(response.status).toBe(202);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      meta: { prechat: { email: "kim@example.com" }, contactEmail: "kim@example.com" },
    });
    const { token } = (await response.json()) as { token?: string };
    const marked = verifySession(token, SECRET, new Date("2029-01-01"));
    expect(marked).toEqual({ ...visitor, prechatAnswered: true });
  });

  it("accepts a later message without prechat on the marked session, also on another instance sharing only the secret", async () => {
    const first = await channel().handleWebhook(
      post(message("cm_0005_abcd", { prechat: { email: "kim@example.com" } }), signSession(visitor, SECRET)),
    );
    const { token } = (await first.response.json()) as { token: string };
    // A second channel object stands for another process: nothing but the signed token is shared.
    const later = await channel().handleWebhook(post(message("cm_0006_abcd"), token));
    expect(later.response.status).toBe(202);
    expect(later.events).toHaveLength(1);
    expect((await later.response.json()) as object).not.toHaveProperty("token");
    // The unmarked token is still refused: the mark is in the token, not remembered per visitor.
    const again = await channel().handleWebhook(post(message("cm_0007_abcd"), signSession(visitor, SECRET)));
    expect(again.response.status).toBe(400);
  });

  it("cannot be marked by the client: a token claiming the mark without the secret is refused 401", async () => {
    const forged = signSession({ ...visitor, prechatAnswered: true }, "not-the-secret");
    const { response } = await channel().handleWebhook(post(message("cm_0008_abcd"), forged));
    expect(response.status).toBe(401);
  });

  it("leaves chats without required fields alone: no form, or a form with nothing required", async () => {
    for (const prechat of [null, { fields: ["name", "email"], required: [] } satisfies PrechatSettings]) {
      const { response, events } = await channel(prechat).handleWebhook(
        post(message("cm_0009_abcd"), signSession(visitor, SECRET)),
      );
      expect(response.status).toBe(202);
      expect(events).toHaveLength(1);
      expect((await response.json()) as object).not.toHaveProperty("token");
    }
  });

  it("refuses settings that require a field the form does not show", () => {
    expect(() => webchatChannel({ secret: SECRET, prechat: { fields: ["name"], required: ["email"] } })).toThrow(
      /prechat\.required names email/,
    );
  });
});

describe("the pre-chat gate through webchatServer", () => {
  const servers: WebchatServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  function setup() {
    const channel = webchatChannel({ secret: SECRET, identitySecret: "id-secret", prechat: FORM });
    const desk = createDesk({ store: memoryStore(), channels: [channel], autoAcknowledge: false });
    const chat = webchatServer({ desk, channel, heartbeatMs: 50 });
    servers.push(chat);
    return { desk, chat };
  }

  async function session(chat: WebchatServer, body: unknown = {}, token?: string) {
    const response = await chat.fetch(post(body, token, "/session"));
    expect(response.status).toBe(200);
    return (await response.json()) as { token: string; visitorId: string; prechatAnswered: boolean };
  }

  it("stores nothing for a message that skips the form; the answered session is kept when the token is renewed", async () => {
    const { desk, chat } = setup();
    const started = await session(chat);
    expect(started.prechatAnswered).toBe(false);
    const skipped = await chat.fetch(post(message("cm_1001_abcd"), started.token));
    expect(skipped.status).toBe(400);
    expect(await refusal(skipped)).toMatchObject({ path: ["prechat", "email"] });
    expect(await desk.listTickets({})).toEqual([]);

    const first = await chat.fetch(
      post(message("cm_1002_abcd", { prechat: { email: "kim@example.com" } }), started.token),
    );
    expect(first.status).toBe(202);
    const { token } = (await first.json()) as { token: string };
    const renewed = await session(chat, {}, token);
    expect(renewed).toMatchObject({ visitorId: started.visitorId, prechatAnswered: true });
    expect((await chat.fetch(post(message("cm_1003_abcd"), renewed.token))).status).toBe(202);

    const [ticket] = await desk.listTickets({});
    const inbound = (await desk.listMessages(ticket!.id)).filter((m) => m.direction === "inbound");
    expect(inbound).toHaveLength(2);
    expect(inbound[0]!.meta).toMatchObject({ contactEmail: "kim@example.com" });
  });

  it("keeps a signed-in customer's mark only when they send their own previous token", async () => {
    const { chat } = setup();
    const identity = {
      id: "7001",
      email: "kim@example.com",
      hash: identityHash({ id: "7001", email: "kim@example.com" }, "id-secret"),
    };
    const started = await session(chat, { identity });
    expect(started.prechatAnswered).toBe(false);
    const first = await chat.fetch(
      post(message("cm_2001_abcd", { prechat: { email: "kim@example.com" } }), started.token),
    );
    const { token } = (await first.json()) as { token: string };
    expect((await session(chat, { identity }, token)).prechatAnswered).toBe(true);
    expect((await session(chat, { identity })).prechatAnswered).toBe(false);
    // Another visitor's marked token does not answer the form for this customer.
    const other: VisitorSession = { ...visitor, prechatAnswered: true };
    expect((await session(chat, { identity }, signSession(other, SECRET))).prechatAnswered).toBe(false);
  });
});
