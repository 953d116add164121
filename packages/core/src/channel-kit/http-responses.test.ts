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
