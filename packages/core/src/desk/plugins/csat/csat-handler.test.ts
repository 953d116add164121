import { describe, expect, it } from "vitest";
import { memoryStore } from "../../../store-memory/index.js";
import { manualClock } from "../../../ports/clock.js";
import { memoryChannel } from "../../../testing/memory-channel.js";
import { createDesk } from "../../create-desk.js";
import { csatPlugin } from "./csat-plugin.js";
import { signSurveyToken, verifySurveyToken } from "./survey-token.js";

const HOUR = 3_600_000;
const SECRET = "test-secret";

async function emailDesk() {
  const clock = manualClock(new Date("2026-03-02T01:00:00Z"));
  const mail = memoryChannel({ id: "email" });
  const desk = createDesk({
    outbox: { wait: "sent" },
    store: memoryStore(),
    clock,
    channels: [mail],
    autoAcknowledge: false,
    ownsStore: true,
    plugins: [csatPlugin({ secret: SECRET, linkBaseUrl: "https://shop.example/csat" })],
  });
  const { ticket } = await desk.ingest({
    type: "message",
    channel: "email",
    externalId: "<m1@example.com>",
    occurredAt: clock.now(),
    text: "환불은 언제 되나요?",
    from: { identities: [{ kind: "email", value: "lee@example.com" }] },
  });
  await desk.reply(ticket!.id, { text: "오늘 처리했습니다", agentId: "park", status: "solved" });
  clock.advance(24 * HOUR + 1000);
  await desk.runDue();
  const links = [...(mail.sent[1]?.text ?? "").matchAll(/https:\/\/\S+/g)].map((m) => m[0]);
  return { desk, clock, mail, ticketId: ticket!.id, links };
}

describe("csat e-mail links", () => {
  it("an e-mail survey has five signed links; one click records the rating once, then the comment form adds a comment", async () => {
    const { desk, ticketId, links, mail } = await emailDesk();
    expect(links).toHaveLength(5);
    expect(mail.sent[1]?.html).toContain("<a href=");
    const handler = desk.csat.handler();
    const first = await handler(new Request(links[3]!));
    expect(first.status).toBe(200);
    const html = await first.text();
    expect(html).toContain("평가해 주셔서 감사합니다");
    expect((await desk.csat.survey(ticketId))?.rating).toBe(4);
    const again = await handler(new Request(links[0]!));
    expect(again.status).toBe(409);
    expect((await desk.csat.survey(ticketId))?.rating).toBe(4);

    const commentToken = /name="token" value="([^"]+)"/.exec(html)![1]!;
    const post = await handler(
      new Request("https://shop.example/csat", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: commentToken, comment: "빨랐어요" }).toString(),
      }),
    );
    expect(post.status).toBe(200);
    expect((await desk.csat.survey(ticketId))?.comment).toBe("빨랐어요");
    const events = await desk.listEvents(ticketId);
    expect(events.filter((e) => e.type === "csat.received")).toHaveLength(1);
    expect(events.find((e) => e.type === "csat.received")?.data).toMatchObject({
      rating: 4,
      agentId: "park",
      channel: "email",
    });
    expect(events.find((e) => e.type === "csat.commented")?.data.comment).toBe("빨랐어요");
    await desk.close();
  });

  it("a forged, tampered or expired link is refused and records nothing", async () => {
    const { desk, clock, ticketId, links } = await emailDesk();
    const handler = desk.csat.handler();
    const forged = signSurveyToken({ ticketId, rating: 5, expiresAt: clock.now().getTime() + HOUR }, "other-secret");
    expect((await handler(new Request(`https://shop.example/csat?token=${forged}`))).status).toBe(400);
    const url = new URL(links[4]!);
    const token = url.searchParams.get("token")!;
    const body = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as Record<string, unknown>;
    const tampered = `${Buffer.from(JSON.stringify({ ...body, r: 1 })).toString("base64url")}.${token.split(".")[1]}`;
    expect((await handler(new Request(`https://shop.example/csat?token=${tampered}`))).status).toBe(400);
    clock.advance(8 * 24 * HOUR);
    expect(verifySurveyToken(token, SECRET, clock.now())).toEqual({ ok: false, reason: "expired" });
    expect((await handler(new Request(links[4]!))).status).toBe(410);
    expect((await desk.csat.survey(ticketId))?.state).toBe("sent");
    await desk.close();
  });
});
