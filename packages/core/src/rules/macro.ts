/** Macros: a reply template (ko/en) plus field changes, applied as one list of actions. */
import { z } from "zod";
import { renderTemplate } from "../template/render-template.js";
import { parseInput } from "../validate.js";
import { RuleActionSchema, type RuleAction } from "./rule-action.js";

const FIELD_CHANGES = [
  "set_status",
  "set_priority",
  "set_category",
  "add_tags",
  "remove_tags",
  "set_team",
  "set_assignee",
];

/**
 * Schema of a macro: an optional reply with one body per language (`{{ticket.number}}`-style
 * variables), and field changes.
 *
 * @example
 * MacroSchema.parse({ id: "refund-ok", title: "환불 승인", reply: { ko: "{{customer.name}}님, 환불되었습니다." },
 *   actions: [{ type: "set_status", status: "solved" }] });
 */
export const MacroSchema = z.strictObject({
  id: z.string().min(1).max(100),
  title: z.string().min(1).max(200),
  reply: z.record(z.string().min(2).max(35), z.string().min(1).max(20_000)).nullable().default(null),
  actions: z
    .array(RuleActionSchema)
    .max(50)
    .refine((as) => as.every((a) => FIELD_CHANGES.includes(a.type)), "a macro's actions are field changes only")
    .default([]),
});
/** A macro. */
export type Macro = z.output<typeof MacroSchema>;
/** Input form of a macro. */
export type MacroInput = z.input<typeof MacroSchema>;

/**
 * Validates a macro (INVALID_INPUT on bad input).
 *
 * @example
 * const macro = defineMacro({ id: "solve", title: "Solve",
 *   actions: [{ type: "set_status", status: "solved" }] });
 */
export function defineMacro(input: MacroInput): Macro {
  return parseInput(MacroSchema, input, "macro");
}

/**
 * The actions a macro stands for: the reply rendered in `locale` (falling back ko → en), then
 * the field changes. Missing variables throw INVALID_INPUT, so a half-filled reply is never sent.
 *
 * @example
 * applyMacro(macro, { customer: { name: "김민지" }, ticket: { number: 12 } }, "ko")
 * // [{ type: "reply", body: { ko: "김민지님, 환불되었습니다." } }, { type: "set_status", status: "solved" }]
 */
export function applyMacro(macro: Macro, variables: Record<string, unknown>, locale: string): RuleAction[] {
  const actions: RuleAction[] = [];
  if (macro.reply) {
    const locales = Object.fromEntries(Object.entries(macro.reply).map(([l, body]) => [l, { subject: null, body }]));
    const rendered = renderTemplate({ id: macro.id, name: macro.title, category: null, locales }, variables, locale);
    actions.push({ type: "reply", body: { [rendered.locale]: rendered.body } });
  }
  return [...actions, ...macro.actions];
}
