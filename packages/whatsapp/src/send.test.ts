import { inspect } from "node:util";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { manualClock, StoredeskError } from "@storedesk/core";
import type { OutboundMessage } from "@storedesk/core";
import { defineTemplateRegistry } from "./index.js";
import type { WhatsAppChannelOptions } from "./index.js";
import {
  ACCESS_TOKEN,
  APP_SECRET,
  customer,
  GRAPH,
  PHONE_NUMBER_ID,
  testWhatsAppChannel,
  ticket,
} from "./test-support.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let sent: Array<{ body: Record<string, unknown>; auth: string | null }> = [];
let sleeps: number[] = [];
let nextId = 0;
beforeEach(() => {
  sent = [];
  sleeps = [];
  nextId = 0;
});

function acceptMessages() {
  server.use(
    http.post(`${GRAPH}/${PHONE_NUMBER_ID}/messages`, async ({ request }) => {
      sent.push({
        body: (await request.json()) as Record<string, unknown>,
        auth: request.headers.get("authorization"),
      });
      nextId += 1;
      return HttpResponse.json({
        messaging_product: "whatsapp",
        contacts: [{ input: "821012345678", wa_id: "821012345678" }],
        messages: [{ id: `wamid.SENT${nextId}` }],
      });
    }),
  );
}

const templates = defineTemplateRegistry([
  {
    name: "order_update",
    language: "ko",
    category: "utility",
    parameters: { body: 2, header: "text", buttons: ["url"] },
  },
  { name: "support_followup", language: "en_US", category: "utility", parameters: { body: 1 } },
  { name: "spring_sale", language: "ko", category: "marketing" },
]);

