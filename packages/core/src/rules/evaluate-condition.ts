/** Evaluates a condition tree against facts, keeping a trace so a dry run can say what failed. */
import { businessTimeBetween } from "../calendar/business-time-between.js";
import { isOpen } from "../calendar/is-open.js";
import { priorityRank, type Priority } from "../domain/enums.js";
import { matchesText } from "./match-text.js";
import type { LeafCondition, RuleCondition } from "./rule-condition.js";
import type { RuleFacts } from "./rule-facts.js";

const HOUR = 3_600_000;

/** The outcome of one node of a condition tree. */
export interface ConditionResult {
  passed: boolean;
  /** A short human sentence, e.g. `status is "pending" (was "open")`. */
  detail: string;
  condition: RuleCondition;
  children?: ConditionResult[];
}

function fieldValue(facts: RuleFacts, field: string): string | null | string[] {
  const t = facts.ticket;
  switch (field) {
    case "assignee":
      return t.assigneeId;
    case "tags":
      return t.tags;
    default:
      return (t as unknown as Record<string, string | null>)[field] ?? null;
  }
}

function sincePoint(facts: RuleFacts, since: string): Date | null {
  const t = facts.ticket;
  switch (since) {
    case "created":
      return t.createdAt;
    case "updated":
      return t.updatedAt;
    case "status_changed":
      // Solved and closed tickets carry their own change time; other statuses need the desk to say.
      return (
        facts.times?.statusChangedAt ?? (t.status === "solved" ? t.solvedAt : t.status === "closed" ? t.closedAt : null)
      );
    case "last_customer_message":
      return t.lastCustomerMessageAt;
    default:
      return facts.times?.lastAgentReplyAt ?? null;
  }
}

function q(v: unknown): string {
  return JSON.stringify(v);
}

