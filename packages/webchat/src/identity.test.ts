import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { StoredeskError } from "@storedesk/core";
import { identityHash, verifiedSession } from "./identity.js";
import type { ShopIdentity } from "./identity.js";

const SECRET = "id-secret";
const EXP = Date.parse("2030-01-01T00:00:00Z");
const signed = { id: "7001", email: "kim@example.com", shopifyCustomerId: "7001" };

function refusal(identity: ShopIdentity): unknown {
  try {
    verifiedSession(identity, SECRET, EXP);
  } catch (error) {
    return error;
  }
  throw new Error("the identity was accepted");
}

describe("identityHash", () => {
  it("signs the documented canonical form, so a shop's server in any language can compute it", () => {
    const hmac = (text: string) => createHmac("sha256", SECRET).update(text, "utf8").digest("hex");
    expect(identityHash(signed, SECRET)).toBe(hmac('["7001","kim@example.com","7001"]'));
    expect(identityHash({ id: "7001" }, SECRET)).toBe(hmac('["7001","",""]'));
    expect(identityHash({ id: "7001", email: null, shopifyCustomerId: null }, SECRET)).toBe(hmac('["7001","",""]'));
    expect(identityHash({ id: 'a"b/김', email: "kim@example.com" }, SECRET)).toBe(
      hmac('["a\\"b/김","kim@example.com",""]'),
    );
    // The check value the TSDoc and docs/guides/live-chat.md give.
    expect(identityHash(signed, SECRET)).toBe("2ba666ada896db006e4444b3f47f80fe4043e5a5486e973385f847ea4850d892");
  });

  it("gives different hashes to fields that would run together in a plain concatenation", () => {
    expect(identityHash({ id: "7001", email: "1@x.co" }, SECRET)).not.toBe(identityHash({ id: "70011@x.co" }, SECRET));
    expect(identityHash({ id: "7001", shopifyCustomerId: "7001" }, SECRET)).not.toBe(
      identityHash({ id: "7001", email: "7001" }, SECRET),
    );
    expect(identityHash({ id: '7001","x' }, SECRET)).not.toBe(identityHash({ id: "7001", email: "x" }, SECRET));
  });
});

describe("verifiedSession", () => {
  it("accepts the identity exactly as signed and links its email and Shopify identities", () => {
    const session = verifiedSession({ ...signed, name: "김민지", hash: identityHash(signed, SECRET) }, SECRET, EXP);
    expect(session).toEqual({
      visitorId: "shop:7001",
      verified: true,
      identities: [
        { kind: "shopify", value: "7001" },
        { kind: "email", value: "kim@example.com" },
      ],
      name: "김민지",
      exp: EXP,
    });
  });

  it("accepts an id-only identity signed without email or Shopify id, linking nothing else", () => {
    const session = verifiedSession({ id: "7001", hash: identityHash({ id: "7001" }, SECRET) }, SECRET, EXP);
    expect(session).toMatchObject({ visitorId: "shop:7001", verified: true, identities: [] });
  });

  it.each<[string, ShopIdentity]>([
    [
      "a changed email with the original hash",
      { ...signed, email: "victim@example.com", hash: identityHash(signed, SECRET) },
    ],
    [
      "the email in other case (nothing is normalized)",
      { ...signed, email: "Kim@Example.com", hash: identityHash(signed, SECRET) },
    ],
    ["a changed Shopify id", { ...signed, shopifyCustomerId: "7002", hash: identityHash(signed, SECRET) }],
    ["a changed id", { ...signed, id: "7002", hash: identityHash(signed, SECRET) }],
    ["a signed email left out", { id: "7001", shopifyCustomerId: "7001", hash: identityHash(signed, SECRET) }],
    [
      "an email added to a hash signed without one",
      { id: "7001", email: "victim@example.com", hash: identityHash({ id: "7001" }, SECRET) },
    ],
    [
      "a Shopify id added to a hash signed without one",
      { id: "7001", shopifyCustomerId: "7002", hash: identityHash({ id: "7001" }, SECRET) },
    ],
    ["the old id-only hash", { ...signed, hash: createHmac("sha256", SECRET).update("7001").digest("hex") }],
    ["a hash with another secret", { ...signed, hash: identityHash(signed, "other") }],
  ])("refuses %s with SIGNATURE_INVALID", (_what, identity) => {
    const error = refusal(identity);
    expect(StoredeskError.is(error, "SIGNATURE_INVALID")).toBe(true);
    expect(error).toMatchObject({ code: "SIGNATURE_INVALID", path: ["identity", "hash"] });
  });
});
