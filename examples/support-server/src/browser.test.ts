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
import { DEMO_PASSWORD, createSupportServer } from "./app.js";
import type { SupportServer } from "./app.js";
import { startDemoShop } from "./demo-shop.js";
import { seedDemo } from "./seed.js";
import { serveNode } from "./serve-node.js";
import type { NodeServer } from "./serve-node.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasBrowser = existsSync(CHROMIUM);
const SHOTS = fileURLToPath(new URL("../../../.ci-out/screenshots/", import.meta.url));

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
    // Seoul's wall clock in the browser: the reschedule input is read in the agent's zone.
    const agent = await agentPage("sora@mocha.example", "ko", "Asia/Seoul");
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
