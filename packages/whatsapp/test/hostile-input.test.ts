/**
 * Hostile and extreme bodies posted through a real desk: bad input is a 4xx (never a 5xx
 * that makes Meta redeliver poison forever) and whatever is answered 2xx is stored.
 */
import { describe, expect, it } from "vitest";
import { cloudApiBody, whatsappTestDesk } from "../src/test-support.js";

const AT = new Date("2026-03-02T09:00:00Z");

const setup = () => whatsappTestDesk(AT);

type WaMessage = Record<string, unknown>;

/** A Cloud API body with these messages (and contacts), as Meta posts it. */
export function waBody(messages: WaMessage[], contacts?: Array<Record<string, unknown>>): string {
  return cloudApiBody({
    contacts: contacts ?? messages.map((m) => ({ profile: { name: "김민지" }, wa_id: m.from })),
    messages,
  });
}

export function waText(id: string, from = "821012345678", extra: WaMessage = {}): WaMessage {
  return {
    from,
    id,
    timestamp: String(Math.floor(AT.getTime() / 1000)),
    type: "text",
    text: { body: "배송 언제 와요?" },
    ...extra,
  };
}

/** JSON text nested `depth` objects deep (built as text: no recursion anywhere in the test). */
function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

describe("whatsapp webhook: bad input is never a 5xx", () => {
  it("a signed message whose referral nests 100,000 deep is stored with the deep part cut (meta.truncated)", async () => {
    const { desk, post } = setup();
    const body = waBody([waText("wamid.DEEP", "821012345678", { referral: { __deep__: 1 } })]).replace(
      '{"__deep__":1}',
      deepJson(100_000),
    );
    const res = await post(body);
    expect(res.status).toBe(200);
    const [ticket] = await desk.listTickets({});
    const [message] = await desk.listMessages(ticket!.id);
    expect(message!.text).toBe("배송 언제 와요?");
    expect(message!.meta.truncated).toMatchObject({ depth: [expect.stringMatching(/^referral\.a\.a/)] });
  });
});

describe("whatsapp webhook: answered 2xx ⇒ stored", () => {
  const big = "x".repeat(1_000_000);
  it.each([
    [
      "a 1 MB profile name",
      waBody([waText("wamid.NAME")], [{ profile: { name: "김".repeat(1_000_000) }, wa_id: "821012345678" }]),
      { nameChars: 1_000_000 },
    ],
    ["a 1 MB provider message id", waBody([waText(`wamid.${big}`)]), null],
    [
      "an out-of-range timestamp",
      waBody([waText("wamid.TIME", "821012345678", { timestamp: "99999999999999999999" })]),
      { occurredAt: "99999999999999999999" },
    ],
    [
      "a 1 MB context id",
      waBody([waText("wamid.CTX", "821012345678", { context: { id: `wamid.${big}`, from: "15550783881" } })]),
      null,
    ],
  ])("%s is answered 200 and stored, cut down with meta.truncated", async (_name, body, truncated) => {
    const { desk, post } = setup();
    const res = await post(body);
    expect(res.status).toBe(200);
    const tickets = await desk.listTickets({});
    expect(tickets).toHaveLength(1);
    const [message] = await desk.listMessages(tickets[0]!.id);
    expect(message!.text).toBe("배송 언제 와요?");
    if (truncated) expect(message!.meta.truncated).toMatchObject(truncated);
    expect(message!.createdAt.getTime()).toBeLessThanOrEqual(AT.getTime());
  });
});

describe("whatsapp webhook: two senders never become one customer", () => {
  it("ids without digits (abc, xyz) in one signed body make two customers", async () => {
    const { desk, post } = setup();
    expect((await post(waBody([waText("wamid.A", "abc"), waText("wamid.B", "xyz")]))).status).toBe(200);
    const tickets = await desk.listTickets({});
    expect(tickets).toHaveLength(2);
    expect(new Set(tickets.map((t) => t.customerId)).size).toBe(2);
  });
});
