import { describe, expect, it } from "vitest";
import { errorResponse, readRawBody, readRawBytes } from "./http-responses.js";
import { StoredeskError } from "../errors.js";

function streamed(chunks: number, size: number): Request {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ >= chunks) controller.close();
      else controller.enqueue(new Uint8Array(size).fill(97));
    },
  });
  return new Request("http://x", { method: "POST", body, duplex: "half" } as RequestInit);
}

describe("readRawBody", () => {
  it("reads a body in chunks, UTF-8 decoded", async () => {
    expect(await readRawBody(new Request("http://x", { method: "POST", body: "안녕하세요" }))).toBe("안녕하세요");
    expect((await readRawBytes(streamed(4, 1000))).byteLength).toBe(4000);
  });

  it("stops a chunked body past the limit without reading the rest, answered 413", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(64 * 1024));
      },
    }); // endless
    const err = await readRawBytes(
      new Request("http://x", { method: "POST", body, duplex: "half" } as RequestInit),
      1024 * 1024,
    ).catch((e: unknown) => e);
    expect(StoredeskError.is(err, "INVALID_INPUT")).toBe(true);
    expect(pulled).toBeLessThan(40);
    expect(errorResponse(err).status).toBe(413);
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    const req = new Request("http://x", {
      method: "POST",
      body: "x".repeat(100),
      headers: { "content-length": "999999999" },
    });
    await expect(readRawBytes(req, 1000)).rejects.toMatchObject({ code: "INVALID_INPUT", details: { tooLarge: true } });
  });
});

describe("errorResponse", () => {
  const status = (code: ConstructorParameters<typeof StoredeskError>[0]["code"], extra: object = {}) =>
    errorResponse(new StoredeskError({ code, message: "m", ...extra })).status;

  it("answers the caller's and the state's refusals with 4xx, never 5xx", () => {
    expect(status("INVALID_INPUT")).toBe(400);
    expect(status("SIGNATURE_INVALID")).toBe(401);
    expect(status("NOT_FOUND")).toBe(404);
    for (const code of ["CONFLICT", "ILLEGAL_TRANSITION", "TICKET_CLOSED", "REPLY_WINDOW_CLOSED"] as const)
      expect(status(code), code).toBe(409);
    expect(status("LIMIT_EXCEEDED")).toBe(403);
    expect(status("APPROVAL_REQUIRED")).toBe(403);
    expect(status("RATE_LIMITED")).toBe(429);
  });

  it("keeps 5xx for the server's and the providers' trouble", () => {
    expect(status("UNSUPPORTED")).toBe(501);
    expect(status("PROVIDER_ERROR")).toBe(502);
    expect(status("PROVIDER_AUTH")).toBe(502);
    expect(status("PROVIDER_UNAVAILABLE")).toBe(503);
    expect(status("INTERNAL")).toBe(500);
    expect(errorResponse(new Error("boom")).status).toBe(500);
  });

  it("asks to come back later (503, Retry-After) for a retryable error that says when", () => {
    const busy = errorResponse(
      new StoredeskError({ code: "CONFLICT", message: "in progress", details: { retryAfterSeconds: 60 } }),
    );
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("60");
    const limited = errorResponse(
      new StoredeskError({ code: "RATE_LIMITED", message: "slow down", details: { retryAfterSeconds: 2.5 } }),
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
  });
});
