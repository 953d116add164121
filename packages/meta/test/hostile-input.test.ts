/**
 * Hostile and extreme Messenger / Instagram bodies posted through a real desk: bad input is
 * a 4xx (never a 5xx that makes Meta redeliver it forever) and whatever is answered 2xx is stored.
 */
import { describe, expect, it } from "vitest";
import { metaTestDesk, PAGE_ID, PSID } from "../src/test-support.js";

const AT = new Date("2026-03-02T10:05:00Z");

const setup = () => metaTestDesk(AT);

/** A Page webhook body with these messaging items. */
export function pageBody(messaging: Array<Record<string, unknown>>, changes?: Array<Record<string, unknown>>): string {
  return JSON.stringify({
    object: "page",
    entry: [{ id: PAGE_ID, time: AT.getTime(), messaging, ...(changes ? { changes } : {}) }],
  });
}

export function dmItem(
  mid: string,
  sender = PSID,
  message: Record<string, unknown> = {},
  timestamp = AT.getTime(),
): Record<string, unknown> {
  return {
    sender: { id: sender },
    recipient: { id: PAGE_ID },
    timestamp,
    message: { mid, text: "주문 취소하고 싶어요", ...message },
  };
}

describe("meta webhook: bad input is never a 5xx", () => {
  it("a signed DM whose reply_to.story nests 100,000 deep is stored with the deep part cut (meta.truncated)", async () => {
    const { desk, post } = setup();
    const deep = `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`;
    const body = pageBody([dmItem("m_DEEP", PSID, { reply_to: { story: { __deep__: 1 } } })]).replace(
      '{"__deep__":1}',
      deep,
    );
    expect((await post(body)).status).toBe(200);
    const [ticket] = await desk.listTickets({});
    const [message] = await desk.listMessages(ticket!.id);
    expect(message!.text).toBe("주문 취소하고 싶어요");
    expect(message!.meta.truncated).toMatchObject({ depth: [expect.stringMatching(/^replyToStory\.a\.a/)] });
  });
});

describe("meta webhook: answered 2xx ⇒ stored", () => {
  const attachments = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ type: "image", payload: { url: `https://cdn.example/${i}.jpg` } }));
  const comment = (name: string) => ({
    field: "feed",
    value: {
      item: "comment",
      verb: "add",
      comment_id: `${PAGE_ID}_1_2`,
      post_id: `${PAGE_ID}_1`,
      message: "주문 취소하고 싶어요",
      created_time: Math.floor(AT.getTime() / 1000),
      from: { id: "24681357913579", name },
    },
  });
  it.each([
    [
      "10,000 attachments",
      pageBody([dmItem("m_ATT", PSID, { attachments: attachments(10_000) })]),
      { attachments: { dropped: 9_900 } },
    ],
    [
      "101 attachments",
      pageBody([dmItem("m_ATT101", PSID, { attachments: attachments(101) })]),
      { attachments: { dropped: 1 } },
    ],
    ["a 1 MB provider message id", pageBody([dmItem(`m_${"x".repeat(1_000_000)}`)]), null],
    [
      "an out-of-range timestamp",
      pageBody([dmItem("m_TIME", PSID, {}, 1e20)]),
      { occurredAt: "100000000000000000000" },
    ],
    ["a 1 MB commenter name", pageBody([], [comment("이".repeat(1_000_000))]), { nameChars: 1_000_000 }],
  ])("%s is answered 200 and stored, cut down with meta.truncated", async (_name, body, truncated) => {
    const { desk, post } = setup();
    expect((await post(body)).status).toBe(200);
    const tickets = await desk.listTickets({});
    expect(tickets).toHaveLength(1);
    const [message] = await desk.listMessages(tickets[0]!.id);
    expect(message!.text).toBe("주문 취소하고 싶어요");
    if (truncated) expect(message!.meta.truncated).toMatchObject(truncated);
    expect(message!.attachments.length).toBeLessThanOrEqual(100);
  });
});
