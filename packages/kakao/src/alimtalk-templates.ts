/**
 * AlimTalk templates: information messages registered with Kakao (through the provider) and
 * sent only once approved. The body has `#{variable}` fields; buttons are part of the template.
 */
import { z } from "zod";
import { StoredeskError } from "@storedesk/core";

/** Kakao's inspection states of a template, in our words: only `approved` sends. */
export const AlimTalkTemplateStatusSchema = z.enum(["requested", "in_review", "approved", "rejected"]);
/** A template's approval status. */
export type AlimTalkTemplateStatus = z.infer<typeof AlimTalkTemplateStatusSchema>;

/** AlimTalk carries information only: what each template informs about. */
export const AlimTalkPurposeSchema = z.enum([
  "order_confirmation",
  "payment",
  "shipping",
  "delivery",
  "refund",
  "csat",
  "support_reply",
  "account",
]);

/** A template button (Kakao's button types: WL web link, AL app link, DS delivery tracking, BK bot keyword, MD message delivery). */
export const AlimTalkButtonSchema = z
  .object({
    name: z.string().min(1).max(14),
    type: z.enum(["WL", "AL", "DS", "BK", "MD", "AC"]),
    urlMobile: z.string().max(1000).optional(),
    urlPc: z.string().max(1000).optional(),
  })
  .refine((b) => b.type !== "WL" || !!b.urlMobile, { message: "a web-link button needs urlMobile" });
/** A template button; URLs may hold `#{variable}` fields too. */
export type AlimTalkButton = z.infer<typeof AlimTalkButtonSchema>;

/** A registered template. */
export const AlimTalkTemplateSchema = z.object({
  /** The template code registered with Kakao. */
  code: z.string().min(1).max(30),
  purpose: AlimTalkPurposeSchema,
  /** Body with `#{variable}` fields; at most 1,000 characters once filled. */
  body: z.string().min(1).max(1000),
  buttons: z.array(AlimTalkButtonSchema).max(5).default([]),
  status: AlimTalkTemplateStatusSchema,
  /** Kakao's reason when `rejected`. */
  rejectionReason: z.string().max(1000).nullable().optional(),
});
/** A template as registered. */
export type AlimTalkTemplate = z.output<typeof AlimTalkTemplateSchema>;

/** A filled template, ready for the provider. */
export interface RenderedAlimTalk {
  code: string;
  text: string;
  buttons: AlimTalkButton[];
}

/** The variable names of a body, in order of first appearance. */
export function templateVariables(body: string): string[] {
  return [...new Set([...body.matchAll(/#\{([^{}\s]{1,40})\}/g)].map((m) => m[1]!))];
}

/** A variable's text: strings and numbers as they are; anything else is refused. */
function valueText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  return null;
}

function fill(text: string, values: Record<string, unknown>): string {
  return text.replace(/#\{([^{}\s]{1,40})\}/g, (_, name: string) => valueText(values[name]) ?? "");
}

/** The template registry. */
export interface AlimTalkTemplates {
  get(code: string): AlimTalkTemplate | null;
  /** Updates a template's approval status (as the provider reports it). */
  setStatus(code: string, status: AlimTalkTemplateStatus, rejectionReason?: string | null): void;
  /**
   * Fills an approved template: APPROVAL_REQUIRED unless approved, INVALID_INPUT for a missing
   * variable or a body over 1,000 characters.
   */
  render(code: string, values: Record<string, unknown>): RenderedAlimTalk;
  list(): AlimTalkTemplate[];
}

/**
 * Registers templates (validated) for rendering and sending.
 *
 * @example
 * const templates = defineAlimTalkTemplates([{ code: "SHIP_01", purpose: "shipping", status: "approved",
 *   body: "#{name}님, 주문 #{order} 상품이 출고되었습니다. 운송장 #{tracking}", buttons: [{ name: "배송 조회", type: "DS" }] }]);
 */
export function defineAlimTalkTemplates(input: Array<z.input<typeof AlimTalkTemplateSchema>>): AlimTalkTemplates {
  const byCode = new Map<string, AlimTalkTemplate>();
  for (const [i, t] of input.entries()) {
    const parsed = AlimTalkTemplateSchema.safeParse(t);
    if (!parsed.success)
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `AlimTalk template ${i}: ${parsed.error.issues[0]?.message ?? "invalid"}`,
        path: [String(i), ...(parsed.error.issues[0]?.path.map(String) ?? [])],
      });
    if (byCode.has(parsed.data.code))
      throw new StoredeskError({
        code: "CONFLICT",
        message: `AlimTalk template ${parsed.data.code} is registered twice`,
      });
    byCode.set(parsed.data.code, parsed.data);
  }
  return {
    get: (code) => byCode.get(code) ?? null,
    list: () => [...byCode.values()],
    setStatus(code, status, rejectionReason = null) {
      const t = byCode.get(code);
      if (!t) throw new StoredeskError({ code: "NOT_FOUND", message: `No AlimTalk template ${code}` });
      byCode.set(code, { ...t, status: AlimTalkTemplateStatusSchema.parse(status), rejectionReason });
    },
    render(code, values) {
      const t = byCode.get(code);
      if (!t)
        throw new StoredeskError({
          code: "NOT_FOUND",
          message: `No AlimTalk template ${code}`,
          path: ["template", "name"],
        });
      if (t.status !== "approved") {
        throw new StoredeskError({
          code: "APPROVAL_REQUIRED",
          message: `AlimTalk template ${code} is ${t.status}, not approved`,
          details: { status: t.status },
        });
      }
      const needed = new Set([
        ...templateVariables(t.body),
        ...t.buttons.flatMap((b) => [...templateVariables(b.urlMobile ?? ""), ...templateVariables(b.urlPc ?? "")]),
      ]);
      const missing = [...needed].filter((name) => !valueText(values[name]));
      if (missing.length > 0)
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: `AlimTalk template ${code} needs ${missing.join(", ")}`,
          path: ["template", "parameters", missing[0]!],
        });
      const text = fill(t.body, values);
      if (text.length > 1000)
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: `AlimTalk body is ${text.length} characters (at most 1,000)`,
          path: ["template", "parameters"],
        });
      const buttons = t.buttons.map((b) => ({
        ...b,
        ...(b.urlMobile ? { urlMobile: fill(b.urlMobile, values) } : {}),
        ...(b.urlPc ? { urlPc: fill(b.urlPc, values) } : {}),
      }));
      return { code, text, buttons };
    },
  };
}
