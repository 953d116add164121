/**
 * What the docs' code blocks assume without showing it: the values a reader has already (a desk,
 * a store, a Hono `app`, secrets from the environment) and, for guides whose blocks are steps of
 * one program, the imports an earlier block made. Each block is compiled with its guide's prelude
 * before it; a name the block declares itself is taken out of the prelude first.
 *
 * Keep a prelude to values a reader can tell from the prose. README's blocks get only values
 * (no imports), so what a user copies from it compiles once those values exist.
 */

/** Values every doc may assume. */
const values = `
import type { Hono } from "hono";
import type { BusinessCalendar, ChannelAdapter, Customer, Desk, Message, Store, Ticket } from "@storedesk/core";
declare const app: Hono;
declare const desk: Desk;
declare const store: Store;
declare const ticket: Ticket;
declare const customer: Customer;
declare const messages: Message[];
declare const tickets: Ticket[];
declare const ticketId: string;
declare const otherTicketId: string;
declare const customerId: string;
declare const agentId: string;
declare const seoul: BusinessCalendar;
declare const chat: ChannelAdapter;
`;

/**
 * Modules a reader installs that the workspace does not depend on, declared by the shape the
 * docs use (written as an ambient `.d.ts` beside the blocks).
 */
export const ambientModules = `
declare module "@ai-sdk/openai" {
  export function openai(modelId: string): import("ai").LanguageModel;
}
`;