const now = new Date("2026-03-02T10:00:00Z");
function channel(extra: Partial<WhatsAppChannelOptions> = {}) {
  return testWhatsAppChannel({
    templates,
    clock: manualClock(now),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
}

function outbound(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    messageId: "m_1",
    ticket: ticket({ lastCustomerMessageAt: new Date("2026-03-02T09:00:00Z") }),
    customer: customer(),
    text: "안녕하세요, 주문 확인해 드릴게요.",
    visibility: "private",
    thread: [],
    ...overrides,
  };
}

async function caught(p: Promise<unknown>): Promise<StoredeskError> {
  try {
    await p;
  } catch (err) {
    if (StoredeskError.is(err)) return err;
    throw err;
  }
  throw new Error("expected a StoredeskError");
}

describe("whatsapp send", () => {
  it("sends a text message with the bearer token and returns the wamid", async () => {
    acceptMessages();
    const receipt = await channel().send(outbound());
    expect(receipt).toMatchObject({ externalId: "wamid.SENT1", status: "sent" });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.auth).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(sent[0]?.body).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "821012345678",
      biz_opaque_callback_data: "m_1",
      type: "text",
      text: { body: "안녕하세요, 주문 확인해 드릴게요.", preview_url: false },
    });
  });

  it("finds the recipient from the customer's identity when the ticket has no WhatsApp key", async () => {
    acceptMessages();
    await channel().send(
      outbound({
        ticket: ticket({ conversationKey: null, lastCustomerMessageAt: new Date("2026-03-02T09:00:00Z") }),
        customer: customer({ identities: [{ kind: "phone", value: "+82 10-9999-0000" }] }),
      }),
    );
    expect(sent[0]?.body.to).toBe("821099990000");
  });

  it("quotes an earlier message when contextMessageId is given", async () => {
    acceptMessages();
    await channel().send(outbound({ options: { contextMessageId: "wamid.IN1" } }));
    expect(sent[0]?.body.context).toEqual({ message_id: "wamid.IN1" });
  });

  it("sends media by link and by media id, captioning the first image", async () => {
    acceptMessages();
    const receipt = await channel().send(
      outbound({
        text: "교환 안내서입니다",
        attachments: [
          {
            filename: "guide.png",
            contentType: "image/png",
            size: null,
            url: "https://cdn.shop.example/guide.png",
            providerId: null,
            contentBase64: null,
          },
          {
            filename: "label.pdf",
            contentType: "application/pdf",
            size: null,
            url: null,
            providerId: "998877",
            contentBase64: null,
          },
        ],
      }),
    );
    expect(sent.map((s) => s.body.type)).toEqual(["image", "document"]);
    expect(sent[0]?.body.image).toEqual({ link: "https://cdn.shop.example/guide.png", caption: "교환 안내서입니다" });
    expect(sent[1]?.body.document).toEqual({ id: "998877", filename: "label.pdf" });
    expect(receipt.externalId).toBe("wamid.SENT1");
    expect(receipt.meta?.externalIds).toEqual(["wamid.SENT1", "wamid.SENT2"]);
  });

  it("sends the text first when the only attachment is audio (audio takes no caption)", async () => {
    acceptMessages();
    await channel().send(
      outbound({
        text: "음성 안내",
        attachments: [
          {
            filename: null,
            contentType: "audio/mpeg",
            size: null,
            url: "https://cdn.shop.example/a.mp3",
            providerId: null,
            contentBase64: null,
          },
        ],
      }),
    );
    expect(sent.map((s) => s.body.type)).toEqual(["text", "audio"]);
  });

  it("uploads inline content before sending it by id", async () => {
    acceptMessages();
    let uploaded: FormData | null = null;
    server.use(
      http.post(`${GRAPH}/${PHONE_NUMBER_ID}/media`, async ({ request }) => {
        uploaded = await request.formData();
        return HttpResponse.json({ id: "MEDIA123" });
      }),
    );
    await channel().send(
      outbound({
        text: "",
        attachments: [
          {
            filename: "a.txt",
            contentType: "text/plain",
            size: 5,
            url: null,
            providerId: null,
            contentBase64: Buffer.from("hello").toString("base64"),
          },
        ],
      }),
    );
    expect((uploaded as FormData | null)?.get("messaging_product")).toBe("whatsapp");
    expect(sent[0]?.body.document).toEqual({ id: "MEDIA123", filename: "a.txt" });
  });

  it("sends reply buttons from options.buttons", async () => {
    acceptMessages();
    await channel().send(
      outbound({
        text: "어떤 도움이 필요하세요?",
        options: {
          buttons: [
            { id: "track", title: "배송 조회" },
            { id: "refund", title: "환불" },
          ],
          footer: "SD-1",
        },
      }),
    );
    expect(sent[0]?.body).toMatchObject({
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "어떤 도움이 필요하세요?" },
        footer: { text: "SD-1" },
        action: {
          buttons: [
            { type: "reply", reply: { id: "track", title: "배송 조회" } },
            { type: "reply", reply: { id: "refund", title: "환불" } },
          ],
        },
      },
    });
  });

  it("sends a list message from options.list", async () => {
    acceptMessages();
    const list = {
      button: "Options",
      sections: [
        {
          title: "Orders",
          rows: [
            { id: "track", title: "Track order" },
            { id: "cancel", title: "Cancel order", description: "Before it ships" },
          ],
        },
      ],
    };
    await channel().send(outbound({ text: "Choose one", options: { list } }));
    expect(sent[0]?.body.interactive).toEqual({ type: "list", body: { text: "Choose one" }, action: list });
  });

  it("refuses more than three buttons, both buttons and a list, and an empty message, sending nothing", async () => {
    acceptMessages();
    const four = [1, 2, 3, 4].map((n) => ({ id: `b${n}`, title: `B${n}` }));
    expect((await caught(channel().send(outbound({ options: { buttons: four } })))).code).toBe("INVALID_INPUT");
    expect(
      (
        await caught(
          channel().send(
            outbound({
              options: {
                buttons: four.slice(0, 1),
                list: { button: "x", sections: [{ rows: [{ id: "a", title: "a" }] }] },
              },
            }),
          ),
        )
      ).code,
    ).toBe("INVALID_INPUT");
    expect((await caught(channel().send(outbound({ text: "  " })))).code).toBe("INVALID_INPUT");
    expect(sent).toEqual([]);
  });
});

