/** Which trigger events a committed ticket change raises, read from the audit events it wrote. */
import type { TicketEvent } from "../../../domain/event.js";
import type { TriggerEventType } from "../../../rules/trigger.js";

/** Actor id prefix of everything the rules plugin does (`rules:<ruleId>`), so its own changes never re-trigger. */
export const RULES_ACTOR = "rules";

/** True when an audit event was written by a rule (`{ kind: "system", id: "rules:…" }`). */
export function byRule(event: Pick<TicketEvent, "actor">): boolean {
  const id = event.actor.id ?? "";
  return event.actor.kind === "system" && (id === RULES_ACTOR || id.startsWith(`${RULES_ACTOR}:`));
}

/**
 * The trigger events a change raises, in order, each once. Changes made by rules are left out
 * (chaining through them is decided up front by `evaluateTriggers`, with its depth cap), and so
 * are a customer's message and a new ticket (the in-transaction hooks handle those).
 *
 * @example
 * triggerEventsOf([{ type: "status.changed", actor: { kind: "agent", id: "kim" }, … }]) // ["status_changed"]
 */
export function triggerEventsOf(events: readonly TicketEvent[]): TriggerEventType[] {
  const raised: TriggerEventType[] = [];
  const add = (e: TriggerEventType): void => {
    if (!raised.includes(e)) raised.push(e);
  };
  for (const event of events) {
    if (byRule(event)) continue;
    const data = event.data;
    switch (event.type) {
      case "status.changed":
        add("status_changed");
        break;
      case "priority.changed":
        add("priority_changed");
        break;
      case "category.changed":
        add("category_changed");
        break;
      case "tags.changed":
        add("tags_changed");
        break;
      case "assigned":
        if (data["from"] !== data["to"]) add("assignee_changed");
        if (data["fromTeam"] !== data["toTeam"]) add("team_changed");
        break;
      case "reply.sent":
        if (event.actor.kind === "agent") add("agent_reply");
        break;
      case "sla.warning":
        add("sla_warning");
        break;
      case "sla.breached":
        add("sla_breach");
        break;
      case "csat.received":
        add("csat_received");
        break;
      case "bot.handoff":
        add("bot_handoff");
        break;
    }
  }
  return raised;
}

/**
 * The data of the audit events that raise triggers, by trigger event (the latest of each), for
 * `event_data` conditions such as a CSAT rating.
 *
 * @example
 * triggerEventData(events).csat_received?.rating // 2
 */
export function triggerEventData(
  events: readonly TicketEvent[],
): Partial<Record<TriggerEventType, Record<string, unknown>>> {
  const data: Partial<Record<TriggerEventType, Record<string, unknown>>> = {};
  for (const event of events) {
    if (byRule(event)) continue;
    const [raised] = triggerEventsOf([event]);
    if (raised) data[raised] = event.data;
  }
  return data;
}
