/**
 * The support server: one desk with every channel, its webhooks, the live chat, phone
 * call-backs, the agent API, the inbox page and a demo storefront, as one Hono app. `main.ts`
 * runs it on Node.
 */
import { readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { Hono } from "hono";
import { createDesk, defineCalendar, signHmac } from "@storedesk/core";
import type { ActionPlanInput, Clock, Store, TemplateInput } from "@storedesk/core";
import { emailChannel } from "@storedesk/email";
import type { MailTransport } from "@storedesk/email";
import { metaChannel } from "@storedesk/meta";
import { phoneCallbacks, signCallbackRequest, twilioSignature } from "@storedesk/phone";
import { createCommerceActions, shopifyCommerce, shopifyWebhooks } from "@storedesk/shopify";
import { identityHash, webchatChannel, webchatServer } from "@storedesk/webchat";
import type { PrechatSettings, WebchatBus } from "@storedesk/webchat";
import { defineTemplateRegistry, whatsappChannel } from "@storedesk/whatsapp";
import { knowledgePlugin } from "@storedesk/knowledge";
import { DEMO_FAQ } from "./faq.js";
import { agentApi } from "./agent-api.js";
import { agentAuth, hashPassword } from "./auth.js";
import type { AgentAccount } from "./auth.js";
import { DEMO_SHOP } from "./demo-shop.js";
import { inboxPages } from "./inbox-page.js";
import { storefrontPage } from "./storefront-page.js";

/** Demo secrets: a real deployment reads every one of these from its environment. */
export const DEMO_SECRETS = {
  chat: "demo-chat-session-secret",
  chatIdentity: "demo-chat-identity-secret",
  email: "demo-email-webhook-secret",
  whatsappApp: "demo-whatsapp-app-secret",
  metaApp: "demo-meta-app-secret",
  callback: "demo-callback-request-secret",
  twilio: "demo-twilio-auth-token",
} as const;

/** Call-backs: three failed attempts, then give up; an hour of office time between attempts. */
export const CALLBACK_POLICY = { maxAttempts: 3, retryAfterMinutes: 60 } as const;

/** The demo agents and their password (printed at start). */
export const DEMO_PASSWORD = "demo1234";
export const DEMO_AGENTS: Array<Omit<AgentAccount, "passwordHash">> = [
  { id: "sora", name: "한소라", email: "sora@mocha.example", role: "agent" },
  { id: "hana", name: "오하나", email: "hana@mocha.example", role: "lead" },
  { id: "alex", name: "Alex Kim", email: "alex@mocha.example", role: "admin" },
];

/** Refunds and codes per role: the desk's action plans hold the limits, not the inbox. */
const limits = [
  { role: "agent", maxAmount: 10_000, maxPercent: 10 },
  { role: "lead", maxAmount: 100_000, maxPercent: 30 },
];
export const ACTION_PLANS: ActionPlanInput[] = [
  "product",
  "shipping",
  "refund_exchange",
  "order_change",
  "payment",
  "complaint",
  "other",
].map((category) => ({
  category: category as ActionPlanInput["category"],
  responsibleTeam: "cs",
  decisionMaker: "lead",
  informationNeeded: ["order number"],
  channels: ["webchat", "email", "whatsapp"],
  serviceHours: "Mon–Fri 09:00–18:00 KST",
  compensation: { currency: "KRW", kinds: ["discount_code", "refund"], limits, approverRole: "admin" },
}));

/** Reply templates the inbox offers (Korean and English). */
export const SHOP_TEMPLATES: TemplateInput[] = [
  {
    id: "greeting",
    name: "인사 / Greeting",
    locales: {
      ko: { body: "안녕하세요 {{customer.name}}님, 모카샵 고객센터입니다. 무엇을 도와드릴까요?" },
      en: { body: "Hello {{customer.name}}, this is Mocha Shop support. How can I help?" },
    },
  },
  {
    id: "tracking",
    name: "배송 조회 / Tracking",
    locales: {
      ko: { body: "주문하신 상품은 배송 중입니다. 배송 조회는 여기서 하실 수 있어요." },
      en: { body: "Your order is on its way. You can track it from your order page." },
    },
  },
  {
    id: "sorry",
    name: "사과 / Apology",
    locales: {
      ko: { body: "불편을 드려 정말 죄송합니다. 바로 확인해서 해결해 드리겠습니다." },
      en: { body: "We are very sorry for the trouble. We are looking into it right now." },
    },
  },
];

/** Options of {@link createSupportServer}. */
export interface SupportServerOptions {
  store: Store;
  clock?: Clock;
  /** Fan-out between instances (postgresBus on a server database). Default in process. */
  bus?: WebchatBus;
  /** Refuse chat visitors the shop did not sign in. */
  verifiedOnly?: boolean;
  /** Mail that left (the demo keeps it in memory instead of an SMTP relay). */
  mailbox?: unknown[];
  /** The chat's pre-chat form (fields asked before the first message). Default none. */
  prechat?: PrechatSettings | null;
}

/**
 * The shop as the desk knows it. Its zone is the office's and the one every page shows times in:
 * an agent working from another zone must read the shop's wall clock, not the laptop's.
 */
export const SHOP = { name: "모카샵", defaultLocale: "ko", timeZone: "Asia/Seoul" } as const;

/** The Seoul office: weekdays 09:00–18:00. */
export const OFFICE_HOURS = defineCalendar({
  id: "mocha-seoul",
  timeZone: SHOP.timeZone,
  weekly: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ start: "09:00", end: "18:00" }]])),
});

