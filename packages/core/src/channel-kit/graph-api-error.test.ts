import { describe, expect, it } from "vitest";
import { graphApiError, parseGraphErrorBody } from "./graph-api-error.js";
import { hubChallengeResponse, verifyHubSignature } from "./hub-webhook.js";
import { redactSecrets } from "./redact-secrets.js";

describe("verifyHubSignature", () => {
  // vector: printf '%s' '{"object":"whatsapp_business_account","entry":[]}' | openssl dgst -sha256 -hmac test-app-secret
  const body = '{"object":"whatsapp_business_account","entry":[]}';
  const sig = "sha256=c84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384dc";
  it("accepts the known vector and rejects a wrong secret, a missing prefix and no header", () => {
    expect(verifyHubSignature(body, sig, "test-app-secret")).toBe(true);
    expect(verifyHubSignature(body, sig, "other")).toBe(false);
    expect(verifyHubSignature(body, sig.slice("sha256=".length), "test-app-secret")).toBe(false);
    expect(verifyHubSignature(body, null, "test-app-secret")).toBe(false);
  });
});

describe("hubChallengeResponse", () => {
  it("echoes the challenge only for subscribe with the right token", async () => {
    const ok = hubChallengeResponse(
      new Request("https://x/?hub.mode=subscribe&hub.verify_token=t0k&hub.challenge=42"),
      "t0k",
    );
    expect([ok.status, await ok.text()]).toEqual([200, "42"]);
    expect(
      hubChallengeResponse(new Request("https://x/?hub.mode=subscribe&hub.verify_token=t0K&hub.challenge=42"), "t0k")
        .status,
    ).toBe(403);
    expect(hubChallengeResponse(new Request("https://x/?hub.mode=subscribe&hub.verify_token=t0k"), "t0k").status).toBe(
      403,
    );
  });
});

describe("graphApiError", () => {
  it("maps product codes first, then rate limits, auth, outages and the rest", () => {
    const map = (status: number | null, code?: number, codes?: Record<number, "REPLY_WINDOW_CLOSED">) =>
      graphApiError({ provider: "p", status, error: code === undefined ? null : { code }, ...(codes ? { codes } : {}) })
        .code;
    expect(map(400, 131047, { 131047: "REPLY_WINDOW_CLOSED" })).toBe("REPLY_WINDOW_CLOSED");
    expect(map(429)).toBe("RATE_LIMITED");
    expect(map(400, 80007)).toBe("RATE_LIMITED");
    expect(map(400, 190)).toBe("PROVIDER_AUTH");
    expect(map(401)).toBe("PROVIDER_AUTH");
    expect(map(502)).toBe("PROVIDER_UNAVAILABLE");
    expect(map(null)).toBe("PROVIDER_UNAVAILABLE");
    expect(map(400, 100)).toBe("PROVIDER_ERROR");
  });

  it("keeps code, subcode and trace id in details and scrubs secrets from the message", () => {
    const err = graphApiError({
      provider: "p",
      status: 400,
      error: parseGraphErrorBody(
        JSON.stringify({ error: { message: "bad token SECRET123", code: 190, error_subcode: 463, fbtrace_id: "Tr" } }),
      ),
      secrets: ["SECRET123"],
    });
    expect(err.message).not.toContain("SECRET123");
    expect(err.details).toMatchObject({ providerCode: 190, providerSubcode: 463, traceId: "Tr", status: 400 });
  });

  it("reads no error from a non-JSON body and redacts every occurrence", () => {
    expect(parseGraphErrorBody("<html>")).toBeNull();
    expect(redactSecrets("a SECRET b SECRET", ["SECRET", "x"])).toBe("a [redacted] b [redacted]");
  });
});
