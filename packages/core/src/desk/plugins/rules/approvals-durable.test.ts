/** Approvals survive a crash between the decision and its actions; a held action chains nothing. */
import { describe, expect, it } from "vitest";
import { createDesk } from "../../create-desk.js";
import { memoryStore } from "../../../store-memory/memory-store.js";
import { memoryChannel } from "../../../testing/memory-channel.js";
import { manualClock } from "../../../ports/clock.js";
import type { Store } from "../../../ports/store.js";
import type { TriggerInput } from "../../../rules/trigger.js";
import { rulesPlugin } from "./rules-plugin.js";
import { refundPlan, T0 } from "./approvals-kit.js";

function makeDesk(store: Store, triggers: TriggerInput[] = []) {
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
        triggers,
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
      }),
    ],
  });
  const ingest = (text: string) =>
    desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: `m-${Math.random()}`,
      occurredAt: T0,
      from: { identities: [{ kind: "webchat", value: "v-1" }], name: "김민수" },
      text,
      conversationKey: "c-1",
    });
  return { desk, chat, ingest };
}

/**
 * The store as a process sees it that dies right after the approval is decided: once a write
 * recording the approval lands (its transaction committed), every later write fails.
 */
function dyingStore(inner: Store): Store {
  let dead = false;
  let dying = false;
  let depth = 0;
  const decides = (op: string, args: unknown[]): boolean => {
    const first = args[0] as { type?: string; value?: { status?: string } } | undefined;
    return (
      (op === "appendEvent" && first?.type === "approval.approved") ||
      (op === "putRecord" && first?.value?.status === "approved")
    );
  };
  const wrap = <T extends object>(ops: T): T =>
    new Proxy(ops, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== "function") return value;
        const fn = value as (...args: unknown[]) => Promise<unknown>;
        if (prop === "transaction") {
          return async (body: (tx: object) => Promise<unknown>) => {
            if (dead) throw new Error("the process died");
            depth++;
            try {
              return await fn.call(target, (tx: object) => body(wrap(tx)));
            } finally {
              depth--;
              if (dying && depth === 0) dead = true;
            }
          };
        }
        if (typeof prop === "string" && /^(insert|update|append|put|schedule|cancel|delete|move)/.test(prop)) {
          return async (...args: unknown[]) => {
            if (dead) throw new Error("the process died");
            const result = await fn.apply(target, args);
            if (decides(prop, args)) {
              if (depth > 0) dying = true;
              else dead = true;
            }
            return result;
          };
        }
        return fn.bind(target);
      },
    });
  return wrap(inner);
}

describe("rules plugin: durable approvals", () => {
  it("performs an approved macro once on a new desk after the approving process died before acting", async () => {
    const store = memoryStore();
    const first = makeDesk(dyingStore(store));
    const { ticket } = await first.ingest("받은 컵이 깨져 있어요. 환불해주세요");
    const asked = await first.desk.rules.macros.apply("refund-approve", ticket!.id, { agentId: "kim" });
    if (asked.status !== "pending_approval") throw new Error("expected an approval request");
    await first.desk.rules.approvals.approve(asked.approval.id, { agentId: "park" }).catch(() => undefined);
    await first.desk.rules.settle().catch(() => undefined);
    expect(first.chat.sent).toEqual([]);

    const restarted = makeDesk(store);
    await restarted.desk.runDue(T0);
    await restarted.desk.rules.settle();
    await restarted.desk.runDue(T0);
    await restarted.desk.rules.settle();
    const after = await restarted.desk.getTicket(ticket!.id);
    expect(after.status).toBe("solved");
    expect(after.tags).toContain("refund-approved");
    expect(restarted.chat.sent.map((m) => m.text)).toEqual(["김민수님, 환불이 승인되었습니다."]);
    const log = await restarted.desk.listEvents(ticket!.id);
    expect(log.filter((e) => e.type === "approval.approved")).toHaveLength(1);
    expect(log.filter((e) => e.type === "macro.applied")).toHaveLength(1);
    expect(await restarted.desk.rules.approvals.list({ status: "approved" })).toHaveLength(1);
    await expect(restarted.desk.rules.approvals.approve(asked.approval.id, { agentId: "park" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("does not chain rules on a held action until it is performed", async () => {
    const { desk, ingest } = makeDesk(memoryStore(), [
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
      {
        id: "pay-approved",
        title: "승인된 환불 → 지급",
        events: ["tags_changed"],
        conditions: { type: "ticket", field: "tags", op: "has", value: "refund-approved" },
        actions: [{ type: "add_tags", tags: ["refund-paid"] }],
      },
    ]);
    const { ticket } = await ingest("VIP 고객입니다. 환불해주세요");
    await desk.rules.settle();
    const held = await desk.getTicket(ticket!.id);
    expect(held.priority).toBe("high");
    expect(held.tags).not.toContain("refund-approved");
    expect(held.tags).not.toContain("refund-paid");
    const fired = (await desk.listEvents(ticket!.id)).filter((e) => e.type === "rule.fired");
    expect(fired.map((e) => e.data["ruleId"])).toEqual(["vip-refund"]);
  });
});
