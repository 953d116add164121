import { afterEach, describe, expect, it, vi } from "vitest";
import { memoryStore } from "@storedesk/core";
import { whatsappDemo } from "./whatsapp.js";

afterEach(() => {
  vi.restoreAllMocks();
});

function captureLog(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  });
  return lines;
}

describe("whatsapp quickstart section", () => {
  it("refuses a forged webhook, answers in the window, records the read receipt, and after 24 h sends the suggested template instead of free text", async () => {
    const log = captureLog();
    const summary = await whatsappDemo(memoryStore());

    expect(summary.webhookStatus).toEqual({ forged: 401, signed: 200, receipt: 200 });
    expect(summary.ticketsOpened).toBe(1);
    expect(summary.followUp).toBe(false);
    expect(summary.category).toBe("order_change"); // "옵션 변경"
    expect(summary.agentReply.wamid).toMatch(/^wamid\./);
    expect(summary.agentReply.deliveryStatus).toBe("read");
    expect(summary.windowRefusal).toEqual({ code: "REPLY_WINDOW_CLOSED", suggestedTemplate: "support_followup" });
    expect(summary.invalidTemplate).toEqual({ code: "INVALID_INPUT" });
    expect(summary.templateReply).toMatchObject({ name: "support_followup", deliveryStatus: "sent" });
    expect(summary.templateReply.wamid).toMatch(/^wamid\./);
    expect(summary.templateReply.wamid).not.toBe(summary.agentReply.wamid);
    // acknowledgement, in-window reply, template: the refused sends never reached the API
    expect(summary.graphSends).toEqual(["text", "text", "template"]);

    const output = log.join("\n");
    expect(output).toContain("REPLY_WINDOW_CLOSED (the window closed Tue 3 Mar 2026, 09:00 KST)");
    expect(output).toContain("first reply due Mon 2 Mar 2026");
    expect(output).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    expect(output).toContain(`wamid ${summary.templateReply.wamid}`);
    expect(output).not.toMatch(/demo-system-user-token|demo-app-secret/);
  });

  it("runs again on the same store: the closed ticket gets a follow-up and the new messages are not taken for redeliveries", async () => {
    captureLog();
    const store = memoryStore();
    const first = await whatsappDemo(store);
    const second = await whatsappDemo(store);
    expect(second.ticketNumber).toBe(first.ticketNumber + 1);
    expect(second).toMatchObject({
      ticketsOpened: 1,
      followUp: true,
      graphSends: first.graphSends,
      agentReply: { deliveryStatus: "read" },
      windowRefusal: first.windowRefusal,
    });
    expect(second.templateReply.wamid).not.toBe(first.templateReply.wamid);
  });
});
