/**
 * Hostile bodies through a real desk, correctly signed (so they reach the parser): every answer is
 * below 500, and what is not accepted writes nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inboundCall, phoneDesk, requestPost, twilioPost } from "./helpers.js";

async function stored(desk: ReturnType<typeof phoneDesk>["desk"]) {
  return (await desk.listTickets()).length;
}

describe("hostile bodies on the phone webhook", () => {
  it("answers any signed JSON value below 500, and only a valid request makes a ticket", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              requestId: fc.string(),
              phone: fc.string(),
              name: fc.jsonValue(),
              preferredAt: fc.string(),
              locale: fc.jsonValue(),
            },
            { requiredKeys: [] },
          ),
        ),
        async (body) => {
          const { desk, clock } = phoneDesk();
          const res = await desk.webhook("phone")(requestPost(body, { at: clock.now() }));
          expect(res.status).toBeLessThan(500);
          expect(await stored(desk)).toBe(res.status === 200 ? 1 : 0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("answers any signed Twilio form below 500", async () => {
    const text = fc.string({ maxLength: 80 });
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(
            "CallSid",
            "From",
            "To",
            "CallStatus",
            "Direction",
            "RecordingUrl",
            "TranscriptionText",
            "TranscriptionStatus",
            "Timestamp",
            "RecordingDuration",
            "__proto__",
            "constructor",
          ),
          text,
        ),
        async (params) => {
          const { desk } = phoneDesk();
          const res = await desk.webhook("phone")(twilioPost(params));
          expect(res.status).toBeLessThan(500);
          if (res.status !== 200) expect(await stored(desk)).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("refuses a body over 1 MB with 413 and survives NUL bytes, lone surrogates and deep nesting", async () => {
    const { desk, clock } = phoneDesk();
    const huge = JSON.stringify({ requestId: "h", phone: "01012345678", reason: "x".repeat(1_100_000) });
    expect((await desk.webhook("phone")(requestPost(huge, { at: clock.now() }))).status).toBe(413);
    const odd = { requestId: "o\u0000\ud800", phone: "010\u00001234\ud8005678", reason: "\u0000\udfff" };
    expect((await desk.webhook("phone")(requestPost(odd, { at: clock.now() }))).status).toBeLessThan(500);
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    expect((await desk.webhook("phone")(requestPost(deep, { at: clock.now() }))).status).toBe(400);
    const weird = inboundCall("+821012345678", "no-answer", { Timestamp: "99999999999999999999" });
    expect((await desk.webhook("phone")(twilioPost(weird))).status).toBe(200);
    const [ticket] = await desk.listTickets({ channel: "phone" });
    // An impossible provider time costs the event nothing: the receive time is used.
    expect((await desk.listMessages(ticket!.id)).at(-1)?.createdAt).toEqual(clock.now());
  });
});