describe("whatsapp template sends", () => {
  it("builds header, body and button components from validated parameters", async () => {
    acceptMessages();
    const receipt = await channel().send(
      outbound({
        template: {
          name: "order_update",
          language: "ko",
          parameters: { header: "주문 안내", body: ["#1001", "3월 4일"], buttons: ["orders/1001"] },
        },
      }),
    );
    expect(sent[0]?.body).toMatchObject({
      type: "template",
      template: {
        name: "order_update",
        language: { code: "ko" },
        components: [
          { type: "header", parameters: [{ type: "text", text: "주문 안내" }] },
          {
            type: "body",
            parameters: [
              { type: "text", text: "#1001" },
              { type: "text", text: "3월 4일" },
            ],
          },
          { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "orders/1001" }] },
        ],
      },
    });
    expect(receipt.meta).toMatchObject({ template: "order_update", language: "ko" });
  });

  it("matches a template language by primary subtag (en → en_US)", async () => {
    acceptMessages();
    await channel().send(
      outbound({ template: { name: "support_followup", language: "en", parameters: { body: ["Kim"] } } }),
    );
    expect(sent[0]?.body.template).toMatchObject({ language: { code: "en_US" } });
  });

  it("refuses wrong or missing parameters and unknown templates with INVALID_INPUT, sending nothing", async () => {
    acceptMessages();
    const missing = await caught(
      channel().send(
        outbound({
          template: {
            name: "order_update",
            language: "ko",
            parameters: { header: "x", body: ["only one"], buttons: ["a"] },
          },
        }),
      ),
    );
    expect(missing.code).toBe("INVALID_INPUT");
    expect(missing.path).toEqual(["body"]);
    const noHeader = await caught(
      channel().send(
        outbound({
          template: { name: "order_update", language: "ko", parameters: { body: ["a", "b"], buttons: ["a"] } },
        }),
      ),
    );
    expect(noHeader.path).toEqual(["header"]);
    const unknown = await caught(channel().send(outbound({ template: { name: "no_such_template", language: "ko" } })));
    expect(unknown.code).toBe("INVALID_INPUT");
    const wrongLanguage = await caught(channel().send(outbound({ template: { name: "spring_sale", language: "en" } })));
    expect(wrongLanguage.details).toMatchObject({ languages: ["ko"] });
    expect(sent).toEqual([]);
  });

  it("sends a template outside the 24-hour window (templates are the way back in)", async () => {
    acceptMessages();
    const old = ticket({ lastCustomerMessageAt: new Date("2026-02-20T00:00:00Z") });
    await channel().send(
      outbound({
        ticket: old,
        template: { name: "support_followup", language: "en_US", parameters: { body: ["Kim"] } },
      }),
    );
    expect(sent).toHaveLength(1);
  });
});

describe("whatsapp window enforcement in send", () => {
  it("refuses a free-form send 24 h after the last inbound with REPLY_WINDOW_CLOSED naming the template, sending nothing", async () => {
    acceptMessages();
    const err = await caught(
      channel().send(outbound({ ticket: ticket({ lastCustomerMessageAt: new Date("2026-03-01T09:59:00Z") }) })),
    );
    expect(err.code).toBe("REPLY_WINDOW_CLOSED");
    expect(err.details).toMatchObject({ suggestedTemplate: "order_update", closedAt: "2026-03-02T09:59:00.000Z" });
    expect(sent).toEqual([]);
  });

  it("uses windowTemplate as the suggestion when given", async () => {
    const err = await caught(
      channel({ windowTemplate: "support_followup" }).send(
        outbound({ ticket: ticket({ lastCustomerMessageAt: null }) }),
      ),
    );
    expect(err.details?.suggestedTemplate).toBe("support_followup");
  });

  it("maps Cloud API error 131047 (re-engagement) to REPLY_WINDOW_CLOSED with the suggested template", async () => {
    server.use(
      http.post(`${GRAPH}/${PHONE_NUMBER_ID}/messages`, () =>
        HttpResponse.json(
          {
            error: {
              message: "(#131047) Re-engagement message",
              type: "OAuthException",
              code: 131047,
              error_data: {
                messaging_product: "whatsapp",
                details:
                  "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
              },
              fbtrace_id: "AbC",
            },
          },
          { status: 400 },
        ),
      ),
    );
    const err = await caught(channel().send(outbound()));
    expect(err.code).toBe("REPLY_WINDOW_CLOSED");
    expect(err.details).toMatchObject({ providerCode: 131047, suggestedTemplate: "order_update", traceId: "AbC" });
  });
});