/** Preludes by doc path (relative to the repository root); a doc not listed gets {@link values} only. */
export const docPreludes: Record<string, string> = {
  "README.md": `${values}
import type { emailChannel } from "@storedesk/email";
declare const smtp: Parameters<typeof emailChannel>[0]["smtp"];
declare const webhookSecret: string;
declare const accessToken: string;
declare function page(text: string): void;
`,
  "docs/guides/quick-start.md": `${values}
import { createDesk } from "@storedesk/core";
import type { shopifyCommerce } from "@storedesk/shopify";
declare const commerce: ReturnType<typeof shopifyCommerce>;
`,
  "docs/guides/ai.md": `${values}
import { aiClassifier } from "@storedesk/ai";
import type { LanguageModel } from "ai";
import type { CustomerContext, KnowledgeBase } from "@storedesk/core";
import { expect } from "vitest";
declare const model: LanguageModel;
declare const context: CustomerContext;
declare const knowledgeBase: KnowledgeBase;
`,
  "docs/guides/classification.md": `${values}
/** The shop's own labelled history (its categories, not storedesk's tickets). */
declare const tickets: { firstMessage: string; category: string }[];
`,
  "docs/guides/email.md": `${values}
import { createDesk } from "@storedesk/core";
declare const user: string;
declare const pass: string;
`,
  "docs/guides/knowledge-and-bot.md": `${values.replace("declare const desk: Desk;", "")}
import { attachAnswerBot, createKnowledge, knowledgePlugin } from "@storedesk/knowledge";
declare const knowledge: ReturnType<typeof createKnowledge>;
declare const whatsapp: ChannelAdapter;
declare const messenger: ChannelAdapter;
declare const csvText: string;
declare const knowledgeDesk: () => ReturnType<typeof import("@storedesk/core").createDesk<[ReturnType<typeof knowledgePlugin>]>>;
declare const desk: ReturnType<typeof knowledgeDesk>;
`,
  "docs/guides/korean-channels.md": `${values}
import { createDesk } from "@storedesk/core";
import { naverCommerceClient, naverQnaChannel, naverQnaPoller, naverTalkTalkChannel, talkTalkWebhook } from "@storedesk/naver";
import { alimTalkChannel, defineAlimTalkTemplates, kakaoSkillChannel, kakaoSkillHandler, lunasoftAlimTalkProvider } from "@storedesk/kakao";
import type { EventEmitter } from "node:events";
declare const clientId: string;
declare const clientSecret: string;
declare const partnerKey: string;
declare const webhookToken: string;
declare const guardianConsent: Parameters<typeof naverTalkTalkChannel>[0]["guardianConsent"];
declare const skillToken: string;
declare const agentKey: string;
declare const senderKey: string;
declare const callback: string;
declare const bot: Parameters<typeof talkTalkWebhook>[0]["answer"];
declare function log(err: unknown): void;
/** The shop's own events (not storedesk's). */
declare const shop: EventEmitter<{ fulfillment: [{ customerId: string; name: string; order: string; tracking: string }] }>;
`,
  "docs/guides/live-chat.md": `${values}
import type { emailChannel } from "@storedesk/email";
import type pg from "pg";
declare const email: ReturnType<typeof emailChannel>;
declare const officeHours: BusinessCalendar;
declare const inbox: { signedInAgents(): number };
declare const pool: pg.Pool;
`,
  "docs/guides/measurement.md": `${values.replace("declare const desk: Desk;", "")}
import { assignVariant, defineTemplateExperiment, experimentResults } from "@storedesk/core";
import type { CsatMethods, IncidentsMethods, ReportsMethods } from "@storedesk/core";
declare const channels: ChannelAdapter[];
declare const desk: Desk & { csat: CsatMethods; incidents: IncidentsMethods; reports: ReportsMethods };
import { writeFile } from "node:fs/promises";
declare const seoulOffice: BusinessCalendar;
declare const observations: Parameters<typeof experimentResults>[1];
`,
  "docs/guides/postgres.md": `${values}
import { postgresStore } from "@storedesk/store-postgres";
`,
  "docs/guides/rules-and-routing.md": values,
  "docs/guides/shopify.md": `${values}
import type { shopifyCommerce } from "@storedesk/shopify";
declare const commerce: ReturnType<typeof shopifyCommerce>;
declare function mailToMerchant(requestId: unknown, exports: unknown): Promise<void>;
declare const shopify: (request: Request) => Promise<Response>;
`,
  "docs/guides/sla-and-calendars.md": `${values}
import { createDesk, type SlaHistoryEvent } from "@storedesk/core";
declare const icsText: string;
declare const history: SlaHistoryEvent[];
declare const event: SlaHistoryEvent;
declare const now: Date;
declare const later: Date;
declare const calendar: BusinessCalendar;
`,
  "docs/guides/whatsapp-and-meta.md": `${values}
import { createDesk, StoredeskError } from "@storedesk/core";
import type { whatsappChannel } from "@storedesk/whatsapp";
declare const accessToken: string;
declare const appSecret: string;
declare const verifyToken: string;
declare const phoneNumberId: string;
declare const pageAccessToken: string;
declare const pageId: string;
declare const instagramAccountId: string;
declare const whatsapp: ReturnType<typeof whatsappChannel>;
`,
  "docs/guides/writing-a-channel-adapter.md": `${values}
import { createDesk, memoryStore, parseJson, readRawBytes, StoredeskError, verifyHmacSignature } from "@storedesk/core";
import { contactFormChannel, type ContactFormChannelOptions } from "../examples/custom-channel/src/contact-form-channel.js";
declare const secret: string;
declare const sendReply: ContactFormChannelOptions["sendReply"];
declare const request: Request;
declare const options: ContactFormChannelOptions;
declare const SECRET: string;
declare const validBody: string;
declare function signed(body: string | Uint8Array, secret?: string): Request;
declare function post(body: string): Request;
declare function failNextWith(status: number): () => void;
`,
  "docs/guides/writing-a-plugin.md": `${values}
import type { DeskPlugin } from "@storedesk/core";
declare const vipTagger: DeskPlugin;
`,
  "docs/guides/writing-a-store.md": `${values}
declare function myStore(options: { url: string }): Store;
`,
};

/** The prelude for a doc: its own, or the shared values. */
export function preludeFor(path: string): string {
  return docPreludes[path] ?? values;
}
