import { afterEach, describe, expect, it, vi } from "vitest";
import { memoryStore } from "@storedesk/core";
import { shopifyDemo } from "./shopify.js";

describe("quickstart: the Shopify section", () => {
  afterEach(() => vi.restoreAllMocks());

  it("attaches order #1001 to the question, answers it from the fulfillment webhook, and runs the complaint with a guarded discount", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
    const store = memoryStore();

    const summary = await shopifyDemo(store);

    expect(summary.wismoOrder).toEqual({
      name: "#1001",
      fulfillmentStatus: "FULFILLED",
      carrier: "CJ Logistics",
      trackingUrl: "https://trace.cjlogistics.com/next/tracking.html?wblNo=6543210987",
    });
    expect(summary.wismoTicketStatus).toBe("pending");
    expect(summary.trackingReplySent).toBe(true);
    expect(summary.trackingReplyText).toContain("6543210987");
    expect(summary.trackingReplyText).toContain("CJ Logistics");
    expect(summary.discountCode).toMatch(/^SORRY-[A-Z2-9]{10}$/);
    expect(summary.overLimitOutcome).toBe("pending_approval");
    expect(summary.discountsCreated).toBe(1); // the over-limit request never reached the shop
    expect(summary.complaintStep).toBe("closed");
    expect(summary.rootCause).toBe("damaged_in_transit");

    // The audit trail of the complaint ticket records the action and the approval request.
    const [complaintTicket] = await store.listTickets({
      status: ["closed", "solved", "open", "pending", "new"],
      customerId: (await store.findCustomerByIdentity({ kind: "email", value: "jiho@example.com" }))!.id,
    });
    const types = (await store.listEvents(complaintTicket!.id)).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(["commerce.action", "commerce.approval_requested", "complaint.opened"]),
    );

    const log = lines.join("\n");
    expect(log).toContain("order #1001: fulfilled, in transit");
    expect(log).toContain(summary.discountCode!);
    expect(log).toContain("30% code by sora: waiting for approval (over limit: a cs-manager decides)");
    expect(log).toContain("ticket numbers start again at SD-1");
  });

  it("restores the global fetch, so the other sections are not intercepted", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const before = globalThis.fetch;
    let during: typeof fetch | null = null;
    const store = memoryStore();
    const getTicket = store.getTicket.bind(store);
    store.getTicket = async (id) => {
      during ??= globalThis.fetch;
      return getTicket(id);
    };
    await shopifyDemo(store);
    expect(during).not.toBe(before); // msw was active while the demo ran…
    expect(globalThis.fetch).toBe(before); // …and is gone afterwards
  });
});
