/** Agents' direct changes (desk.update, setTags, setStatus, a reply's status) respect the plan's decision maker. */
import { describe, expect, it } from "vitest";
import { memoryStore } from "../../../store-memory/memory-store.js";
import { approvalDesk } from "./approvals-kit.js";

describe("decision makers and agents' direct changes", () => {
  it("files an agent's change that is the plan's decision for the lead, changing nothing until approved", async () => {
    const { desk, ingest } = approvalDesk(memoryStore());
    const { ticket } = await ingest("받은 컵이 깨져 있어요. 환불해주세요");
    const id = ticket!.id;
    const refused = desk.update(id, { tags: ["refund-approved"], priority: "high" }, { agentId: "kim" });
    await expect(refused).rejects.toMatchObject({
      code: "APPROVAL_REQUIRED",
      details: { approverRole: "lead", plugin: "rules" },
    });
    const after = await desk.getTicket(id);
    expect(after.tags).not.toContain("refund-approved");
    expect(after.priority).toBe(ticket!.priority);
    const [pending] = await desk.rules.approvals.list({ status: "pending" });
    expect(pending).toMatchObject({ requestedBy: "agent:kim", held: ["add_tags"] });
    await expect(refused).rejects.toMatchObject({ details: { approvalId: pending!.id } });

    await desk.rules.approvals.approve(pending!.id, { agentId: "park" });
    expect((await desk.getTicket(id)).tags).toContain("refund-approved");
    const types = (await desk.listEvents(id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["approval.requested", "approval.approved", "tags.changed"]));
  });

  it("lets the lead and the desk's own rules make the same change, and changes outside the decisions through", async () => {
    const { desk, ingest } = approvalDesk(memoryStore());
    const { ticket } = await ingest("환불해주세요");
    await desk.setTags(ticket!.id, ["refund-approved"], { agentId: "park" });
    expect((await desk.getTicket(ticket!.id)).tags).toContain("refund-approved");
    await desk.setPriority(ticket!.id, "low", { agentId: "kim" }); // not a decision
    await desk.setTags(ticket!.id, ["refund-approved", "checked"], { agentId: "kim" }); // adds only "checked"
    expect(await desk.rules.approvals.list({ status: "pending" })).toHaveLength(0);
  });

  it("holds a reply whose status change is the plan's decision: nothing is sent", async () => {
    const { desk, chat, ingest } = approvalDesk(memoryStore(), {
      decisions: ["set_status:solved"],
    });
    const { ticket } = await ingest("환불해주세요");
    await expect(
      desk.reply(ticket!.id, { text: "환불 처리했습니다", agentId: "kim", status: "solved" }),
    ).rejects.toMatchObject({ code: "APPROVAL_REQUIRED" });
    await expect(desk.setStatus(ticket!.id, "solved", { agentId: "kim" })).rejects.toMatchObject({
      code: "APPROVAL_REQUIRED",
    });
    await desk.settle();
    expect(chat.sent).toHaveLength(0);
    expect((await desk.getTicket(ticket!.id)).status).not.toBe("solved");
    await desk.reply(ticket!.id, { text: "확인 중입니다", agentId: "kim" }); // no status: a plain reply
    await desk.settle();
    expect(chat.sent.map((m) => m.text)).toEqual(["확인 중입니다"]);
  });

  it("files a macro whose field changes are decisions before its reply goes out", async () => {
    const { desk, chat, ingest } = approvalDesk(memoryStore(), {
      decisions: ["add_tags:refund-approved"],
    });
    const { ticket } = await ingest("환불해주세요");
    const asked = await desk.rules.macros.apply("refund-approve", ticket!.id, { agentId: "kim" });
    expect(asked.status).toBe("pending_approval");
    await desk.settle();
    expect(chat.sent).toHaveLength(0);
  });
});