/** The widget script: the package's build, or built here in memory with esbuild when not built yet. */
async function widgetScript(): Promise<string> {
  const require = createRequire(import.meta.url);
  const pkgDir = require.resolve("@storedesk/webchat/package.json").replace(/package\.json$/, "");
  const built = `${pkgDir}dist/widget.global.js`;
  if (existsSync(built)) return readFileSync(built, "utf8");
  const esbuild = await import("esbuild");
  const out = await esbuild.build({
    entryPoints: [`${pkgDir}src/widget/main.ts`],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    write: false,
  });
  return out.outputFiles[0]!.text;
}

/**
 * Makes the whole support server as a Hono app.
 *
 * @example
 * const server = await createSupportServer({ store: memoryStore() });
 * serve({ fetch: server.app.fetch, port: 3000 });
 */
export async function createSupportServer(options: SupportServerOptions) {
  const mailbox = options.mailbox ?? [];
  const transport: MailTransport = {
    async sendMail(mail) {
      mailbox.push(mail);
      return { messageId: `<${mailbox.length}.${Date.now()}@mocha.example>`, accepted: [mail.to] };
    },
  };
  const email = emailChannel({
    from: { address: "support@mocha.example", name: "모카샵 고객센터" },
    transport,
    webhookSecret: DEMO_SECRETS.email,
    replyTo: "plus-address",
  });
  const whatsapp = whatsappChannel({
    accessToken: "demo-wa-token",
    appSecret: DEMO_SECRETS.whatsappApp,
    verifyToken: "demo-verify",
    phoneNumberId: "106540352242922",
    templates: defineTemplateRegistry([
      { name: "support_followup", language: "ko", category: "utility", parameters: { body: 1 } },
    ]),
  });
  const meta = metaChannel({
    pageAccessToken: "demo-page-token",
    appSecret: DEMO_SECRETS.metaApp,
    verifyToken: "demo-verify",
    pageId: "1234567890",
  });
  const webchat = webchatChannel({
    secret: DEMO_SECRETS.chat,
    identitySecret: DEMO_SECRETS.chatIdentity,
    verifiedOnly: options.verifiedOnly ?? false,
    prechat: options.prechat ?? null,
    offlineMail: email,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  // Call-back requests from the shop's server and Twilio's missed calls; calls only in office hours.
  // No SMS sender in the demo: nothing is texted to callers, agents call and log the call.
  const phone = phoneCallbacks({
    secret: DEMO_SECRETS.callback,
    twilio: { authToken: DEMO_SECRETS.twilio },
    callingHours: OFFICE_HOURS,
    ...CALLBACK_POLICY,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const commerce = shopifyCommerce({
    shop: DEMO_SHOP.domain,
    accessToken: DEMO_SHOP.accessToken,
    sleep: async () => {},
    fetch: (input, init) => fetch(input, init),
  });
  const agents = DEMO_AGENTS.map((a) => ({ id: a.id, name: a.name, role: a.role }));
  const desk = createDesk({
    store: options.store,
    channels: [webchat, email, whatsapp, meta.messenger, meta.instagram, phone.channel],
    commerce,
    agents,
    // The answer bot in the chat: answers from the FAQ with 예/아니요 buttons, hands the rest to a person.
    plugins: [
      knowledgePlugin({ calendar: OFFICE_HOURS, bot: { channels: ["webchat"], humanOnlyCategories: ["payment"] } }),
      phone.plugin,
    ],
    actionPlans: ACTION_PLANS,
    templates: SHOP_TEMPLATES,
    sla: { calendar: OFFICE_HOURS },
    shop: SHOP,
    ...(options.clock ? { clock: options.clock } : {}),
    templateOutsideWindow: ({ channel, customer }) =>
      channel === "whatsapp"
        ? { name: "support_followup", language: "ko", parameters: { body: [customer.name ?? "고객"] } }
        : null,
  });
  await desk.knowledge.base.articles.importMany(DEMO_FAQ, "import:demo");
  const accounts: AgentAccount[] = await Promise.all(
    DEMO_AGENTS.map(async (a) => ({ ...a, passwordHash: await hashPassword(DEMO_PASSWORD) })),
  );
  const auth = agentAuth(accounts);
  const chat = webchatServer({
    desk,
    channel: webchat,
    calendar: OFFICE_HOURS,
    agentsOnline: () => auth.signedIn() > 0,
    ...(options.bus ? { bus: options.bus } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const actions = createCommerceActions({
    commerce,
    store: options.store,
    plans: ACTION_PLANS,
    agents,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const shopify = shopifyWebhooks({
    secret: DEMO_SHOP.webhookSecret,
    store: options.store,
    desk,
    shopDomain: DEMO_SHOP.domain,
    defaultLocale: "ko",
  });
  const widget = await widgetScript();

  const app = new Hono();
  // Every channel's webhook, as the providers call them.
  app.all("/webhooks/email", (c) => desk.webhook("email")(c.req.raw));
  app.all("/webhooks/whatsapp", (c) => desk.webhook("whatsapp")(c.req.raw));
  app.all("/webhooks/meta", (c) => desk.webhook("messenger")(c.req.raw));
  app.all("/webhooks/phone", (c) => desk.webhook("phone")(c.req.raw));
  app.post("/webhooks/shopify", (c) => shopify(c.req.raw));
  // Live chat: the widget's API and the script itself.
  app.all("/chat/*", (c) => chat.fetch(c.req.raw));
  app.get(
    "/widget.js",
    () =>
      new Response(widget, {
        headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" },
      }),
  );
  app.route(
    "/api",
    agentApi({
      desk,
      auth,
      chat,
      actions,
      channels: { whatsapp, meta },
      templates: SHOP_TEMPLATES,
      callbacks: { methods: desk.callbacks, maxAttempts: CALLBACK_POLICY.maxAttempts },
    }),
  );
  app.route("/inbox", inboxPages({ auth, timeZone: SHOP.timeZone }));
  app.get("/", (c) => c.redirect("/inbox"));
  app.get("/shop", (c) => {
    // A signed-in shop customer: the shop's server computes the identity hash (over id, email and
    // Shopify id, exactly as sent), never the browser.
    const who = c.req.query("customer");
    const known = {
      minji: { id: "7012345678901", email: "kim@example.com", name: "김민지", shopifyCustomerId: "7012345678901" },
    } as const;
    const customer = who === "minji" ? known.minji : null;
    const identity = customer ? { ...customer, hash: identityHash(customer, DEMO_SECRETS.chatIdentity) } : null;
    return c.html(
      storefrontPage({
        lang: c.req.query("lang") === "en" ? "en" : "ko",
        identity,
        forged: c.req.query("forged") === "1",
        timeZone: SHOP.timeZone,
      }),
    );
  });
  app.get("/healthz", (c) => c.json({ ok: true }));

  return {
    app,
    desk,
    chat,
    auth,
    actions,
    mailbox,
    /** Signs a Shopify webhook body like Shopify does (demo and tests). */
    signShopify: (body: string) => signHmac(body, DEMO_SHOP.webhookSecret, "base64"),
    /** Signs a call-back request body as the shop's server does (demo and tests). */
    signCallback: (body: string) => signCallbackRequest(body, DEMO_SECRETS.callback, desk.clock.now()),
    /** Twilio's signature of a form post to `url` (demo and tests). */
    signTwilio: (url: string, form: URLSearchParams) => twilioSignature(url, form, DEMO_SECRETS.twilio),
    async close(): Promise<void> {
      await chat.close();
    },
  };
}

/** A support server made by {@link createSupportServer}. */
export type SupportServer = Awaited<ReturnType<typeof createSupportServer>>;
