import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore, StoredeskError } from "@storedesk/core";
import { alimTalkChannel, defineAlimTalkTemplates, eucKrBytes, lunasoftAlimTalkProvider } from "./index.js";
import { mockProviders } from "./test-support.js";

const server = mockProviders();

const BASE = "https://kakao-bizmessage.lunasoft.co.kr";
let alim: Array<Record<string, unknown>>, texts: Array<Record<string, unknown>>, alimCode: string;
beforeEach(() => {
  alim = [];
  texts = [];
  alimCode = "0000";
  server.use(
    http.post(`${BASE}/api/v3/alimtalk/send`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      alim.push({ ...body, agentKey: request.headers.get("agentKey") });
      return HttpResponse.json({
        code: alimCode,
        message_key: body.message_key,
        ...(alimCode === "0000" ? {} : { message: "NoSendAvailableException" }),
      });
    }),
    http.post(`${BASE}/api/v3/sms/send`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      texts.push(body);
      return HttpResponse.json({ code: "0000", message_key: body.message_key });
    }),
  );
});

const SHIP = {
  code: "SHIP_01",
  purpose: "shipping" as const,
  status: "approved" as const,
  body: "[스토어] #{name}님, 주문 #{order} 상품이 출고되었습니다.\n운송장: #{tracking}",
  buttons: [
    { name: "배송 조회", type: "DS" as const },
    { name: "주문 상세", type: "WL" as const, urlMobile: "https://shop.example/orders/#{order}" },
  ],
};

function setup(status: "requested" | "in_review" | "approved" | "rejected" = "approved") {
  const clock = manualClock(new Date("2026-03-02T09:00:00+09:00"));
  const templates = defineAlimTalkTemplates([{ ...SHIP, status }]);
  const channel = alimTalkChannel({
    provider: lunasoftAlimTalkProvider({
      agentKey: "agent-key-secret",
      senderKey: "sender-1",
      callback: "0212345678",
    }),
    templates,
  });
  const store = memoryStore();
  const desk = createDesk({ outbox: { wait: "sent" }, store, channels: [channel], clock, autoAcknowledge: false });
  return { desk, store, templates, clock };
}

async function customerWithPhone(desk: ReturnType<typeof setup>["desk"]) {
  const r = await desk.ingest({
    type: "message",
    channel: "alimtalk",
    externalId: "seed-1",
    occurredAt: new Date("2026-03-01T09:00:00+09:00"),
    from: {
      identities: [
        { kind: "email", value: "minsu@example.com" },
        { kind: "phone", value: "+82 10-1234-5678" },
      ],
      name: "김민수",
    },
    text: "seed",
  });
  return r.ticket!.customerId;
}
const shipping = {
  channel: "alimtalk",
  reason: "shipping",
  text: "출고 안내",
  template: {
    name: "SHIP_01",
    language: "ko",
    parameters: { name: "김민수", order: "1042", tracking: "531234567890" },
  },
};

describe("alimtalk templates", () => {
  for (const status of ["requested", "in_review", "rejected"] as const) {
    it(`refuses to send a template that is ${status}`, async () => {
      const { desk } = setup(status);
      const err = await desk.sendToCustomer(await customerWithPhone(desk), shipping).catch((e: unknown) => e);
      expect(StoredeskError.is(err, "APPROVAL_REQUIRED")).toBe(true);
      expect(alim).toEqual([]);
    });
  }

  it("refuses a missing variable and a body past 1,000 characters", () => {
    const { templates } = setup();
    expect(() => templates.render("SHIP_01", { name: "김민수", order: "1" })).toThrow(/tracking/);
    expect(() => templates.render("SHIP_01", { name: "가".repeat(990), order: "1", tracking: "2" })).toThrow(/1,000/);
  });

  it("counts EUC-KR bytes as carriers do: Hangul 2, ASCII 1", () => {
    expect(eucKrBytes("배송 ok")).toBe(7);
  });
});

describe("alimtalk channel", () => {
  it("sends a shipping notice from the desk to the customer's phone with the filled template and buttons", async () => {
    const { desk } = setup();
    const { message } = await desk.sendToCustomer(await customerWithPhone(desk), shipping);
    expect(message.deliveryStatus).toBe("sent");
    expect(alim).toEqual([
      {
        message_type: "AT",
        message_key: expect.any(String),
        sender_key: "sender-1",
        country_code: "82",
        recipient_number: "01012345678",
        template_code: "SHIP_01",
        message: "[스토어] 김민수님, 주문 1042 상품이 출고되었습니다.\n운송장: 531234567890",
        attachment: {
          button: [
            { name: "배송 조회", type: "DS" },
            { name: "주문 상세", type: "WL", url_mobile: "https://shop.example/orders/1042" },
          ],
        },
        agentKey: "agent-key-secret",
      },
    ]);
  });

  it("falls back to an LMS with the links when the user cannot receive AlimTalk", async () => {
    const { desk } = setup();
    alimCode = "3018";
    const { message } = await desk.sendToCustomer(await customerWithPhone(desk), shipping);
    expect(message.meta.alimtalk).toMatchObject({ fallback: "LMS", reason: "3018" });
    expect(texts).toEqual([
      {
        message_type: "LMS",
        message_key: expect.any(String),
        callback: "0212345678",
        recipient_number: "01012345678",
        message: expect.stringContaining("주문 상세: https://shop.example/orders/1042"),
      },
    ]);
  });

  it("does not fall back when the text does not match the template (3016): that is our error", async () => {
    const { desk } = setup();
    alimCode = "3016";
    const err = await desk.sendToCustomer(await customerWithPhone(desk), shipping).catch((e: unknown) => e);
    expect(StoredeskError.is(err, "INVALID_INPUT")).toBe(true);
    expect(texts).toEqual([]);
  });

  it("never sends free text: a reply without a template is refused", async () => {
    const { desk } = setup();
    const customerId = await customerWithPhone(desk);
    const [ticket] = await desk.listTickets({ customerId });
    const err = await desk.reply(ticket!.id, { text: "자유 문구", agentId: "kim" }).catch((e: unknown) => e);
    expect(StoredeskError.is(err, "REPLY_WINDOW_CLOSED")).toBe(true);
    expect(alim).toEqual([]);
  });
});

describe("alimtalk inbound", () => {
  it("answers 405 with no events: AlimTalk is one-way", async () => {
    const { desk } = setup();
    const response = await desk.webhook("alimtalk")(
      new Request("https://shop.example/webhooks/alimtalk", { method: "POST", body: "{}" }),
    );
    expect(response.status).toBe(405);
    expect(await desk.listTickets({})).toEqual([]);
  });
});
