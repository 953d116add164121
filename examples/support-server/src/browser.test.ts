/**
 * The support server in a real browser: Debian's chromium driven by playwright-core. Skips, saying
 * why, only when no chromium is installed (.ci/run installs it with apt when it can).
 */
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";
import { memoryStore } from "@storedesk/core";
import { callbackRequestEvent } from "@storedesk/phone";
import { DEMO_PASSWORD, createSupportServer } from "./app.js";
import type { SupportServer } from "./app.js";
import { startDemoShop } from "./demo-shop.js";
import { seedDemo } from "./seed.js";
import { serveNode } from "./serve-node.js";
import type { NodeServer } from "./serve-node.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasBrowser = existsSync(CHROMIUM);
const SHOTS = fileURLToPath(new URL("../../../.ci-out/screenshots/", import.meta.url));

/** An instant as the Korean inbox shows it on the shop's clock (Seoul, no daylight saving): "2025년 3월 6일 05:30 GMT+9". */
function seoulKo(instant: string | Date): string {
  const d = new Date(new Date(instant).getTime() + 9 * 3_600_000);
  const hm = [d.getUTCHours(), d.getUTCMinutes()].map((n) => String(n).padStart(2, "0")).join(":");
  return `${d.getUTCFullYear()}년 ${d.getUTCMonth() + 1}월 ${d.getUTCDate()}일 ${hm} GMT+9`;
}

