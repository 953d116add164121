/**
 * Hostile and extreme Messenger / Instagram bodies posted through a real desk: bad input is
 * a 4xx (never a 5xx that makes Meta redeliver it forever) and whatever is answered 2xx is stored.
 */
import { describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore } from "@storedesk/core";
import { metaChannel } from "../src/index.js";
import { APP_SECRET, IG_ID, PAGE_ID, PAGE_TOKEN, PSID, signedRequest, VERIFY_TOKEN } from "./helpers.js";

const AT = new Date("2026-03-02T10:05:00Z");

function setup() {
  const clock = manualClock(AT);
  const meta = metaChannel({ pageAccessToken: PAGE_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, pageId: PAGE_ID, instagramAccountId: IG_ID, clock });
  const desk = createDesk({ store: memoryStore(), channels: meta.adapters, clock, autoAcknowledge: false });
  return { desk, post: (body: string) => desk.webhook("messenger")(signedRequest(body)) };
}

/** A Page webhook body with these messaging items. */
export function pageBody(messaging: Array<Record<string, unknown>>, changes?: Array<Record<string, unknown>>): string {
  return JSON.stringify({ object: "page", entry: [{ id: PAGE_ID, time: AT.getTime(), messaging, ...(changes ? { changes } : {}) }] });
}

export function dmItem(mid: string, sender = PSID, message: Record<string, unknown> = {}, timestamp = AT.getTime()): Record<string, unknown> {
  return { sender: { id: sender }, recipient: { id: PAGE_ID }, timestamp, message: { mid, text: "주문 취소하고 싶어요", ...message } };
}

describe("meta webhook: bad input is never a 5xx", () => {
  it("a signed DM whose reply_to.story nests 100,000 deep is stored with the deep part cut (meta.truncated)", async () => {
    const { desk, post } = setup();
    const deep = `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`;
    const body = pageBody([dmItem("m_DEEP", PSID, { reply_to: { story: { __deep__: 1 } } })]).replace('{"__deep__":1}', deep);
    expect((await post(body)).status).toBe(200);
    const [ticket] = await desk.listTickets({});
    const [message] = await desk.listMessages(ticket!.id);
    expect(message!.text).toBe("주문 취소하고 싶어요");
    expect(message!.meta.truncated).toMatchObject({ depth: [expect.stringMatching(/^replyToStory\.a\.a/)] });
  });
});
