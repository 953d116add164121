/**
 * The payload shapes of Meta's "messages" webhook reference (text with an ad referral, media
 * with a caption and `context`, animated sticker, order, Flow reply, system, unsupported,
 * statuses with pricing and errors, value-level errors, other fields), built from the
 * documented examples and posted signed through a real desk.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Message, Ticket } from "@storedesk/core";
import { GRAPH, ownFixture, PHONE_NUMBER_ID, signedRequest, whatsappTestDesk } from "../src/test-support.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const AT = new Date("2026-01-01T00:10:00Z");

const setup = () => whatsappTestDesk(AT, { desk: { outbox: { wait: "sent" } } });

type Desk = ReturnType<typeof setup>["desk"];

/** Every stored message by its wamid, with its ticket. */
async function stored(desk: Desk): Promise<Map<string, { ticket: Ticket; message: Message }>> {
  const out = new Map<string, { ticket: Ticket; message: Message }>();
  for (const ticket of await desk.listTickets({})) {
    for (const message of await desk.listMessages(ticket.id)) {
      if (message.externalId) out.set(message.externalId, { ticket, message });
    }
  }
  return out;
}

describe("whatsapp documented message payloads through the desk", () => {
  it("stores every message of a body with two entries and several changes, none refused", async () => {
    const { desk, post } = setup();
    expect((await post(ownFixture("documented-messages.json"))).status).toBe(200);
    const byId = await stored(desk);
    expect([...byId.keys()].sort()).toEqual(
      [
        "wamid.REFERRAL1",
        "wamid.VIDEO1",
        "wamid.STICKER2",
        "wamid.ORDER1",
        "wamid.FLOW1",
        "wamid.SYSTEM1",
        "wamid.UNSUPPORTED2",
      ].sort(),
    );
  });

  it("keeps a click-to-WhatsApp ad's referral on the customer's text", async () => {
    const { desk, post } = setup();
    await post(ownFixture("documented-messages.json"));
    const { message } = (await stored(desk)).get("wamid.REFERRAL1")!;
    expect(message.text).toBe("Is this still on sale?");
    expect(message.meta.referral).toMatchObject({
      source_type: "ad",
      source_id: "120226305854810726",
      ctwa_clid: expect.stringMatching(/^ARAk/),
    });
  });

  it("turns a captioned video replying to our message into text, attachment and reply-to", async () => {
    const { desk, post } = setup();
    await post(ownFixture("documented-messages.json"));
    const { message } = (await stored(desk)).get("wamid.VIDEO1")!;
    expect(message.text).toBe("The box arrived like this");
    expect(message.attachments).toEqual([
      expect.objectContaining({ contentType: "video/mp4", providerId: "1326162891994876" }),
    ]);
    expect(message.meta.context).toEqual({ id: "wamid.OUT_ASKED_FOR_PHOTO", from: "15550783881" });
  });

  it("stores an animated sticker as an image/webp attachment without text", async () => {
    const { desk, post } = setup();
    await post(ownFixture("documented-messages.json"));
    const { message } = (await stored(desk)).get("wamid.STICKER2")!;
    expect(message.text).toBe("");
    expect(message.attachments).toEqual([
      expect.objectContaining({ contentType: "image/webp", providerId: "1228191071697417" }),
    ]);
  });

  it("renders an order as its note and one line per product, the cart in meta.order", async () => {
    const { desk, post } = setup();
    await post(ownFixture("documented-messages.json"));
    const { ticket, message } = (await stored(desk)).get("wamid.ORDER1")!;
    expect(message.text).toBe("Please deliver after 6pm\n🛒 2 × di9ozbzfi4 @ 30 USD\n🛒 1 × nqryix03ez @ 25 USD");
    expect(message.meta.order).toMatchObject({ catalog_id: "194836987003835" });
    expect(ticket.conversationKey).toBe(`wa:${PHONE_NUMBER_ID}:34612345678`);
  });

  it("keeps a Flow's answer (nfm_reply) as its body with the parsed response in meta, on the ordering customer's ticket", async () => {
    const { desk, post } = setup();
    await post(ownFixture("documented-messages.json"));
    const byId = await stored(desk);
    const { ticket, message } = byId.get("wamid.FLOW1")!;
    expect(message.text).toBe("Sent");
    expect(message.meta.flowResponse).toEqual({
      flow_token: "return-SD-1042",
      reason: "damaged",
      order_number: "SD-1042",
    });
    expect(ticket.id).toBe(byId.get("wamid.ORDER1")!.ticket.id);
  });

  it("records a number change (system, no contacts array) on the customer's thread with the new id", async () => {
    const { desk, post } = setup();
    await post(ownFixture("documented-messages.json"));
    const byId = await stored(desk);
    const { ticket, message } = byId.get("wamid.SYSTEM1")!;
    expect(message.text).toBe("User Sheena Nelson changed from 16505551234 to 16505550000");
    expect(message.meta.system).toEqual({ type: "user_changed_number", newWaId: "16505550000" });
    expect(ticket.id).toBe(byId.get("wamid.REFERRAL1")!.ticket.id);
  });

  it("keeps an unsupported message visible with its error title", async () => {
    const { desk, post } = setup();
    await post(ownFixture("documented-messages.json"));
    const { message } = (await stored(desk)).get("wamid.UNSUPPORTED2")!;
    expect(message.text).toBe("[WhatsApp unsupported message: Message type unknown]");
    expect(message.meta.errors).toEqual([expect.objectContaining({ code: 131051 })]);
  });

  it("keeps an interactive reply of a kind the adapter does not know instead of refusing the body", async () => {
    const { desk, post } = setup();
    const body = JSON.parse(ownFixture("documented-messages.json"));
    const flow = body.entry[0].changes[1].value.messages[1];
    flow.interactive = { type: "call_permission_reply", call_permission_reply: { response: "accept" } };
    expect((await post(JSON.stringify(body))).status).toBe(200);
    const { message } = (await stored(desk)).get("wamid.FLOW1")!;
    expect(message.text).toBe("[WhatsApp interactive call_permission_reply]");
  });
});

