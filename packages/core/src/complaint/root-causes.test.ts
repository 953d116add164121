/** The shop's root-cause taxonomy: defined, validated, and enforced when a complaint closes. */
import { describe, expect, it } from "vitest";
import { msg, setup } from "../desk/create-desk-kit.js";
import { DEFAULT_ROOT_CAUSES, defineRootCauses, resolveRootCause } from "./root-causes.js";

/** Takes a new complaint to the confirmation step. */
async function toConfirm(desk: ReturnType<typeof setup>["desk"]) {
  const { ticket } = await desk.ingest(msg("정말 최악이네요. 파손된 상품이 왔는데 연락도 없어요!!!"));
  const id = ticket!.id;
  const by = { agentId: "a1" };
  await desk.advanceComplaint(id, { type: "listened", summary: "파손" }, by);
  await desk.advanceComplaint(id, { type: "apologized" }, by);
  await desk.advanceComplaint(id, { type: "resolution_started", resolution: "재발송" }, by);
  await desk.advanceComplaint(id, { type: "resolution_done" }, by, { notifyCustomer: false });
  return id;
}

describe("complaint root causes", () => {
  it("names a cause by id or by its Korean or English name, and refuses others", () => {
    expect(resolveRootCause(DEFAULT_ROOT_CAUSES, "배송중 파손")).toBe("damaged_in_transit");
    expect(resolveRootCause(DEFAULT_ROOT_CAUSES, "Late Delivery")).toBe("late_delivery");
    expect(resolveRootCause(DEFAULT_ROOT_CAUSES, "rude_service")).toBe("rude_service");
    expect(() => resolveRootCause(DEFAULT_ROOT_CAUSES, "the weather")).toThrow(/not one of the shop's root causes/);
  });

  it("refuses a taxonomy with a repeated id or name", () => {
    const courier = { id: "courier", label: { ko: "택배사", en: "Courier" } };
    expect(defineRootCauses([courier, ...DEFAULT_ROOT_CAUSES])).toHaveLength(9);
    expect(() => defineRootCauses([courier, { ...courier, id: "courier2" }])).toThrow(/repeats/);
    expect(() => defineRootCauses([{ id: "Bad Id", label: { ko: "x", en: "x" } }])).toThrow();
  });

  it("records the shop's id when a complaint closes, and refuses a cause outside the taxonomy", async () => {
    const { desk } = setup({
      autoAcknowledge: false,
      complaint: {
        rootCauses: [{ id: "courier", label: { ko: "택배사 문제", en: "Courier" } }, ...DEFAULT_ROOT_CAUSES],
      },
    });
    const id = await toConfirm(desk);
    const confirm = (rootCause: string) =>
      desk.advanceComplaint(id, { type: "customer_confirmed", satisfied: true, rootCause }, { agentId: "a1" });
    await expect(confirm("날씨")).rejects.toMatchObject({
      code: "INVALID_INPUT",
      details: { allowed: expect.arrayContaining(["courier", "late_delivery"]) },
    });
    expect((await desk.getTicket(id)).complaint?.step).toBe("confirm");
    const closed = await confirm("택배사 문제");
    expect(closed.complaint).toMatchObject({ step: "closed", rootCause: "courier" });
    const event = (await desk.listEvents(id)).find((e) => e.type === "complaint.advanced" && e.data.to === "closed");
    expect(event?.data.rootCause).toBe("courier");
  });
});
