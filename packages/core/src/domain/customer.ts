import { z } from "zod";
import { LanguageSchema } from "./enums.js";

/**
 * Kinds of identity a customer can be known by.
 *
 * - `email`, `phone` (E.164: `+` and digits), `shopify` (the shop's customer id).
 * - `whatsapp`: the WhatsApp id (`wa_id`), the user's phone number as digits.
 * - `whatsapp_bsuid`: WhatsApp's business-scoped user ID (BSUID), e.g. `US.13491208655302741918`:
 *   the id Meta sends as `user_id` / `from_user_id` for every WhatsApp user, and the only one for a
 *   user who adopted a WhatsApp username and hides their phone number. Scoped to one Meta business
 *   portfolio (a parent BSUID, `US.ENT.…`, to linked portfolios); a new one comes with a new phone
 *   number. Kept exactly as written (case matters). A value is not a phone number.
 * - `messenger`, `instagram` (page-/account-scoped ids), `webchat` (visitor id), `naver`, `kakao`.
 *
 * @example
 * IdentityKindSchema.parse("whatsapp_bsuid"); // "whatsapp_bsuid"
 */
export const IdentityKindSchema = z.enum([
  "email",
  "phone",
  "whatsapp",
  "whatsapp_bsuid",
  "messenger",
  "instagram",
  "webchat",
  "shopify",
  "naver",
  "kakao",
]);
/** An identity kind (see {@link IdentityKindSchema}). */
export type IdentityKind = z.infer<typeof IdentityKindSchema>;

/**
 * One handle of a customer on one channel. Values are normalized by
 * {@link normalizeIdentity} before they are stored or looked up.
 */
export const IdentitySchema = z.object({
  kind: IdentityKindSchema,
  // Empty or sign-only values ("+", "--") would be one identity that many senders share.
  value: z
    .string()
    .trim()
    .min(1)
    .max(320)
    .regex(/[\p{L}\p{N}]/u, "an identity needs a letter or a digit"),
});
/** A customer identity. */
export type Identity = z.infer<typeof IdentitySchema>;

/** A customer, possibly known on several channels. */
export const CustomerSchema = z.object({
  id: z.string().min(1),
  name: z.string().max(200).nullable(),
  locale: LanguageSchema.nullable(),
  identities: z.array(IdentitySchema),
  /** Free attributes used by SLA policy conditions and routing (e.g. `{ vip: true }`). */
  attributes: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** Set when this customer was merged into another one; lookups follow it. */
  mergedInto: z.string().nullable(),
  /**
   * The stored row's version (stores set it: 1 on insert, +1 on every update). An update that
   * carries the version it read is a compare-and-set: CONFLICT if the row changed meanwhile.
   */
  version: z.number().int().positive().optional(),
});
/** A customer. */
export type Customer = z.infer<typeof CustomerSchema>;

/** A phone number as people write it: digits with `+`, spaces, dashes, dots and brackets only. */
const PHONE_LIKE = /^[+\d\s().-]*\d[+\d\s().-]*$/;

/**
 * Normalizes an identity so the same person always maps to the same key:
 * emails lower-cased, phone-like handles reduced to `+` and digits. A phone or
 * WhatsApp value that is not phone-like (`abc`) is kept as it is: reducing it to its
 * digits would give many senders one empty id. A WhatsApp BSUID is only trimmed: Meta
 * asks for it back exactly as sent, and `US.1a` and `US.1A` may be two people. Idempotent.
 *
 * @example
 * normalizeIdentity({ kind: "phone", value: "+82 10-1234-5678" }) // { kind: "phone", value: "+821012345678" }
 * normalizeIdentity({ kind: "whatsapp_bsuid", value: " US.13491208655302741918 " }) // value "US.13491208655302741918"
 */
export function normalizeIdentity(identity: Identity): Identity {
  const value = identity.value.trim();
  switch (identity.kind) {
    case "email":
      return { kind: "email", value: value.toLowerCase() };
    case "phone":
    case "whatsapp": {
      if (!PHONE_LIKE.test(value)) return { kind: identity.kind, value };
      const digits = value.replace(/[^\d]/g, "");
      return { kind: identity.kind, value: identity.kind === "phone" ? `+${digits}` : digits };
    }
    case "whatsapp_bsuid":
      return { kind: "whatsapp_bsuid", value };
    default:
      return { kind: identity.kind, value };
  }
}

/** Stable string key of an identity, e.g. `email:kim@example.com`. */
export function identityKey(identity: Identity): string {
  const n = normalizeIdentity(identity);
  return `${n.kind}:${n.value}`;
}
