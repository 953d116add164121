import { inspect } from "node:util";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { manualClock, StoredeskError } from "@storedesk/core";
import type { OutboundMessage } from "@storedesk/core";
import { memoryConversationLinks } from "./index.js";
import type { MetaChannelOptions } from "./index.js";
import { customer, GRAPH, IG_ID, IGSID, PAGE_ID, PAGE_TOKEN, PSID, testMetaChannel, ticket } from "./test-support.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let calls: Array<{ path: string; body: Record<string, unknown>; auth: string | null }> = [];
let n = 0;
beforeEach(() => {
  calls = [];
  n = 0;
  server.use(
    http.post(`${GRAPH}/${PAGE_ID}/messages`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      calls.push({ path: "messages", body, auth: request.headers.get("authorization") });
      n += 1;
      const recipient = body.recipient as { id?: string; comment_id?: string };
      return HttpResponse.json({ recipient_id: recipient.id ?? PSID, message_id: `m_SENT${n}` });
    }),
    http.post(`${GRAPH}/:commentId/comments`, async ({ request, params }) => {
      calls.push({
        path: `${String(params.commentId)}/comments`,
        body: (await request.json()) as Record<string, unknown>,
        auth: request.headers.get("authorization"),
      });
      return HttpResponse.json({ id: `${String(params.commentId)}_reply` });
    }),
    http.post(`${GRAPH}/:commentId/replies`, async ({ request, params }) => {
      calls.push({
        path: `${String(params.commentId)}/replies`,
        body: (await request.json()) as Record<string, unknown>,
        auth: request.headers.get("authorization"),
      });
      return HttpResponse.json({ id: "17900000000000099" });
    }),
  );
});

const now = new Date("2026-03-02T10:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const meta = (extra: Partial<MetaChannelOptions> = {}) =>
  testMetaChannel({ clock: manualClock(now), sleep: async () => {}, ...extra });

function outbound(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    messageId: "m_1",
    ticket: ticket({ lastCustomerMessageAt: hoursAgo(1) }),
    customer: customer(),
    text: "확인해 드릴게요",
    visibility: "private",
    thread: [],
    ...overrides,
  };
}

const commentTicket = (channel: "messenger" | "instagram", lastAt = hoursAgo(2)) =>
  ticket({
    channel,
    kind: "comment",
    conversationKey: `meta:comment:${PAGE_ID}_111:24681357913579`,
    lastCustomerMessageAt: lastAt,
  });
const commentThread = (id: string, at = hoursAgo(2)) => [
  { externalId: id, direction: "inbound" as const, createdAt: at },
];

async function caught(p: Promise<unknown>): Promise<StoredeskError> {
  try {
    await p;
  } catch (err) {
    if (StoredeskError.is(err)) return err;
    throw err;
  }
  throw new Error("expected a StoredeskError");
}