function leafResult(c: LeafCondition, facts: RuleFacts, now: Date): { passed: boolean; detail: string } {
  switch (c.type) {
    case "ticket": {
      const actual = fieldValue(facts, c.field);
      if (c.op === "has" || c.op === "lacks") {
        const has = facts.ticket.tags.includes(c.value);
        return {
          passed: c.op === "has" ? has : !has,
          detail: `tags ${c.op} ${q(c.value)} (tags ${q(facts.ticket.tags)})`,
        };
      }
      if (c.op === "at_least" || c.op === "at_most") {
        const a = priorityRank(facts.ticket.priority);
        const b = priorityRank(c.value as Priority);
        return {
          passed: c.op === "at_least" ? a >= b : a <= b,
          detail: `priority ${c.op} ${q(c.value)} (was ${q(facts.ticket.priority)})`,
        };
      }
      const wanted = Array.isArray(c.value) ? c.value : [c.value];
      const actualList = Array.isArray(actual) ? actual : [actual];
      const hit = actualList.some((v) => wanted.includes(v));
      const passed = c.op === "is" || c.op === "in" ? hit : !hit;
      return { passed, detail: `${c.field} ${c.op.replace("_", " ")} ${q(c.value)} (was ${q(actual)})` };
    }
    case "text": {
      if (!facts.message) return { passed: false, detail: "text contains: the event has no message" };
      const text = facts.message.text;
      const hits = c.contains.filter((p) => matchesText(text, p));
      const passed = (c.match ?? "any") === "any" ? hits.length > 0 : hits.length === c.contains.length;
      return { passed, detail: `text contains ${c.match ?? "any"} of ${q(c.contains)} (found ${q(hits)})` };
    }
    case "customer": {
      if (!facts.customer) return { passed: false, detail: `customer ${c.field}: no customer known` };
      const attrs = facts.customer.attributes;
      if (c.field === "vip") {
        const vip = attrs["vip"] === true;
        return { passed: vip === c.value, detail: `customer vip is ${c.value} (was ${vip})` };
      }
      if (c.field === "order_count") {
        const n = typeof attrs["orderCount"] === "number" ? attrs["orderCount"] : null;
        if (n === null) return { passed: false, detail: "customer order count: not known" };
        return {
          passed: c.op === "at_least" ? n >= c.value : n <= c.value,
          detail: `customer order count ${c.op} ${c.value} (was ${n})`,
        };
      }
      if (c.field === "language") {
        const lang = facts.customer.locale ?? facts.ticket.language;
        const base = lang.split("-")[0] ?? lang;
        return {
          passed: c.in.includes(lang) || c.in.includes(base),
          detail: `customer language in ${q(c.in)} (was ${q(lang)})`,
        };
      }
      const v = attrs[c.key] ?? null;
      return { passed: v === c.value, detail: `customer ${c.key} is ${q(c.value)} (was ${q(v)})` };
    }
    case "score": {
      const cls = facts.classification;
      if (!cls) return { passed: false, detail: `score ${c.label}: the ticket is not classified` };
      const s = c.label === "complaint" ? cls.complaint.score : (cls.scores[c.label] ?? 0);
      const passed = (c.min === undefined || s >= c.min) && (c.max === undefined || s <= c.max);
      return { passed, detail: `score ${c.label} in [${c.min ?? 0}, ${c.max ?? 1}] (was ${s.toFixed(2)})` };
    }
    case "business_hours": {
      if (!facts.calendar) return { passed: false, detail: "business hours: no calendar given" };
      const open = isOpen(now, facts.calendar);
      return { passed: open === c.open, detail: `inside business hours is ${c.open} (was ${open})` };
    }
    case "event_data": {
      const data = facts.event ? facts.eventData?.[facts.event] : undefined;
      if (!data || !(c.key in data))
        return { passed: false, detail: `event data ${c.key}: not on the ${facts.event ?? "raising"} event` };
      const seen = data[c.key];
      const passed =
        c.op === "is"
          ? seen === c.value
          : c.op === "is_not"
            ? seen !== c.value
            : typeof seen === "number" &&
              typeof c.value === "number" &&
              (c.op === "at_least" ? seen >= c.value : seen <= c.value);
      return { passed, detail: `event data ${c.key} ${c.op} ${String(c.value)} (was ${JSON.stringify(seen)})` };
    }
    case "started_by": {
      const by = facts.startedBy ?? "customer";
      return { passed: by === c.by, detail: `started by ${c.by} (was ${by})` };
    }
    case "hours_since": {
      const from = sincePoint(facts, c.since);
      if (!from) return { passed: false, detail: `hours since ${c.since}: not known` };
      const clock = c.clock ?? "calendar";
      if (clock === "business" && !facts.calendar)
        return { passed: false, detail: `business hours since ${c.since}: no calendar given` };
      const ms =
        clock === "business" && facts.calendar
          ? businessTimeBetween(from, now, facts.calendar)
          : now.getTime() - from.getTime();
      const hours = ms / HOUR;
      const passed = c.op === "at_least" ? hours >= c.hours : hours < c.hours;
      return {
        passed,
        detail: `${clock} hours since ${c.since} ${c.op.replace("_", " ")} ${c.hours} ` + `(was ${hours.toFixed(1)})`,
      };
    }
  }
}

/**
 * Evaluates a condition tree. `all` passes when every child passes, `any` when one does; every
 * child is still evaluated so the trace explains the whole tree, not just the first miss.
 *
 * @example
 * evaluateCondition({ type: "ticket", field: "status", op: "is", value: "new" }, { ticket }, now).passed
 */
export function evaluateCondition(condition: RuleCondition, facts: RuleFacts, now: Date): ConditionResult {
  if (condition.type === "all" || condition.type === "any") {
    const children = condition.conditions.map((c) => evaluateCondition(c, facts, now));
    const ok = children.filter((c) => c.passed).length;
    const passed = condition.type === "all" ? ok === children.length : ok > 0;
    return { passed, detail: `${condition.type}: ${ok} of ${children.length} passed`, condition, children };
  }
  return { ...leafResult(condition, facts, now), condition };
}

/**
 * The failing leaves that decided a failed result (under an `all`, its failing children; under
 * an `any`, all of them), as sentences.
 *
 * @example
 * failedConditions(evaluateCondition(tree, facts, now)) // ['status is "new" (was "open")']
 */
export function failedConditions(result: ConditionResult): string[] {
  if (result.passed) return [];
  if (!result.children) return [result.detail];
  return result.children.flatMap((c) => failedConditions(c));
}
