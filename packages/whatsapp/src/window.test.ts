import { describe, expect, it } from "vitest";
import { whatsappReplyWindow } from "./index.js";
import { testWhatsAppChannel, ticket } from "./test-support.js";

const lastInbound = new Date("2026-03-02T09:00:00Z");
const at = (iso: string) => new Date(iso);

describe("whatsapp 24-hour customer service window", () => {
  const adapter = testWhatsAppChannel({ windowTemplate: "support_followup" });
  const ctx = (last: Date | null) => ({
    ticket: ticket({ lastCustomerMessageAt: last }),
    lastInboundAt: last,
    authorKind: "agent" as const,
  });

  it("is open 23 h 59 min after the last inbound message, closing at +24 h", () => {
    expect(adapter.replyWindow(ctx(lastInbound), at("2026-03-03T08:59:00Z"))).toEqual({
      kind: "open",
      closesAt: at("2026-03-03T09:00:00Z"),
    });
  });

  it("is template-only 24 h 1 min after, naming the template to use", () => {
    const window = adapter.replyWindow(ctx(lastInbound), at("2026-03-03T09:01:00Z"));
    expect(window).toMatchObject({
      kind: "template_only",
      closedAt: at("2026-03-03T09:00:00Z"),
      suggestedTemplate: "support_followup",
    });
  });

  it("is closed at exactly 24 h", () => {
    expect(adapter.replyWindow(ctx(lastInbound), at("2026-03-03T09:00:00Z")).kind).toBe("template_only");
  });

  it("reopens when the customer writes again", () => {
    const now = at("2026-03-05T12:00:00Z");
    expect(adapter.replyWindow(ctx(lastInbound), now).kind).toBe("template_only");
    expect(adapter.replyWindow(ctx(at("2026-03-05T11:30:00Z")), now)).toEqual({
      kind: "open",
      closesAt: at("2026-03-06T11:30:00Z"),
    });
  });

  it("prefers lastInboundAt over the ticket's lastCustomerMessageAt", () => {
    const window = adapter.replyWindow(
      {
        ticket: ticket({ lastCustomerMessageAt: at("2026-01-01T00:00:00Z") }),
        lastInboundAt: lastInbound,
        authorKind: "agent",
      },
      at("2026-03-02T10:00:00Z"),
    );
    expect(window.kind).toBe("open");
  });

  it("is template-only when the customer never wrote", () => {
    expect(adapter.replyWindow(ctx(null), at("2026-03-02T10:00:00Z"))).toMatchObject({
      kind: "template_only",
      closedAt: null,
    });
  });

  it("honours a custom window length", () => {
    expect(whatsappReplyWindow(ctx(lastInbound), at("2026-03-02T09:30:00Z"), { windowMs: 60 * 60 * 1000 }).kind).toBe(
      "open",
    );
    expect(whatsappReplyWindow(ctx(lastInbound), at("2026-03-02T10:00:00Z"), { windowMs: 60 * 60 * 1000 }).kind).toBe(
      "template_only",
    );
  });
});
