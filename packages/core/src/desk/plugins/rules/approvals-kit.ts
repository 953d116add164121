/** A desk with the refund plan's decision maker, for the approval tests. */
import { createDesk } from "../../create-desk.js";
import { memoryChannel } from "../../../testing/memory-channel.js";
import { manualClock } from "../../../ports/clock.js";
import type { Store } from "../../../ports/store.js";
import { rulesPlugin } from "./rules-plugin.js";

/** The desk's clock. */
export const T0 = new Date("2026-03-02T02:00:00.000Z");

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
export function approvalDesk(store: Store, plan: Partial<typeof refundPlan> = {}) {
  const chat = memoryChannel({ id: "webchat" });
  const desk = createDesk({
    store,
    clock: manualClock(T0),
    channels: [chat],
    autoAcknowledge: false,
    actionPlans: [{ ...refundPlan, ...plan }],
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
