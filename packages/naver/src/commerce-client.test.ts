import { inspect } from "node:util";
import bcrypt from "bcryptjs";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { manualClock, StoredeskError } from "@storedesk/core";
import { clientSecretSign, naverCommerceClient, tokenBucket } from "./index.js";
import { CLIENT_ID, CLIENT_SECRET, QNAS_URL, TOKEN_URL, tokenEndpoint } from "./test-support.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const start = new Date("2026-03-02T09:00:00+09:00");

describe("naver commerce token", () => {
  it("signs base64(bcrypt(clientId_timestamp)) with the secret as salt", async () => {
    const sign = await clientSecretSign(CLIENT_ID, CLIENT_SECRET, 1_700_000_000_000);
    const hashed = Buffer.from(sign, "base64").toString("utf8");
    expect(hashed.startsWith(CLIENT_SECRET)).toBe(true);
    expect(await bcrypt.compare(`${CLIENT_ID}_1700000000000`, hashed)).toBe(true);
    expect(await bcrypt.compare(`${CLIENT_ID}_1700000000001`, hashed)).toBe(false);
  });

  it("asks for the token with form-encoded client credentials and never sends the secret itself", async () => {
    const endpoint = tokenEndpoint(server);
    const client = naverCommerceClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      clock: manualClock(start),
    });
    expect(await client.accessToken()).toBe("token-1");
    const form = endpoint.calls[0]!;
    expect(endpoint.contentTypes[0]).toContain("application/x-www-form-urlencoded");
    expect(form.get("client_id")).toBe(CLIENT_ID);
    expect(form.get("grant_type")).toBe("client_credentials");
    expect(form.get("type")).toBe("SELF");
    expect(form.get("timestamp")).toBe(String(start.getTime()));
    expect([...form.values()].some((v) => v.includes(CLIENT_SECRET))).toBe(false);
    const hashed = Buffer.from(form.get("client_secret_sign")!, "base64").toString("utf8");
    expect(await bcrypt.compare(`${CLIENT_ID}_${start.getTime()}`, hashed)).toBe(true);
  });

  it("keeps the token until 30 minutes before it expires, then fetches a new one", async () => {
    const endpoint = tokenEndpoint(server, 3 * 3600);
    const clock = manualClock(start);
    const client = naverCommerceClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, clock });
    await client.accessToken();
    clock.advance(2.5 * 3600_000 - 1);
    expect(await client.accessToken()).toBe("token-1");
    clock.advance(1);
    expect(await client.accessToken()).toBe("token-2");
    expect(endpoint.calls).toHaveLength(2);
  });

  it("fetches one token for many concurrent callers", async () => {
    const endpoint = tokenEndpoint(server);
    const client = naverCommerceClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      clock: manualClock(start),
      ratePerSecond: 100,
    });
    const tokens = await Promise.all(Array.from({ length: 8 }, () => client.accessToken()));
    expect(new Set(tokens)).toEqual(new Set(["token-1"]));
    expect(endpoint.calls).toHaveLength(1);
  });
});

describe("naver commerce calls", () => {
  it("waits as long as Retry-After says on 429, then retries", async () => {
    tokenEndpoint(server);
    let calls = 0;
    server.use(
      http.get(QNAS_URL, () =>
        ++calls === 1
          ? HttpResponse.json(
              { code: "GW.RATE_LIMIT", message: "too many" },
              { status: 429, headers: { "retry-after": "3" } },
            )
          : HttpResponse.json({ contents: [] }),
      ),
    );
    const sleeps: number[] = [];
    const client = naverCommerceClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      clock: manualClock(start),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ratePerSecond: 100,
    });
    expect(await client.request({ method: "GET", path: "/v1/contents/qnas" })).toEqual({ contents: [] });
    expect(calls).toBe(2);
    expect(sleeps).toContain(3000);
  });

  it("throws RATE_LIMITED (retryable) when 429 persists past the attempts", async () => {
    tokenEndpoint(server);
    server.use(http.get(QNAS_URL, () => HttpResponse.json({ code: "GW.RATE_LIMIT" }, { status: 429 })));
    const client = naverCommerceClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      clock: manualClock(start),
      sleep: async () => {},
      attempts: 2,
    });
    const err = await client.request({ method: "GET", path: "/v1/contents/qnas" }).catch((e: unknown) => e);
    expect(StoredeskError.is(err, "RATE_LIMITED")).toBe(true);
    expect((err as StoredeskError).retryable).toBe(true);
  });

  it("paces calls with a token bucket: the third call in one second waits", async () => {
    const clock = manualClock(start);
    const sleeps: number[] = [];
    const bucket = tokenBucket({
      ratePerSecond: 2,
      clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.advance(ms);
      },
    });
    await bucket.take();
    await bucket.take();
    expect(sleeps).toEqual([]);
    await bucket.take();
    expect(sleeps).toEqual([500]);
  });

  it("fetches a new token once when the API says 401, then repeats the call", async () => {
    const endpoint = tokenEndpoint(server);
    const auths: string[] = [];
    server.use(
      http.get(QNAS_URL, ({ request }) => {
        auths.push(request.headers.get("authorization") ?? "");
        return auths.length === 1
          ? HttpResponse.json({ code: "GW.AUTHN" }, { status: 401 })
          : HttpResponse.json({ contents: [] });
      }),
    );
    const client = naverCommerceClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      clock: manualClock(start),
    });
    await client.request({ method: "GET", path: "/v1/contents/qnas" });
    expect(auths).toEqual(["Bearer token-1", "Bearer token-2"]);
    expect(endpoint.calls).toHaveLength(2);
  });

  it("never puts the secret, its signature or the token in an error or a log line, even when the API echoes them", async () => {
    const lines: string[] = [];
    let sign = "";
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        sign = new URLSearchParams(await request.text()).get("client_secret_sign") ?? "";
        return HttpResponse.json(
          { code: "GW.AUTHN", message: `bad secret ${CLIENT_SECRET} sign ${sign}` },
          { status: 403 },
        );
      }),
    );
    const client = naverCommerceClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      clock: manualClock(start),
      log: (l) => lines.push(l),
    });
    const err = await client.accessToken().catch((e: unknown) => e);
    expect(StoredeskError.is(err, "PROVIDER_AUTH")).toBe(true);
    const seen = `${(err as Error).message} ${JSON.stringify((err as StoredeskError).toJSON())} ${inspect(err, { depth: 5 })} ${lines.join("\n")}`;
    expect(seen).not.toContain(CLIENT_SECRET);
    expect(seen).not.toContain(sign);

    server.resetHandlers();
    tokenEndpoint(server);
    server.use(
      http.get(QNAS_URL, () => HttpResponse.json({ code: "BAD", message: "token token-1 refused" }, { status: 400 })),
    );
    const again = await client.request({ method: "GET", path: "/v1/contents/qnas" }).catch((e: unknown) => e);
    expect(StoredeskError.is(again, "PROVIDER_ERROR")).toBe(true);
    expect(`${(again as Error).message} ${inspect(again, { depth: 5 })}`).not.toContain("token-1");
  });

  it("refuses a secret that is not a bcrypt salt without naming it", async () => {
    const client = naverCommerceClient({
      clientId: CLIENT_ID,
      clientSecret: "plain-secret-value",
      clock: manualClock(start),
    });
    const err = await client.accessToken().catch((e: unknown) => e);
    expect(StoredeskError.is(err, "INVALID_INPUT")).toBe(true);
    expect(inspect(err, { depth: 5 })).not.toContain("plain-secret-value");
  });
});
