/**
 * Replies agents type in the Page inbox come back as `message_echoes` (Messenger Platform,
 * "message_echoes Webhook Event Reference": `is_echo`, the sending `app_id`, `mid`). With the
 * app's id configured, an echo another app sent is recorded on the customer's ticket as an
 * agent's reply; this app's own echoes stay receipts of the desk's sends.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore } from "@storedesk/core";
import { metaChannel } from "../src/index.js";
import {
  APP_SECRET,
  GRAPH,
  IG_ID,
  IGSID,
  PAGE_ID,
  PAGE_TOKEN,
  PSID,
  signedRequest,
  VERIFY_TOKEN,
} from "../src/test-support.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const OUR_APP = "1517776481860111";
const PAGE_INBOX_APP = 263902037430900;

function setup(appId: string | null = OUR_APP) {
  const clock = manualClock(new Date("2026-03-02T10:05:00Z"));
  const meta = metaChannel({
    pageAccessToken: PAGE_TOKEN,
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    pageId: PAGE_ID,
    instagramAccountId: IG_ID,
    clock,
    ...(appId ? { appId } : {}),
  });
  const desk = createDesk({
    outbox: { wait: "sent" },
    store: memoryStore(),
    channels: meta.adapters,
    clock,
    autoAcknowledge: false,
  });
  const post = async (item: unknown) => {
    const body = JSON.stringify({
      object: "page",
      entry: [{ id: PAGE_ID, time: clock.now().getTime(), messaging: [item] }],
    });
    return desk.webhook("messenger")(signedRequest(body));
  };
  const customerWrites = (mid: string, text: string) =>
    post({
      sender: { id: PSID },
      recipient: { id: PAGE_ID },
      timestamp: clock.now().getTime(),
      message: { mid, text },
    });
  const echo = (mid: string, text: string, appId: number | string) =>
    post({
      sender: { id: PAGE_ID },
      recipient: { id: PSID },
      timestamp: clock.now().getTime(),
      message: { is_echo: true, app_id: appId, mid, text },
    });
  return { clock, desk, customerWrites, echo };
}

describe("Page inbox echoes", () => {
  it("records a reply typed in the Page inbox on the customer's ticket as the agent's, once", async () => {
    const { desk, clock, customerWrites, echo } = setup();
    expect((await customerWrites("m_in_1", "배송 언제 와요?")).status).toBe(200);
    const [ticket] = await desk.listTickets({});
    clock.advance(10 * 60_000);
    expect((await echo("m_out_inbox", "내일 도착 예정입니다", PAGE_INBOX_APP)).status).toBe(200);
    expect((await echo("m_out_inbox", "내일 도착 예정입니다", PAGE_INBOX_APP)).status).toBe(200); // redelivered
    const messages = await desk.listMessages(ticket!.id);
    expect(messages.map((m) => [m.direction, m.authorKind, m.externalId, m.deliveryStatus])).toEqual([
      ["inbound", "customer", "m_in_1", "received"],
      ["outbound", "agent", "m_out_inbox", "sent"],
    ]);
    expect(messages[1]!.meta.meta).toEqual({ appId: String(PAGE_INBOX_APP) });
    const after = await desk.getTicket(ticket!.id);
    expect(after.firstRepliedAt).toEqual(clock.now());
    expect(after.sla!.metrics.find((m) => m.metric === "first_reply")?.status).toBe("fulfilled");
  });

  it("opens a pending ticket when an agent starts the conversation in the Page inbox; the answer threads onto it", async () => {
    const { desk, clock, customerWrites, echo } = setup();
    expect(
      (await echo("m_out_first", "주문하신 상품 출고가 하루 늦어집니다. 죄송합니다.", PAGE_INBOX_APP)).status,
    ).toBe(200);
    const [ticket] = await desk.listTickets({});
    expect(ticket).toMatchObject({ status: "pending", channel: "messenger", tags: ["provider-inbox"] });
    expect(ticket!.category).not.toBe("complaint"); // the shop's apology is no complaint
    expect((await desk.findCustomer({ kind: "messenger", value: PSID }))?.id).toBe(ticket!.customerId);
    clock.advance(5 * 60_000);
    expect((await customerWrites("m_in_2", "네 알겠습니다")).status).toBe(200);
    expect(await desk.listTickets({})).toHaveLength(1);
    const messages = await desk.listMessages(ticket!.id);
    expect(messages.map((m) => [m.direction, m.externalId])).toEqual([
      ["outbound", "m_out_first"],
      ["inbound", "m_in_2"],
    ]);
    expect((await desk.getTicket(ticket!.id)).status).toBe("open");
  });

  it("records an Instagram app echo the same way, under the actor external:instagram", async () => {
    const { desk, clock } = setup();
    const post = (item: unknown) =>
      desk.webhook("instagram")(
        signedRequest(
          JSON.stringify({
            object: "instagram",
            entry: [{ id: IG_ID, time: clock.now().getTime(), messaging: [item] }],
          }),
        ),
      );
    const at = () => clock.now().getTime();
    await post({
      sender: { id: IGSID },
      recipient: { id: IG_ID },
      timestamp: at(),
      message: { mid: "ig_in_1", text: "재입고 되나요?" },
    });
    clock.advance(60_000);
    const echoed = { is_echo: true, app_id: PAGE_INBOX_APP, mid: "ig_out_app", text: "다음 주에 들어와요" };
    expect(
      (await post({ sender: { id: IG_ID }, recipient: { id: IGSID }, timestamp: at(), message: echoed })).status,
    ).toBe(200);
    const [ticket] = await desk.listTickets({});
    const messages = await desk.listMessages(ticket!.id);
    expect(messages.map((m) => [m.channel, m.direction, m.authorKind, m.authorId])).toEqual([
      ["instagram", "inbound", "customer", expect.anything()],
      ["instagram", "outbound", "agent", "external:instagram"],
    ]);
  });

  it("keeps this app's own echo a receipt of the desk's send (no second message)", async () => {
    const { desk, customerWrites, echo } = setup();
    server.use(
      http.post(`${GRAPH}/${PAGE_ID}/messages`, () =>
        HttpResponse.json({ recipient_id: PSID, message_id: "m_out_desk" }),
      ),
    );
    await customerWrites("m_in_1", "문의드려요");
    const [ticket] = await desk.listTickets({});
    await desk.reply(ticket!.id, { text: "확인 중입니다", agentId: "kim" });
    // Our echo may even overtake the send's answer: the app id says it is ours, not an agent's.
    expect((await echo("m_out_desk", "확인 중입니다", OUR_APP)).status).toBe(200);
    expect((await echo("m_out_other", "확인 중입니다", Number(OUR_APP))).status).toBe(200);
    const messages = await desk.listMessages(ticket!.id);
    expect(messages.map((m) => [m.direction, m.externalId])).toEqual([
      ["inbound", "m_in_1"],
      ["outbound", "m_out_desk"],
    ]);
  });

  it("takes every echo for the desk's own when the app id is not configured (as before)", async () => {
    const { desk, customerWrites, echo } = setup(null);
    await customerWrites("m_in_1", "문의드려요");
    await echo("m_out_inbox", "답변", PAGE_INBOX_APP);
    const [ticket] = await desk.listTickets({});
    expect((await desk.listMessages(ticket!.id)).map((m) => m.direction)).toEqual(["inbound"]);
  });
});
