import { describe, expect, it } from "vitest";
import { createDesk } from "../../create-desk.js";
import { memoryStore } from "../../../store-memory/memory-store.js";
import { memoryChannel } from "../../../testing/memory-channel.js";
import { manualClock } from "../../../ports/clock.js";
import type { Store } from "../../../ports/store.js";
import { rulesPlugin } from "./rules-plugin.js";

const T0 = new Date("2026-03-02T02:00:00.000Z");

/** The refund plan: approving a refund (the tag, the macro) is the lead's decision. */
export const refundPlan = {
  category: "refund_exchange" as const,
  responsibleTeam: "refunds",
  decisionMaker: "lead",
  decisions: ["add_tags:refund-approved", "run_macro:refund-approve"],
  informationNeeded: [],
  channels: ["webchat"],
  serviceHours: "평일 09:00–18:00",
  compensation: { currency: "KRW", kinds: ["refund" as const], limits: [], approverRole: "lead" },
};

/** A desk with agent kim (role agent), lead park, the refund plan and its macro and rule. */
export function approvalDesk(store: Store) {
  const chat = memoryChannel({ id: "webchat" });
  const desk = createDesk({
    store,
    clock: manualClock(T0),
    channels: [chat],
    autoAcknowledge: false,
    actionPlans: [refundPlan],
    agents: [
      { id: "kim", role: "agent", team: "refunds" },
      { id: "park", role: "lead", team: "refunds" },
    ],
    plugins: [
      rulesPlugin({
        macros: [
          {
            id: "refund-approve",
            title: "환불 승인",
            reply: { ko: "{{customer.name}}님, 환불이 승인되었습니다.", en: "Your refund is approved." },
            actions: [
              { type: "set_status", status: "solved" },
              { type: "add_tags", tags: ["refund-approved"] },
            ],
          },
        ],
        triggers: [
          {
            id: "vip-refund",
            title: "VIP 환불 → 승인",
            events: ["ticket_created"],
            conditions: { type: "text", contains: ["VIP"] },
            actions: [
              { type: "add_tags", tags: ["refund-approved"] },
              { type: "set_priority", priority: "high" },
            ],
          },
        ],
      }),
    ],
  });
  let n = 0;
  const ingest = (text: string) =>
    desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: `ap-${++n}-${Math.random()}`,
      occurredAt: T0,
      from: { identities: [{ kind: "webchat", value: `v-${n}-${Math.random()}` }], name: "김민수" },
      text,
      conversationKey: `c-${n}-${Math.random()}`,
    });
  return { desk, chat, ingest };
}

describe("rules plugin: decisionMaker approvals", () => {
  it("files a macro above the agent's authority for the lead, who approves it once (audited)", async () => {
    const { desk, chat, ingest } = approvalDesk(memoryStore());
    const { ticket } = await ingest("받은 컵이 깨져 있어요. 환불해주세요");
    expect(ticket!.category).toBe("refund_exchange");
    const asked = await desk.rules.macros.apply("refund-approve", ticket!.id, { agentId: "kim" });
    expect(asked).toMatchObject({
      status: "pending_approval",
      approval: { approverRole: "lead", requestedBy: "agent:kim", status: "pending", macroId: "refund-approve" },
    });
    if (asked.status !== "pending_approval") throw new Error("expected an approval request");
    expect((await desk.getTicket(ticket!.id)).status).not.toBe("solved");
    expect(await desk.rules.approvals.list({ status: "pending" })).toHaveLength(1);

    await expect(desk.rules.approvals.approve(asked.approval.id, { agentId: "kim" })).rejects.toMatchObject({
      code: "APPROVAL_REQUIRED",
    });
    const approved = await desk.rules.approvals.approve(asked.approval.id, { agentId: "park", note: "파손 확인" });
    expect(approved).toMatchObject({ status: "approved", decidedBy: "park", note: "파손 확인" });
    await expect(desk.rules.approvals.approve(asked.approval.id, { agentId: "park" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await desk.rules.settle();
    const after = await desk.getTicket(ticket!.id);
    expect(after.status).toBe("solved");
    expect(after.tags).toContain("refund-approved");
    expect(chat.sent.map((m) => m.text)).toEqual(["김민수님, 환불이 승인되었습니다."]);
    const log = await desk.listEvents(ticket!.id);
    expect(log.find((e) => e.type === "approval.requested")?.actor).toEqual({ kind: "agent", id: "kim" });
    expect(log.find((e) => e.type === "approval.approved")).toMatchObject({
      actor: { kind: "agent", id: "park" },
      data: { approvalId: asked.approval.id, requestedBy: "agent:kim" },
    });
    expect(log.filter((e) => e.type === "macro.applied")).toHaveLength(1);
  });

  it("performs the lead's own decision at once, and a declined request changes nothing", async () => {
    const { desk, ingest } = approvalDesk(memoryStore());
    const { ticket } = await ingest("환불 요청합니다. 상품이 파손됐어요");
    const asked = await desk.rules.perform(ticket!.id, [{ type: "add_tags", tags: ["refund-approved"] }], {
      agentId: "kim",
    });
    if (asked.status !== "pending_approval") throw new Error("expected an approval request");
    const declined = await desk.rules.approvals.decline(asked.approval.id, { agentId: "park", note: "사진 필요" });
    expect(declined.status).toBe("declined");
    expect((await desk.getTicket(ticket!.id)).tags).not.toContain("refund-approved");
    expect((await desk.listEvents(ticket!.id)).find((e) => e.type === "approval.declined")?.data).toMatchObject({
      note: "사진 필요",
    });
    // Not a decision of the plan: performed for the agent at once.
    const plain = await desk.rules.perform(ticket!.id, [{ type: "add_tags", tags: ["photo-asked"] }], {
      agentId: "kim",
    });
    expect(plain.status).toBe("done");
    const lead = await desk.rules.perform(ticket!.id, [{ type: "add_tags", tags: ["refund-approved"] }], {
      agentId: "park",
    });
    expect(lead.status === "done" && lead.ticket.tags).toEqual(["photo-asked", "refund-approved"]);
    await expect(desk.rules.perform(ticket!.id, [{ type: "nope" } as never], { agentId: "kim" })).rejects.toMatchObject(
      {
        code: "INVALID_INPUT",
      },
    );
  });

  it("holds a rule's decision action for the lead (the rest of the rule acts), then performs it as the rule", async () => {
    const { desk, ingest } = approvalDesk(memoryStore());
    const { ticket } = await ingest("VIP 고객입니다. 환불해주세요");
    await desk.rules.settle();
    const held = await desk.getTicket(ticket!.id);
    expect(held.priority).toBe("high");
    expect(held.tags).not.toContain("refund-approved");
    const [request] = await desk.rules.approvals.list({ ticketId: ticket!.id });
    expect(request).toMatchObject({ requestedBy: "rules:vip-refund", status: "pending", held: ["add_tags"] });
    await desk.rules.approvals.approve(request!.id, { agentId: "park" });
    await desk.rules.settle();
    expect((await desk.getTicket(ticket!.id)).tags).toContain("refund-approved");
    const actions = (await desk.listEvents(ticket!.id)).filter((e) => e.type === "rule.action");
    expect(actions.map((e) => e.data)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: "add_tags", held: true, approvalId: request!.id }),
        expect.objectContaining({ action: "add_tags", approvalId: request!.id }),
      ]),
    );
  });
});