describe("whatsapp Graph API errors and retries", () => {
  it("retries a 429 and then succeeds, waiting through the injected sleep", async () => {
    let calls = 0;
    server.use(
      http.post(`${GRAPH}/${PHONE_NUMBER_ID}/messages`, () => {
        calls += 1;
        if (calls === 1)
          return HttpResponse.json(
            { error: { message: "(#130429) Rate limit hit", code: 130429 } },
            { status: 429, headers: { "retry-after": "2" } },
          );
        return HttpResponse.json({ messages: [{ id: "wamid.AFTER_RETRY" }] });
      }),
    );
    const receipt = await channel().send(outbound());
    expect(receipt.externalId).toBe("wamid.AFTER_RETRY");
    expect(calls).toBe(2);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(2000);
  });

  it("retries 5xx up to the attempt limit, then fails with PROVIDER_UNAVAILABLE", async () => {
    let calls = 0;
    server.use(
      http.post(`${GRAPH}/${PHONE_NUMBER_ID}/messages`, () => {
        calls += 1;
        return HttpResponse.json({ error: { message: "Service unavailable", code: 2 } }, { status: 503 });
      }),
    );
    const err = await caught(channel({ attempts: 3 }).send(outbound()));
    expect(err.code).toBe("PROVIDER_UNAVAILABLE");
    expect(err.retryable).toBe(true);
    expect(calls).toBe(3);
    expect(sleeps).toHaveLength(2);
  });

  it.each([4, 80007, 130429, 131056])("maps Graph error code %i (HTTP 400) to RATE_LIMITED", async (code) => {
    server.use(
      http.post(`${GRAPH}/${PHONE_NUMBER_ID}/messages`, () =>
        HttpResponse.json({ error: { message: "slow down", code } }, { status: 400 }),
      ),
    );
    const err = await caught(channel({ attempts: 1 }).send(outbound()));
    expect(err.code).toBe("RATE_LIMITED");
    expect(err.details?.providerCode).toBe(code);
  });

  it("maps error 190 and HTTP 401 to PROVIDER_AUTH without retrying, and never leaks the token", async () => {
    let calls = 0;
    server.use(
      http.post(`${GRAPH}/${PHONE_NUMBER_ID}/messages`, () => {
        calls += 1;
        return HttpResponse.json(
          {
            error: {
              message: `Malformed access token ${ACCESS_TOKEN}`,
              type: "OAuthException",
              code: 190,
              fbtrace_id: "X",
            },
          },
          { status: 401 },
        );
      }),
    );
    const err = await caught(channel().send(outbound()));
    expect(err.code).toBe("PROVIDER_AUTH");
    expect(calls).toBe(1);
    for (const text of [err.message, JSON.stringify(err), inspect(err, { depth: 10 }), String(err.stack)]) {
      expect(text).not.toContain(ACCESS_TOKEN);
      expect(text).not.toContain(APP_SECRET);
    }
  });

  it("turns a network failure into PROVIDER_UNAVAILABLE without leaking the token", async () => {
    server.use(http.post(`${GRAPH}/${PHONE_NUMBER_ID}/messages`, () => HttpResponse.error()));
    const err = await caught(channel({ attempts: 2 }).send(outbound()));
    expect(err.code).toBe("PROVIDER_UNAVAILABLE");
    expect(inspect(err, { depth: 10 })).not.toContain(ACCESS_TOKEN);
  });

  it("uses an injected fetch instead of the global one", async () => {
    const seen: string[] = [];
    const fetchStub: typeof fetch = async (input) => {
      seen.push(input instanceof Request ? input.url : String(input));
      return Response.json({ messages: [{ id: "wamid.STUB" }] });
    };
    const receipt = await channel({ fetch: fetchStub, graphBaseUrl: "https://graph.test/", apiVersion: "v22.0" }).send(
      outbound(),
    );
    expect(receipt.externalId).toBe("wamid.STUB");
    expect(seen).toEqual([`https://graph.test/v22.0/${PHONE_NUMBER_ID}/messages`]);
  });
});

describe("whatsapp fetchMedia", () => {
  it("looks the media up, then downloads it with the bearer token", async () => {
    let downloadAuth: string | null = null;
    server.use(
      http.get(`${GRAPH}/1479537139650973`, () =>
        HttpResponse.json({
          messaging_product: "whatsapp",
          url: "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1479537139650973&ext=1",
          mime_type: "image/jpeg",
          sha256: "a1b2",
          file_size: 3,
          id: "1479537139650973",
        }),
      ),
      http.get("https://lookaside.fbsbx.com/whatsapp_business/attachments/", ({ request }) => {
        downloadAuth = request.headers.get("authorization");
        return new HttpResponse(new Uint8Array([1, 2, 3]), { headers: { "content-type": "image/jpeg" } });
      }),
    );
    const media = await channel().fetchMedia("1479537139650973");
    expect(media).toEqual({ bytes: new Uint8Array([1, 2, 3]), contentType: "image/jpeg", sha256: "a1b2", size: 3 });
    expect(downloadAuth).toBe(`Bearer ${ACCESS_TOKEN}`);
  });

  it("maps Graph error 100 for an unknown media id to INVALID_INPUT", async () => {
    server.use(
      http.get(`${GRAPH}/123`, () =>
        HttpResponse.json(
          { error: { message: "Unsupported get request.", code: 100, error_subcode: 33 } },
          { status: 400 },
        ),
      ),
    );
    const err = await caught(channel().fetchMedia("123"));
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.details?.providerSubcode).toBe(33);
  });
});