describe("whatsapp documented status payloads through the desk", () => {
  it("applies sent and delivered with pricing, and a failure with its code, to our message", async () => {
    const { desk, post } = setup();
    server.use(
      http.post(`${GRAPH}/${PHONE_NUMBER_ID}/messages`, () =>
        HttpResponse.json({ messages: [{ id: "wamid.OUT_FAILED" }] }),
      ),
    );
    await post(ownFixture("documented-messages.json"));
    const { ticket } = (await stored(desk)).get("wamid.REFERRAL1")!;
    const reply = await desk.reply(ticket.id, { text: "Yes, until Sunday.", agentId: "agent-1" });
    expect(reply.externalId).toBe("wamid.OUT_FAILED");

    expect((await post(ownFixture("documented-statuses.json"))).status).toBe(200);
    const outbound = (await desk.listMessages(ticket.id)).find((m) => m.externalId === "wamid.OUT_FAILED");
    expect(outbound?.deliveryStatus).toBe("failed");
    expect(outbound?.deliveryError).toEqual({ code: "131026", title: "Message undeliverable" });
  });

  it("maps statuses to delivery events and ignores value-level errors and other fields with a 200", async () => {
    const { desk, whatsapp, post } = setup();
    const { response, events } = await whatsapp.handleWebhook(signedRequest(ownFixture("documented-statuses.json")));
    expect(response.status).toBe(200);
    expect(events.map((e) => (e.type === "delivery" ? [e.externalId, e.status] : e.type))).toEqual([
      ["wamid.OUT_PRICED", "sent"],
      ["wamid.OUT_PRICED", "delivered"],
      ["wamid.OUT_FAILED", "failed"],
    ]);
    expect((await post(ownFixture("documented-statuses.json"))).status).toBe(200);
    expect(await desk.listTickets({})).toEqual([]);
  });
});
