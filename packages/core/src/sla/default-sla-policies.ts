import type { SlaMetricTargets, SlaPolicy } from "./sla-policy.js";

const HOUR = 60;

/** Options of {@link defaultSlaPolicies}. */
export interface DefaultSlaPoliciesOptions {
  /**
   * Time kind of every target. Default `"calendar"`, as the shop's table states its hours in
   * calendar time (48 h to complete a refund means two days, weekends included). With `"business"`,
   * pass a business calendar to `evaluateSla`.
   */
  time?: "business" | "calendar";
}

/**
 * The shop's default SLA table, as an ordered list for {@link selectPolicy} (first match wins):
 *
 * | policy | first reply | next reply | resolution (requester wait) | urgent |
 * | --- | --- | --- | --- | --- |
 * | `complaint` | 4 h | 8 h | 72 h, update every 24 h | first reply 1 h, next 2 h |
 * | `product` | 24 h | 24 h | – | first reply 4 h, next 8 h |
 * | `shipping` | 12 h | 12 h | – | first reply 2 h, next 4 h |
 * | `refund_exchange` | 12 h | 24 h | 48 h | first reply 2 h, resolution 24 h |
 * | `order_change` | 4 h | 8 h | – | first reply 1 h (changes race the fulfilment) |
 * | `payment` | 8 h | 12 h | – | first reply 2 h |
 * | `default` (everything else) | 24 h | 24 h | – | first reply 4 h |
 *
 * `high` priority halves the first-reply target of each. Warnings fire an hour before a breach
 * (30 minutes for complaints); a breached complaint first reply raises the priority to high.
 *
 * @example
 * const evaluation = evaluateSla(history, defaultSlaPolicies(), null, now);
 */
export function defaultSlaPolicies(options: DefaultSlaPoliciesOptions = {}): SlaPolicy[] {
  const time = options.time ?? "calendar";
  const t = (hours: number) => ({ minutes: hours * HOUR, time });
  const targets = (
    firstReply: number,
    nextReply: number,
    urgent: SlaMetricTargets,
    more: SlaMetricTargets = {},
  ): SlaPolicy["targets"] => ({
    default: { first_reply: t(firstReply), next_reply: t(nextReply), ...more },
    high: { first_reply: t(firstReply / 2) },
    urgent,
  });
  return [
    {
      id: "complaint",
      name: "Complaints",
      conditions: { categories: ["complaint"] },
      targets: targets(
        4,
        8,
        { first_reply: t(1), next_reply: t(2) },
        { requester_wait: t(72), periodic_update: t(24) },
      ),
      warnBeforeMinutes: 30,
      escalations: [{ on: "breach", metrics: ["first_reply"], raisePriority: "high" }],
    },
    {
      id: "product",
      name: "Product questions",
      conditions: { categories: ["product"] },
      targets: targets(24, 24, { first_reply: t(4), next_reply: t(8) }),
      warnBeforeMinutes: HOUR,
    },
    {
      id: "shipping",
      name: "Shipping questions",
      conditions: { categories: ["shipping"] },
      targets: targets(12, 12, { first_reply: t(2), next_reply: t(4) }),
      warnBeforeMinutes: HOUR,
    },
    {
      id: "refund_exchange",
      name: "Refunds and exchanges",
      conditions: { categories: ["refund_exchange"] },
      targets: targets(12, 24, { first_reply: t(2), requester_wait: t(24) }, { requester_wait: t(48) }),
      warnBeforeMinutes: HOUR,
    },
    {
      id: "order_change",
      name: "Order changes",
      conditions: { categories: ["order_change"] },
      targets: targets(4, 8, { first_reply: t(1) }),
      warnBeforeMinutes: HOUR,
    },
    {
      id: "payment",
      name: "Payment questions",
      conditions: { categories: ["payment"] },
      targets: targets(8, 12, { first_reply: t(2) }),
      warnBeforeMinutes: HOUR,
    },
    {
      id: "default",
      name: "Everything else",
      targets: targets(24, 24, { first_reply: t(4) }),
      warnBeforeMinutes: HOUR,
    },
  ];
}