describe("meta DM sends and windows", () => {
  it("sends a DM inside 24 h as RESPONSE with the page token", async () => {
    const receipt = await meta().messenger.send(
      outbound({ options: { quickReplies: [{ title: "배송 조회", payload: "TRACK" }] } }),
    );
    expect(receipt).toMatchObject({ externalId: "m_SENT1", status: "sent" });
    expect(calls[0]?.auth).toBe(`Bearer ${PAGE_TOKEN}`);
    expect(calls[0]?.body).toEqual({
      recipient: { id: PSID },
      messaging_type: "RESPONSE",
      message: {
        text: "확인해 드릴게요",
        quick_replies: [{ content_type: "text", title: "배송 조회", payload: "TRACK" }],
      },
    });
  });

  it("adds the HUMAN_AGENT tag between 24 h and 7 days", async () => {
    const receipt = await meta().messenger.send(outbound({ ticket: ticket({ lastCustomerMessageAt: hoursAgo(30) }) }));
    expect(calls[0]?.body).toMatchObject({ messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT" });
    expect(receipt.meta?.tag).toBe("HUMAN_AGENT");
  });

  it("refuses a bot message after 24 h and any message after 7 days with REPLY_WINDOW_CLOSED, sending nothing", async () => {
    expect(
      (
        await caught(
          meta().messenger.send(
            outbound({ ticket: ticket({ lastCustomerMessageAt: hoursAgo(30) }), options: { authorKind: "bot" } }),
          ),
        )
      ).code,
    ).toBe("REPLY_WINDOW_CLOSED");
    expect(
      (
        await caught(
          meta().instagram.send(
            outbound({
              ticket: ticket({
                channel: "instagram",
                conversationKey: `meta:${IG_ID}:${IGSID}`,
                lastCustomerMessageAt: hoursAgo(7 * 24 + 1),
              }),
            }),
          ),
        )
      ).code,
    ).toBe("REPLY_WINDOW_CLOSED");
    expect(calls).toEqual([]);
  });

  it("sends attachments by url after the text, and refuses inline content", async () => {
    await meta().messenger.send(
      outbound({
        attachments: [
          {
            filename: "label.pdf",
            contentType: "application/pdf",
            size: null,
            url: "https://cdn.shop.example/label.pdf",
            providerId: null,
            contentBase64: null,
          },
        ],
      }),
    );
    expect(calls.map((c) => c.body.message)).toEqual([
      { text: "확인해 드릴게요" },
      { attachment: { type: "file", payload: { url: "https://cdn.shop.example/label.pdf", is_reusable: true } } },
    ]);
    const err = await caught(
      meta().messenger.send(
        outbound({
          text: "",
          attachments: [
            { filename: "a", contentType: "image/png", size: 1, url: null, providerId: null, contentBase64: "AA==" },
          ],
        }),
      ),
    );
    expect(err.code).toBe("UNSUPPORTED");
  });

  it("sends an Instagram DM to the IGSID of the conversation", async () => {
    await meta().instagram.send(
      outbound({
        ticket: ticket({
          channel: "instagram",
          conversationKey: `meta:${IG_ID}:${IGSID}`,
          lastCustomerMessageAt: hoursAgo(1),
        }),
      }),
    );
    expect(calls[0]?.body.recipient).toEqual({ id: IGSID });
  });

  it("maps Meta's outside-the-window error (code 10 / 2018278) to REPLY_WINDOW_CLOSED", async () => {
    server.use(
      http.post(`${GRAPH}/${PAGE_ID}/messages`, () =>
        HttpResponse.json(
          {
            error: {
              message: "(#10) This message is sent outside of allowed window.",
              type: "OAuthException",
              code: 10,
              error_subcode: 2018278,
              fbtrace_id: "T",
            },
          },
          { status: 400 },
        ),
      ),
    );
    expect((await caught(meta().messenger.send(outbound()))).code).toBe("REPLY_WINDOW_CLOSED");
  });

  it("maps 190 to PROVIDER_AUTH and rate limits to RATE_LIMITED, never leaking the page token", async () => {
    server.use(
      http.post(`${GRAPH}/${PAGE_ID}/messages`, () =>
        HttpResponse.json(
          { error: { message: `Invalid OAuth access token ${PAGE_TOKEN}`, code: 190 } },
          { status: 400 },
        ),
      ),
    );
    const auth = await caught(meta().messenger.send(outbound()));
    expect(auth.code).toBe("PROVIDER_AUTH");
    expect(inspect(auth, { depth: 10 })).not.toContain(PAGE_TOKEN);
    server.use(
      http.post(`${GRAPH}/${PAGE_ID}/messages`, () =>
        HttpResponse.json(
          { error: { message: "Calls to this api have exceeded the rate limit.", code: 613 } },
          { status: 400 },
        ),
      ),
    );
    expect((await caught(meta({ attempts: 1 }).messenger.send(outbound()))).code).toBe("RATE_LIMITED");
  });
});

describe("comment replies", () => {
  it("replies publicly under a Facebook comment, with no window even weeks later", async () => {
    const old = hoursAgo(24 * 30);
    const receipt = await meta().messenger.send(
      outbound({
        ticket: commentTicket("messenger", old),
        visibility: "public",
        thread: commentThread("111_222", old),
        text: "불편을 드려 죄송합니다. DM 확인 부탁드려요.",
      }),
    );
    expect(calls).toEqual([
      {
        path: "111_222/comments",
        body: { message: "불편을 드려 죄송합니다. DM 확인 부탁드려요." },
        auth: `Bearer ${PAGE_TOKEN}`,
      },
    ]);
    expect(receipt).toMatchObject({
      externalId: "111_222_reply",
      meta: { visibility: "public", commentId: "111_222" },
    });
  });

  it("replies publicly under an Instagram comment with /replies", async () => {
    await meta().instagram.send(
      outbound({
        ticket: commentTicket("instagram"),
        visibility: "public",
        thread: commentThread("17900000000000001"),
      }),
    );
    expect(calls[0]?.path).toBe("17900000000000001/replies");
  });

  it("sends a private reply to the comment and then continues by DM to the PSID Meta returned", async () => {
    const links = memoryConversationLinks();
    const m = meta({ links });
    const receipt = await m.messenger.send(
      outbound({
        ticket: commentTicket("messenger"),
        thread: commentThread("111_222"),
        options: { privateReply: true },
      }),
    );
    expect(calls[0]?.body).toEqual({ recipient: { comment_id: "111_222" }, message: { text: "확인해 드릴게요" } });
    expect(receipt).toMatchObject({ externalId: "m_SENT1", meta: { privateReplyTo: "111_222", recipientId: PSID } });
    // the customer answered the private reply by DM (the webhook records it on the link)
    const link = (await links.byComment("messenger", "111_222"))!;
    await links.remember({ ...link, answeredAt: hoursAgo(1) });
    // the next private-visibility reply on the comment ticket goes to the PSID as a DM
    await m.messenger.send(
      outbound({ ticket: commentTicket("messenger", hoursAgo(1)), thread: commentThread("111_222") }),
    );
    expect(calls[1]?.body).toMatchObject({ recipient: { id: PSID }, messaging_type: "RESPONSE" });
  });

  it("refuses a second private reply to one comment, and a DM before the customer answered the first, calling nothing", async () => {
    const links = memoryConversationLinks();
    const m = meta({ links });
    await m.messenger.send(
      outbound({
        ticket: commentTicket("messenger"),
        thread: commentThread("111_222"),
        options: { privateReply: true },
      }),
    );
    expect(calls).toHaveLength(1);
    const again = await caught(
      m.messenger.send(
        outbound({
          ticket: commentTicket("messenger"),
          thread: commentThread("111_222"),
          options: { privateReply: true },
        }),
      ),
    );
    expect(again.code).toBe("REPLY_WINDOW_CLOSED");
    expect(again.details).toMatchObject({ privateReplyId: "m_SENT1" });
    // A later public comment on the ticket opens no DM window: the customer must answer the DM.
    const dm = await caught(
      m.messenger.send(outbound({ ticket: commentTicket("messenger", hoursAgo(0)), thread: commentThread("111_222") })),
    );
    expect(dm.code).toBe("REPLY_WINDOW_CLOSED");
    expect(dm.message).toMatch(/not answered the private reply/);
    expect(calls).toHaveLength(1);
  });

  it("times the DM window from the customer's answer to the private reply, not from the comment ticket's last message", async () => {
    const links = memoryConversationLinks();
    const m = meta({ links });
    await m.messenger.send(
      outbound({
        ticket: commentTicket("messenger"),
        thread: commentThread("111_222"),
        options: { privateReply: true },
      }),
    );
    const link = (await links.byComment("messenger", "111_222"))!;
    await links.remember({ ...link, at: hoursAgo(31), answeredAt: hoursAgo(30) }); // answered 30 h ago
    // the ticket's last customer message is a fresh public comment; the DM still needs the tag
    await m.messenger.send(
      outbound({ ticket: commentTicket("messenger", hoursAgo(0)), thread: commentThread("111_222") }),
    );
    expect(calls[1]?.body).toMatchObject({
      recipient: { id: PSID },
      messaging_type: "MESSAGE_TAG",
      tag: "HUMAN_AGENT",
    });
  });

  it("opens the DM on an older comment's ticket when the customer answered a later private reply (one window per user)", async () => {
    const links = memoryConversationLinks();
    const m = meta({ links });
    for (const commentId of ["111_222", "111_333"]) {
      await m.messenger.send(
        outbound({
          ticket: commentTicket("messenger"),
          thread: commentThread(commentId),
          options: { privateReply: true },
        }),
      );
    }
    // Both sent an hour ago; the webhook marks the user's latest link answered, whichever private
    // reply the DM answers.
    const older = (await links.byComment("messenger", "111_222"))!;
    const latest = (await links.byComment("messenger", "111_333"))!;
    await links.remember({ ...older, at: hoursAgo(1) });
    await links.remember({ ...latest, at: hoursAgo(1), answeredAt: hoursAgo(0.5) });
    await m.messenger.send(outbound({ ticket: commentTicket("messenger"), thread: commentThread("111_222") }));
    expect(calls[2]).toMatchObject({ path: "messages", body: { recipient: { id: PSID }, messaging_type: "RESPONSE" } });
    // A DM older than this comment's private reply answers nothing of it: still refused.
    await links.remember({ ...older, at: hoursAgo(0.25) });
    await links.remember({ ...latest, at: hoursAgo(1), answeredAt: hoursAgo(0.5) }); // still the latest link
    const refused = await caught(
      m.messenger.send(outbound({ ticket: commentTicket("messenger"), thread: commentThread("111_222") })),
    );
    expect(refused.code).toBe("REPLY_WINDOW_CLOSED");
    expect(calls).toHaveLength(3);
  });

  it("sends a private reply when options.privateReply is set even if the visibility says public (the desk's default on comments)", async () => {
    await meta().messenger.send(
      outbound({
        ticket: commentTicket("messenger"),
        visibility: "public",
        thread: commentThread("111_222"),
        options: { privateReply: true },
      }),
    );
    expect(calls[0]?.body).toEqual({ recipient: { comment_id: "111_222" }, message: { text: "확인해 드릴게요" } });
  });

  it("refuses a private-visibility reply on a comment with no private conversation yet", async () => {
    const err = await caught(
      meta().messenger.send(outbound({ ticket: commentTicket("messenger"), thread: commentThread("111_222") })),
    );
    expect(err.code).toBe("INVALID_INPUT");
    expect(calls).toEqual([]);
  });

  it("refuses a private reply 7 days after the comment", async () => {
    const err = await caught(
      meta().messenger.send(
        outbound({
          ticket: commentTicket("messenger", hoursAgo(24 * 8)),
          thread: commentThread("111_222", hoursAgo(24 * 8)),
          options: { privateReply: true },
        }),
      ),
    );
    expect(err.code).toBe("REPLY_WINDOW_CLOSED");
    expect(calls).toEqual([]);
  });

  it("refuses a public reply on a DM ticket without a comment id", async () => {
    expect((await caught(meta().messenger.send(outbound({ visibility: "public" })))).code).toBe("INVALID_INPUT");
  });

  it("remembers the private reply in the shared links so the customer's DM threads onto the comment ticket", async () => {
    const links = memoryConversationLinks();
    const m = meta({ links });
    await m.instagram.send(
      outbound({
        ticket: commentTicket("instagram"),
        thread: commentThread("17900000000000001"),
        options: { privateReply: true },
      }),
    );
    expect(await links.byUser("instagram", IG_ID, PSID)).toMatchObject({
      commentId: "17900000000000001",
      messageId: "m_SENT1",
    });
  });
});

describe("meta reply windows", () => {
  const m = meta();
  const ctx = (
    last: Date | null,
    authorKind: "agent" | "bot" = "agent",
    kind: "conversation" | "comment" = "conversation",
  ) => ({ ticket: ticket({ kind, lastCustomerMessageAt: last }), lastInboundAt: last, authorKind });
  it("is open for 24 h", () => {
    expect(m.messenger.replyWindow(ctx(hoursAgo(23.9)), now)).toEqual({
      kind: "open",
      closesAt: new Date(hoursAgo(23.9).getTime() + 24 * 3_600_000),
    });
  });
  it("is open with HUMAN_AGENT between 24 h and 7 days for a human agent only", () => {
    expect(m.messenger.replyWindow(ctx(hoursAgo(24.1)), now)).toMatchObject({ kind: "open", tag: "HUMAN_AGENT" });
    expect(m.messenger.replyWindow(ctx(hoursAgo(24.1), "bot"), now).kind).toBe("template_only");
    expect(m.instagram.replyWindow(ctx(hoursAgo(24 * 7 - 0.1)), now)).toMatchObject({
      kind: "open",
      tag: "HUMAN_AGENT",
    });
  });
  it("is closed after 7 days", () => {
    expect(m.messenger.replyWindow(ctx(hoursAgo(24 * 7 + 0.1)), now).kind).toBe("template_only");
  });
  it("has no window on comment threads", () => {
    expect(m.messenger.replyWindow(ctx(hoursAgo(24 * 60), "agent", "comment"), now)).toEqual({
      kind: "open",
      closesAt: null,
    });
  });
});