// The machine is shared: a browser step can take seconds under load, so tests get generous time.
describe.skipIf(!hasBrowser)("support server in chromium", { timeout: 120_000 }, () => {
  let browser: Browser;
  let shop: ReturnType<typeof startDemoShop>;
  let server: SupportServer;
  let http: NodeServer;
  let strict: SupportServer;
  let strictHttp: NodeServer;

  beforeAll(async () => {
    shop = startDemoShop();
    server = await createSupportServer({ store: memoryStore() });
    await seedDemo(server.desk);
    http = await serveNode((r) => server.app.fetch(r));
    strict = await createSupportServer({ store: memoryStore(), verifiedOnly: true });
    strictHttp = await serveNode((r) => strict.app.fetch(r));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    for (const s of [http, strictHttp]) await s?.close();
    await server?.close();
    await strict?.close();
    shop?.stop();
  });

  async function visitorPage(path = "/shop?lang=ko"): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const page = await context.newPage();
    await page.goto(`${http.url}${path}`);
    await page.locator(".sdc-launcher").waitFor();
    return page;
  }
  async function agentPage(email = "sora@mocha.example", lang = "ko", timezoneId?: string): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      ...(timezoneId ? { timezoneId } : {}),
    });
    const page = await context.newPage();
    await page.goto(`${http.url}/inbox?lang=${lang}`);
    await page.locator("#login input[name=email]").fill(email);
    await page.locator("#login input[name=password]").fill(DEMO_PASSWORD);
    await page.locator("#login button[type=submit]").click();
    await page.locator("#tickets li").first().waitFor();
    return page;
  }
  async function say(page: Page, text: string): Promise<void> {
    await page.locator("#sdc-input").fill(text);
    await page.locator("#sdc-input").press("Enter");
  }

  it("a customer's chat message reaches the inbox within a second, and the agent's reply reaches the customer", async () => {
    const agent = await agentPage();
    const visitor = await visitorPage();
    await visitor.locator(".sdc-launcher").click();
    const accepted = visitor.waitForResponse((r) => r.url().endsWith("/chat/messages") && r.status() === 202);
    await say(visitor, "안녕하세요, 선물 포장 가능한가요?");
    await accepted;
    const started = Date.now();
    await agent.locator("#tickets button", { hasText: "선물 포장" }).waitFor({ timeout: 1_000 });
    expect(Date.now() - started).toBeLessThan(1_000);
    await agent.locator("#tickets button", { hasText: "선물 포장" }).click();
    await agent.locator("#conversation", { hasText: "선물 포장 가능한가요" }).waitFor();
    await agent.locator("#reply-text").fill("네, 무료로 포장해 드립니다.");
    await agent.locator("#send-reply").click();
    await agent.locator("#conversation", { hasText: "무료로 포장해 드립니다" }).waitFor({ timeout: 15_000 });
    await visitor.locator(".sdc-out", { hasText: "무료로 포장해 드립니다" }).waitFor({ timeout: 15_000 });
    await visitor.screenshot({ path: `${SHOTS}widget.png` });
    await agent.screenshot({ path: `${SHOTS}inbox.png` });
    await agent.context().close();
    await visitor.context().close();
  });

  it("the bot answers a chat question with 예/아니요 buttons, and '아니요' (keyboard) hands the ticket to a person in the inbox", async () => {
    const visitor = await visitorPage("/shop?lang=ko");
    await visitor.locator(".sdc-launcher").click();
    await say(visitor, "반품하면 배송비 얼마예요?");
    await visitor.locator(".sdc-out", { hasText: "6,000원" }).waitFor({ timeout: 15_000 });
    const group = visitor.locator(".sdc-quick[role=group][aria-label='빠른 답장']");
    expect(await group.locator("button").allTextContents()).toEqual(["예", "아니요"]);
    // Keyboard only: the buttons are real buttons in the tab order.
    await group.locator("button", { hasText: "아니요" }).focus();
    const tapped = visitor.waitForRequest((r) => r.url().endsWith("/chat/messages") && r.method() === "POST");
    await visitor.keyboard.press("Enter");
    expect(JSON.parse((await tapped).postData() ?? "{}")).toMatchObject({
      text: "아니요",
      quickReply: { id: "kb:helpful:no:return-fee" },
    });
    await visitor.locator(".sdc-out", { hasText: "상담원에게" }).waitFor({ timeout: 15_000 });
    expect(await visitor.locator(".sdc-quick").count()).toBe(0);
    const [ticket] = await server.desk.listTickets({ channel: "webchat", newestFirst: true, limit: 1 });
    const outbound = (await server.desk.listMessages(ticket!.id)).filter((m) => m.direction === "outbound");
    expect(outbound.map((m) => m.authorKind)).toEqual(["bot", "bot"]); // no acknowledgement on top of the bot's answer
    const agent = await agentPage();
    await agent.locator("#tickets button", { hasText: "반품하면 배송비" }).click();
    await agent.locator("#conversation", { hasText: "상담원에게" }).waitFor();
    expect(await agent.locator("input[aria-label='태그']").inputValue()).toContain("bot-handoff");
    await visitor.screenshot({ path: `${SHOTS}widget-bot.png` });
    await agent.context().close();
    await visitor.context().close();
  });

  it("replies sent while the customer's connection was cut appear after it reconnects", async () => {
    const visitor = await visitorPage("/shop?lang=en");
    await visitor.locator(".sdc-launcher").click();
    const accepted = visitor.waitForResponse((r) => r.url().endsWith("/chat/messages") && r.status() === 202);
    await say(visitor, "Is the dripper dishwasher safe?");
    await accepted;
    const [ticket] = (await server.desk.listTickets({ channel: "webchat", newestFirst: true })).filter((t) =>
      t.subject?.includes("dishwasher"),
    );
    expect(ticket).toBeDefined();
    const reconnects: string[] = [];
    visitor.on("request", (r) => {
      if (r.url().includes("/chat/stream")) reconnects.push(r.url());
    });
    // Cut: the server drops the stream and the network refuses reconnects for a while.
    await visitor.route("**/chat/stream**", (route) => route.abort());
    const visitorId = (await server.desk.getCustomer(ticket!.customerId))!.identities.find(
      (i) => i.kind === "webchat",
    )!.value;
    expect(server.chat.dropConnections(visitorId)).toBeGreaterThan(0);
    await server.desk.reply(ticket!.id, { text: "Yes, it is dishwasher safe.", agentId: "sora" });
    await server.desk.reply(ticket!.id, { text: "Hand washing keeps the glaze longer.", agentId: "sora" });
    await visitor.waitForTimeout(700);
    expect(await visitor.locator(".sdc-out", { hasText: "dishwasher safe" }).count()).toBe(0);
    await visitor.unroute("**/chat/stream**");
    await visitor.locator(".sdc-out", { hasText: "Hand washing keeps the glaze longer." }).waitFor({ timeout: 20_000 });
    await visitor.locator(".sdc-out", { hasText: "Yes, it is dishwasher safe." }).waitFor();
    expect(reconnects.some((u) => u.includes("lastEventId="))).toBe(true);
    await visitor.context().close();
  });

  it("refuses a visitor with a forged identity in verified-only mode, and accepts the signed-in customer", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const refused = page.waitForResponse((r) => r.url().endsWith("/chat/session"));
    await page.goto(`${strictHttp.url}/shop?customer=minji&forged=1&lang=ko`);
    expect((await refused).status()).toBe(401);
    await page.locator(".sdc-status", { hasText: "로그인한 고객만" }).waitFor({ state: "attached" });
    const accepted = page.waitForResponse((r) => r.url().endsWith("/chat/session"));
    await page.goto(`${strictHttp.url}/shop?customer=minji&lang=ko`);
    expect((await accepted).status()).toBe(200);
    const guest = page.waitForResponse((r) => r.url().endsWith("/chat/session"));
    await page.goto(`${strictHttp.url}/shop?lang=ko`);
    expect((await guest).status()).toBe(403);
    await context.close();
  });

  it("an agent without the role for the amount cannot refund: the refund waits for approval and the shop is not called", async () => {
    const agent = await agentPage("sora@mocha.example", "en");
    const before = shop.calls.refunds.length;
    await agent.locator("#tickets button", { hasText: "linen shirt" }).click();
    await agent.locator("#refund").waitFor();
    await agent.locator("input[aria-label=Amount]").fill("39000");
    await agent.locator("input[aria-label=Order]").fill("701234567890301");
    await agent.locator("#refund").click();
    await agent.locator("#refund-result", { hasText: "Pending approval" }).waitFor();
    expect(shop.calls.refunds.length).toBe(before);
    await agent.context().close();
  });

  it("an agent works the seeded call-back from the queue: no answer, a new time, then reached — the first reply is met and the queue empties", async () => {
    // The reschedule input is read on the shop's clock (Seoul) whatever the browser's zone.
    const agent = await agentPage("sora@mocha.example", "ko");
    const row = agent.locator("#callbacks li", { hasText: "정하은" });
    await row.waitFor();
    await row.getByText("010-4821-7730").waitFor();
    expect(await row.locator("[data-attempts]").textContent()).toBe("시도 0/3");
    await row.locator("button[data-outcome=no_answer]").click();
    await row.locator("[data-attempts]", { hasText: "시도 1/3" }).waitFor();
    await row.getByText("지난 통화: 부재중").waitFor();
    await agent.screenshot({ path: `${SHOTS}inbox-callback-queue.png` });
    // The customer asked for tomorrow 14:00 (Seoul) instead.
    const tomorrow = new Date(Date.now() + 9 * 3_600_000 + 24 * 3_600_000).toISOString().slice(0, 10);
    await row.locator("input[type=datetime-local]").fill(`${tomorrow}T14:00`);
    await row.locator("button[data-action=reschedule]").click();
    await row.locator(`[data-due="${new Date(`${tomorrow}T14:00:00+09:00`).toISOString()}"]`).waitFor();
    const [ticket] = await server.desk.listTickets({ channel: "phone" });
    expect((await server.desk.callbacks.state(ticket!.id))?.dueAt).toBe(
      new Date(`${tomorrow}T14:00:00+09:00`).toISOString(),
    );
    // The ticket: a phone ticket takes no text, the call-back panel says where it stands.
    await row.locator("button.open").click();
    await agent.locator("#window-state", { hasText: "문자를 보낼 수 없습니다" }).waitFor();
    await agent.locator("#callback-state[data-state=scheduled]", { hasText: "010-4821-7730" }).waitFor();
    await row.locator("button[data-outcome=reached]").click();
    await agent.locator("#callbacks li.empty", { hasText: "기다리는 콜백이 없습니다" }).waitFor();
    await agent.locator("#callback-state[data-state=completed]").waitFor();
    await agent
      .locator("#sla-state [data-metric=first_reply][data-status=fulfilled]", { hasText: "첫 응답: 충족" })
      .waitFor();
    const logged = (await server.desk.listEvents(ticket!.id)).filter((e) => e.type === "plugin.callbacks.call_logged");
    expect(logged.map((e) => [e.data.outcome, e.actor?.id])).toEqual([
      ["no_answer", "sora"],
      ["reached", "sora"],
    ]);
    await agent.screenshot({ path: `${SHOTS}inbox-callbacks.png` });
    await agent.context().close();
  });

  it("an agent in New York sees message, SLA and call-back times on the shop's Seoul clock with the zone, and books a call in Seoul time", async () => {
    // A message at a known instant: 20:30 UTC is 05:30 the next day in Seoul, 15:30 the same day in New York.
    const sentAt = "2025-03-05T20:30:00.000Z";
    await server.desk.ingest({
      type: "message",
      channel: "email",
      externalId: "<zone-check-1@mail.example>",
      occurredAt: new Date(sentAt),
      from: { identities: [{ kind: "email", value: "noah@example.com" }], name: "Noah Reed", locale: "en" },
      subject: "Clock check order",
      text: "When will my order ship?",
    });
    await server.desk.ingest(
      callbackRequestEvent(
        { requestId: "zone-callback-1", phone: "010-3391-2048", name: "시계확인", locale: "ko" },
        { defaultCountry: "KR" },
        server.desk.clock.now(),
      ),
    );
    const agent = await agentPage("sora@mocha.example", "ko", "America/New_York");
    expect(await agent.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe("America/New_York");

    await agent.locator("#tickets button", { hasText: "Clock check order" }).click();
    const byline = agent.locator("#conversation .msg[data-direction=inbound] small").first();
    await byline.waitFor();
    expect(await byline.textContent()).toBe("고객 · email · 2025년 3월 6일 05:30 GMT+9");
    expect(await byline.locator("time").getAttribute("datetime")).toBe(sentAt);
    expect(await agent.locator("#shop-zone").textContent()).toBe("매장 시간: Asia/Seoul");

    // The customer asks for tomorrow 14:00 Seoul time: typed as the shop's wall time, booked as 05:00 UTC.
    const row = agent.locator("#callbacks li", { hasText: "시계확인" });
    await row.waitFor();
    const tomorrow = new Date(Date.now() + 9 * 3_600_000 + 24 * 3_600_000).toISOString().slice(0, 10);
    const booked = new Date(`${tomorrow}T14:00:00+09:00`).toISOString();
    await row.locator("input[type=datetime-local]").fill(`${tomorrow}T14:00`);
    await row.locator("button[data-action=reschedule]").click();
    const due = row.locator(`[data-due="${booked}"]`);
    await due.waitFor();
    expect(await due.textContent()).toBe(`예정 ${seoulKo(booked)}`);
    expect(await row.locator("input[type=datetime-local]").inputValue()).toBe(`${tomorrow}T14:00`);
    await row.locator("small.zone", { hasText: "GMT+9" }).waitFor();

    // The SLA line says when the running first-reply clock breaches, on the same clock.
    const ticketId = (await row.getAttribute("data-ticket"))!;
    const firstReply = (await server.desk.getTicket(ticketId)).sla?.metrics.find((m) => m.metric === "first_reply");
    expect(firstReply?.status).toBe("active");
    await row.locator("button.open").click();
    // The panel of the ticket open before (the e-mail, another due time) shows until this one loads:
    // wait for this ticket's line, then check it whole.
    const expected = `첫 응답: 진행 중 · 마감 ${seoulKo(firstReply!.dueAt!)}`;
    const sla = agent.locator("#sla-state [data-metric=first_reply][data-status=active]", { hasText: expected });
    await sla.waitFor();
    expect(await sla.textContent()).toBe(expected);
    await agent.locator("#callback-state", { hasText: `예정 ${seoulKo(booked)}` }).waitFor();
    await agent.screenshot({ path: `${SHOTS}inbox-shop-zone.png` });
    await server.desk.callbacks.cancel(ticketId, "zone test done", { agentId: "sora" });
    await agent.context().close();
  });

  it("the storefront widget shows message times on the shop's Seoul clock with the zone, for a visitor in New York", async () => {
    const context = await browser.newContext({ timezoneId: "America/New_York" });
    const visitor = await context.newPage();
    await visitor.goto(`${http.url}/shop?lang=ko`);
    await visitor.locator(".sdc-launcher").click();
    const accepted = visitor.waitForResponse((r) => r.url().endsWith("/chat/messages") && r.status() === 202);
    await say(visitor, "뉴욕에서 보내는 시간 확인 메시지");
    await accepted;
    const [ticket] = (await server.desk.listTickets({ channel: "webchat", newestFirst: true })).filter((t) =>
      t.subject?.includes("뉴욕에서 보내는"),
    );
    const [message] = await server.desk.listMessages(ticket!.id);
    // The widget's own Korean style (오전/오후), on Seoul's clock: "오후 2:07 GMT+9".
    const d = new Date(message!.createdAt.getTime() + 9 * 3_600_000);
    const hour = d.getUTCHours() % 12 || 12;
    const expected = `${d.getUTCHours() < 12 ? "오전" : "오후"} ${hour}:${String(d.getUTCMinutes()).padStart(2, "0")} GMT+9`;
    // Shown by the server's copy of the message (its id set), not the "sending" placeholder.
    const bubble = visitor.locator(".sdc-in[data-message-id]", { hasText: "뉴욕에서 보내는" });
    await bubble.waitFor();
    expect(await bubble.locator(".sdc-meta").textContent()).toBe(expected);
    await context.close();
  });

  it("the widget works with the keyboard alone: open, write, send, close with focus back on the launcher", async () => {
    const visitor = await visitorPage("/shop?lang=ko");
    for (
      let i = 0;
      i < 10 && !(await visitor.evaluate(() => document.activeElement?.classList.contains("sdc-launcher")));
      i++
    ) {
      await visitor.keyboard.press("Tab");
    }
    expect(await visitor.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("채팅 상담 열기");
    await visitor.keyboard.press("Enter");
    expect(await visitor.evaluate(() => document.activeElement?.id)).toBe("sdc-input");
    expect(await visitor.locator(".sdc-launcher").getAttribute("aria-expanded")).toBe("true");
    await visitor.keyboard.type("키보드로만 보내는 메시지");
    const accepted = visitor.waitForResponse((r) => r.url().endsWith("/chat/messages") && r.status() === 202);
    await visitor.keyboard.press("Enter");
    await accepted;
    await visitor.locator(".sdc-in", { hasText: "키보드로만 보내는 메시지" }).waitFor();
    await visitor.keyboard.press("Escape");
    expect(await visitor.locator("#sdc-panel").isHidden()).toBe(true);
    expect(await visitor.evaluate(() => document.activeElement?.classList.contains("sdc-launcher"))).toBe(true);
    await visitor.context().close();
  });

  it("renders Korean text with real glyphs (not boxes) in the inbox and the widget, shown in the saved screenshots", async () => {
    expect(existsSync(`${SHOTS}inbox.png`) && existsSync(`${SHOTS}widget.png`)).toBe(true);
    const page = await visitorPage("/shop?lang=ko");
    // Missing glyphs all draw the same box: distinct syllables drawing distinct pixels means a Hangul font rendered them.
    const distinct = await page.evaluate(() => {
      const canvas = document.createElement("canvas");
      canvas.width = 64;
      canvas.height = 64;
      const ctx = canvas.getContext("2d")!;
      const font = getComputedStyle(document.querySelector(".sdc-root")!).fontFamily;
      const draw = (ch: string) => {
        ctx.clearRect(0, 0, 64, 64);
        ctx.font = `40px ${font}`;
        ctx.fillText(ch, 4, 48);
        return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(",");
      };
      return new Set(["가", "각", "힣", "한", "글"].map(draw)).size;
    });
    expect(distinct).toBe(5);
    await page.context().close();
  });
});

if (!hasBrowser) {
  describe("support server in chromium", () => {
    it.skip(`needs chromium at ${CHROMIUM} (apt-get install -y chromium fonts-nanum); none is installed`, () =>
      undefined);
  });
}
