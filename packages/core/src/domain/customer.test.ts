import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDesk } from "../desk/index.js";
import { memoryStore } from "../store-memory/index.js";
import { manualClock } from "../ports/clock.js";
import { IdentitySchema, identityKey, normalizeIdentity, type IdentityKind } from "./customer.js";

const PHONE_LIKE = /^[+\d\s().-]*\d[+\d\s().-]*$/;

/** Whether two raw handles name one sender: equal up to case (email) or phone formatting, else equal. */
function sameSender(kind: IdentityKind, a: string, b: string): boolean {
  const [x, y] = [a.trim(), b.trim()];
  if (kind === "email") return x.toLowerCase() === y.toLowerCase();
  if ((kind === "phone" || kind === "whatsapp") && PHONE_LIKE.test(x) && PHONE_LIKE.test(y))
    return x.replace(/\D/g, "") === y.replace(/\D/g, "");
  return x === y;
}

const KINDS: Array<[IdentityKind, string]> = [
  ["whatsapp", "whatsapp"],
  ["phone", "whatsapp"],
  ["whatsapp_bsuid", "whatsapp"],
  ["messenger", "messenger"],
  ["instagram", "instagram"],
  ["email", "email"],
  ["webchat", "webchat"],
];

describe("identities", () => {
  it("keeps a WhatsApp id without digits as it is instead of emptying it", () => {
    expect(normalizeIdentity({ kind: "whatsapp", value: "abc" })).toEqual({ kind: "whatsapp", value: "abc" });
    expect(normalizeIdentity({ kind: "phone", value: "+abc" })).toEqual({ kind: "phone", value: "+abc" });
    expect(normalizeIdentity({ kind: "phone", value: "+82 10-1234-5678" })).toEqual({
      kind: "phone",
      value: "+821012345678",
    });
  });

  it("keeps a WhatsApp BSUID exactly as Meta wrote it (trimmed only), never as a phone number", () => {
    for (const value of ["US.13491208655302741918", "US.ENT.11815799212886844830", "BR.1502576394655843aBc"]) {
      expect(IdentitySchema.safeParse({ kind: "whatsapp_bsuid", value }).success).toBe(true);
      expect(normalizeIdentity({ kind: "whatsapp_bsuid", value: ` ${value} ` })).toEqual({
        kind: "whatsapp_bsuid",
        value,
      });
    }
    expect(identityKey({ kind: "whatsapp_bsuid", value: "KR.1a" })).not.toBe(
      identityKey({ kind: "whatsapp_bsuid", value: "KR.1A" }),
    );
    expect(identityKey({ kind: "whatsapp_bsuid", value: "821012345678" })).not.toBe(
      identityKey({ kind: "whatsapp", value: "821012345678" }),
    );
  });

  it("refuses an empty or sign-only identity value", () => {
    for (const value of ["", "  ", "+", "--", "+ ()"])
      expect(IdentitySchema.safeParse({ kind: "phone", value }).success).toBe(false);
    expect(IdentitySchema.safeParse({ kind: "phone", value: "+1" }).success).toBe(true);
  });

  it("normalizing is idempotent on any value", () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS.map(([k]) => k)), fc.string({ minLength: 1 }), (kind, value) => {
        const once = normalizeIdentity({ kind, value });
        expect(normalizeIdentity(once)).toEqual(once);
      }),
    );
  });

  it("distinct raw sender ids become distinct customers, on every channel (property)", async () => {
    const raw = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => /[\p{L}\p{N}]/u.test(s));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...KINDS),
        fc.uniqueArray(raw, { minLength: 2, maxLength: 6 }),
        async ([kind, channel], ids) => {
          const desk = createDesk({
            store: memoryStore(),
            clock: manualClock(new Date("2026-03-02T09:00:00Z")),
            autoAcknowledge: false,
          });
          const customers = new Set<string>();
          for (const [i, value] of ids.entries()) {
            const r = await desk.ingest({
              type: "message",
              channel,
              externalId: `m${i}`,
              occurredAt: new Date("2026-03-02T08:00:00Z"),
              text: "hi",
              from: { identities: [{ kind, value }] },
            });
            customers.add(r.ticket!.customerId);
          }
          const senders = ids.filter((id, i) => !ids.slice(0, i).some((earlier) => sameSender(kind, earlier, id)));
          expect(customers.size).toBe(senders.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});
