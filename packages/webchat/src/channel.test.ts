import { describe, expect, it } from "vitest";
import { createDesk, memoryStore } from "@storedesk/core";
import { runChannelConformance } from "@storedesk/core/testing";
import { webchatChannel } from "./channel.js";
import { anonymousSession, identityHash, signSession, verifiedSession } from "./identity.js";

const SECRET = "chat-secret-3b9d";
const URL_ = "https://shop.example/chat/messages";
const visitor = anonymousSession(Date.parse("2030-01-01T00:00:00Z"), () => "visitor-1");
const validBody = JSON.stringify({
  clientMessageId: "cm_0001_abcd",
  text: "배송이 언제 되나요? When does it ship?",
  locale: "ko",
});

function post(body: string, token?: string): Request {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return new Request(URL_, { method: "POST", headers, body });
}

runChannelConformance({
  adapter: () => webchatChannel({ secret: SECRET }),
  validRequest: () => post(validBody, signSession(visitor, SECRET)),
  forgedRequest: () => post(validBody, signSession(visitor, "not-the-secret")),
  unsignedRequest: () => post(validBody),
  malformedRequest: () => post(JSON.stringify({ text: 42 }), signSession(visitor, SECRET)),
  // The visitor's stream reads replies from the desk's records: a send always succeeds.
  successfulSend: {},
  secrets: [SECRET],
});

describe("webchatChannel", () => {
  const channel = () => webchatChannel({ secret: SECRET, identitySecret: "id-secret" });

  it("answers 403 to an anonymous visitor in verified-only mode", async () => {
    const strict = webchatChannel({ secret: SECRET, verifiedOnly: true });
    const { response, events } = await strict.handleWebhook(post(validBody, signSession(visitor, SECRET)));
    expect(response.status).toBe(403);
    expect(events).toEqual([]);
  });

  it("links a verified visitor's message to the email and Shopify identities the shop vouched for", async () => {
    const signed = { id: "7001", email: "Kim@Example.com", shopifyCustomerId: "7001" };
    const session = verifiedSession(
      { ...signed, hash: identityHash(signed, "id-secret") },
      "id-secret",
      Date.parse("2030-01-01"),
    );
    const { events } = await channel().handleWebhook(post(validBody, signSession(session, SECRET)));
    expect(events[0]).toMatchObject({
      from: {
        identities: [
          { kind: "webchat", value: "shop:7001" },
          { kind: "shopify", value: "7001" },
          { kind: "email", value: "Kim@Example.com" },
        ],
      },
    });
  });

  it("keeps an anonymous visitor's typed email as a contact address, never as an identity", async () => {
    const body = JSON.stringify({ clientMessageId: "cm_0002_abcd", text: "hi", contactEmail: "victim@example.com" });
    const { events } = await channel().handleWebhook(post(body, signSession(visitor, SECRET)));
    const event = events[0]!;
    expect(event.type === "message" && event.from.identities).toEqual([{ kind: "webchat", value: "anon:visitor-1" }]);
    expect(event.type === "message" && event.meta).toMatchObject({ contactEmail: "victim@example.com" });
  });

  it("refuses an expired session token with 401", async () => {
    const expired = { ...visitor, exp: Date.parse("2020-01-01") };
    const { response } = await channel().handleWebhook(post(validBody, signSession(expired, SECRET)));
    expect(response.status).toBe(401);
  });

  it("accepts a PNG attachment and refuses a file that is not what its type says, and one over the size limit", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString("base64");
    const token = signSession(visitor, SECRET);
    const small = webchatChannel({ secret: SECRET, attachments: { maxBytes: 10 } });
    const withFile = (contentType: string, contentBase64: string) =>
      post(
        JSON.stringify({
          clientMessageId: "cm_0003_abcd",
          text: "",
          attachments: [{ filename: "a.png", contentType, contentBase64 }],
        }),
        token,
      );
    const ok = await channel().handleWebhook(withFile("image/png", png));
    expect(ok.response.status).toBe(202);
    expect(ok.events[0]).toMatchObject({ attachments: [{ contentType: "image/png", size: 12 }] });
    expect(
      (await channel().handleWebhook(withFile("image/png", Buffer.from("<html>").toString("base64")))).response.status,
    ).toBe(400);
    expect(
      (await channel().handleWebhook(withFile("text/html", Buffer.from("<html>").toString("base64")))).response.status,
    ).toBe(400);
    expect((await small.handleWebhook(withFile("image/png", png))).response.status).toBe(413);
  });

  it("makes a resent message (same clientMessageId) one message on the ticket", async () => {
    const webchat = channel();
    const desk = createDesk({ store: memoryStore(), channels: [webchat], autoAcknowledge: false });
    const handle = desk.webhook("webchat");
    const token = signSession(visitor, SECRET);
    expect((await handle(post(validBody, token))).status).toBe(202);
    expect((await handle(post(validBody, token))).status).toBe(202);
    const [ticket] = await desk.listTickets({});
    expect((await desk.listMessages(ticket!.id)).filter((m) => m.direction === "inbound")).toHaveLength(1);
  });

  it("requires the pre-chat fields the settings name", async () => {
    const withForm = webchatChannel({ secret: SECRET, prechat: { fields: ["name", "email"], required: ["email"] } });
    const body = JSON.stringify({ clientMessageId: "cm_0004_abcd", text: "hi", prechat: { name: "Kim" } });
    const { response } = await withForm.handleWebhook(post(body, signSession(visitor, SECRET)));
    expect(response.status).toBe(400);
  });
});
