import { describe, expect, it } from "vitest";
import { memoryStore } from "../../../store-memory/memory-store.js";
import { approvalDesk } from "./approvals-kit.js";

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

  it("returns from approve only when the approved actions are done, even when the after-commit run claims them", async () => {
    // Slow record reads let the commit's after-commit run (jobs are read fast) claim the job
    // before the approver's own call does, and slow ticket reads keep it performing after
    // that call found the job claimed; approve must still wait for the actions.
    const inner = memoryStore();
    let slow = false;
    const store = new Proxy(inner, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        const delayMs = name === "getRecord" ? 5 : name === "getTicket" ? 20 : 0;
        if (delayMs === 0 || typeof value !== "function") return value;
        return async (...args: unknown[]) => {
          if (slow) await new Promise((resolve) => setTimeout(resolve, delayMs));
          return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        };
      },
    });
    const { desk, ingest } = approvalDesk(store);
    const { ticket } = await ingest("받은 컵이 깨져 있어요. 환불해주세요");
    const asked = await desk.rules.perform(ticket!.id, [{ type: "add_tags", tags: ["refund-approved"] }], {
      agentId: "kim",
    });
    if (asked.status !== "pending_approval") throw new Error("expected an approval request");
    slow = true;
    await desk.rules.approvals.approve(asked.approval.id, { agentId: "park" });
    expect((await inner.getTicket(ticket!.id))!.tags).toContain("refund-approved");
    expect((await inner.listEvents(ticket!.id)).filter((e) => e.type === "tags.changed")).toHaveLength(1);
    await desk.rules.settle();
    expect((await inner.listEvents(ticket!.id)).filter((e) => e.type === "tags.changed")).toHaveLength(1);
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
