import { describe, expect, it } from "vitest";
import { StoredeskError } from "../errors.js";
import { asJson, cleanStrings, cutDeepJson, MAX_JSON_DEPTH } from "./json-value.js";
import { InboundEventSchema } from "./inbound.js";

/** `{ a: { a: … { a: leaf } } }` nested `depth` objects deep, built without recursion. */
function nested(depth: number, leaf: unknown = "x"): Record<string, unknown> {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v as Record<string, unknown>;
}

describe("depth bound on walked input", () => {
  it("asJson refuses a value nested 100,000 deep with INVALID_INPUT and a path, not a stack overflow", () => {
    const err = (() => {
      try {
        asJson({ when: new Date(0), deep: nested(100_000) });
      } catch (e) {
        return e;
      }
    })();
    expect(StoredeskError.is(err, "INVALID_INPUT")).toBe(true);
    expect((err as StoredeskError).path?.slice(0, 3)).toEqual(["deep", "a", "a"]);
    expect((err as StoredeskError).details).toMatchObject({ limit: "json_depth", max: MAX_JSON_DEPTH });
  });

  it("asJson and cleanStrings keep a value nested up to the bound", () => {
    const ok = nested(MAX_JSON_DEPTH - 1, "a\u0000b");
    expect(JSON.stringify(asJson(ok))).toBe(JSON.stringify(ok));
    expect(JSON.stringify(cleanStrings(ok))).toBe(JSON.stringify(nested(MAX_JSON_DEPTH - 1, "ab")));
  });

  it("cleanStrings refuses a value nested 100,000 deep with INVALID_INPUT", () => {
    expect(() => cleanStrings([nested(100_000)])).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }) as Error);
  });

  it("cutDeepJson replaces only the too-deep part and names it", () => {
    const { value, cut } = cutDeepJson({ keep: 1, deep: nested(100) }, 10);
    expect(value.keep).toBe(1);
    expect(JSON.stringify(value.deep)).toBe(JSON.stringify(nested(9, "[truncated]")));
    expect(cut).toEqual(["deep.a.a.a.a.a…"]);
  });

  it("an inbound message whose meta nests 100,000 deep is kept, with the deep part cut and named", () => {
    const event = InboundEventSchema.parse({
      type: "message",
      channel: "whatsapp",
      externalId: "m1",
      occurredAt: new Date(0),
      text: "hello",
      from: { identities: [{ kind: "whatsapp", value: "821012345678" }] },
      meta: { referral: nested(100_000), type: "text" },
    });
    expect(event.type === "message" && event.text).toBe("hello");
    expect(event.type === "message" && event.meta).toMatchObject({
      type: "text",
      truncated: { depth: [expect.stringMatching(/^referral\.a/)] },
    });
  });
});

describe("2xx ⇒ stored: an inbound message over core's limits is cut, never refused", () => {
  const base = {
    type: "message",
    channel: "messenger",
    externalId: "m1",
    occurredAt: new Date(0),
    text: "hi",
    from: { identities: [{ kind: "messenger", value: "6789" }] },
  } as const;
  it.each([
    [
      "101 attachments",
      { attachments: Array.from({ length: 101 }, (_, i) => ({ contentType: "image/*", filename: `f${i}.jpg` })) },
      { attachments: { dropped: 1, names: ["f100.jpg"] } },
    ],
    ["a 1 MB sender name", { from: { ...base.from, name: "김".repeat(1_000_000) } }, { nameChars: 1_000_000 }],
    ["a 1 MB external id", { externalId: "x".repeat(1_000_000) }, null],
    ["a 1 MB subject", { subject: "s".repeat(1_000_000) }, { subjectChars: 1_000_000 }],
    ["2,000 reply ids", { replyTo: Array.from({ length: 2000 }, (_, i) => `r${i}`) }, { replyTo: 2000 }],
  ])("%s", (_name, extra, truncated) => {
    const event = InboundEventSchema.parse({ ...base, ...extra });
    if (event.type !== "message") throw new Error("not a message");
    if (truncated) expect(event.meta.truncated).toMatchObject(truncated);
    expect(event.attachments.length).toBeLessThanOrEqual(100);
    expect(event.from.name?.length ?? 0).toBeLessThanOrEqual(200);
    expect(event.externalId.length).toBeLessThanOrEqual(512);
    expect(event.replyTo.length).toBeLessThanOrEqual(1000);
  });
});
