/**
 * The agent API (JSON under `/api`): sign-in, the ticket list and view, replies, notes,
 * assignment, status, tags, the complaint steps, refunds inside the action plans' limits, the
 * call-back queue (callback-routes.ts) and an SSE feed of changes for the inbox. Every call acts
 * through the desk's public API, so the desk's rules (legal transitions, reply windows, limits)
 * hold here as everywhere.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import { StoredeskError, errorResponse, parseInput } from "@storedesk/core";
import type { Desk, Message, ReplyWindow, TemplateInput, Ticket } from "@storedesk/core";
import type { CallbackMethods } from "@storedesk/phone";
import type { CommerceActions } from "@storedesk/shopify";
import type { WebchatServer } from "@storedesk/webchat";
import type { AgentAuth, AgentSession } from "./auth.js";
import { SESSION_COOKIE } from "./auth.js";
import { callbackRoutes, callbackView } from "./callback-routes.js";
import {
  MAX_REPLY_BODY_BYTES,
  ReplyFileSchema,
  assertFilesAccepted,
  isFilesRefusal,
  replyFilesOf,
  toReplyAttachments,
} from "./reply-files.js";

/** The agent API's Hono environment: the signed-in agent's session. */
export type AgentApiEnv = { Variables: { session: AgentSession } };
type Env = AgentApiEnv;

/** What the API needs. */
export interface AgentApiOptions {
  desk: Desk;
  auth: AgentAuth;
  chat: WebchatServer;
  actions: CommerceActions;
  channels: Record<string, unknown>;
  templates: TemplateInput[];
  /** The call-back plugin's methods (`desk.callbacks`) and its attempts: mounts the call-back queue routes. */
  callbacks?: { methods: CallbackMethods; maxAttempts: number };
}

const LoginSchema = z.object({ email: z.string().min(3).max(320), password: z.string().min(1).max(200) });
const TextSchema = z.object({ text: z.string().trim().min(1).max(20_000) });
// Text, files or both; the count and size limits are checked after parsing (413, see reply-files.ts).
const ReplySchema = z
  .object({
    text: z.string().trim().max(20_000),
    templateId: z.string().max(100).optional(),
    status: z.enum(["pending", "solved"]).optional(),
    attachments: z.array(ReplyFileSchema).optional(),
  })
  .refine((r) => r.text.length > 0 || (r.attachments?.length ?? 0) > 0, {
    message: "A reply needs text or a file",
    path: ["text"],
  });
const AssignSchema = z.object({ agentId: z.string().min(1).max(100).nullable() });
const StatusSchema = z.object({ status: z.enum(["new", "open", "pending", "on_hold", "solved", "closed"]) });
const TagsSchema = z.object({ tags: z.array(z.string().trim().min(1).max(100)).max(50) });
const RefundSchema = z.object({
  orderId: z.string().min(1).max(100),
  amount: z.number().positive().max(10_000_000),
  reason: z.string().trim().min(1).max(500),
});
const ComplaintSchema = z.object({
  type: z.enum(["listened", "apologized", "resolution_started", "resolution_done", "customer_confirmed"]),
  summary: z.string().trim().max(5000).optional(),
  resolution: z.string().trim().max(2000).optional(),
  satisfied: z.boolean().optional(),
});

/** Codes of a change the desk refuses in the ticket's current state (answered 409). */
const REFUSED_IN_STATE: ReadonlySet<string> = new Set([
  "CONFLICT",
  "ILLEGAL_TRANSITION",
  "TICKET_CLOSED",
  "REPLY_WINDOW_CLOSED",
]);

/** The reply window of a ticket's channel now, for the reply box ("WhatsApp window closed: a template will be sent"). */
export function replyWindowOf(desk: Desk, ticket: Ticket): ReplyWindow {
  const adapter = desk.channels.get(ticket.channel);
  if (!adapter?.capabilities.replyWindow || !adapter.replyWindow) return { kind: "open", closesAt: null };
  return adapter.replyWindow(
    { ticket, lastInboundAt: ticket.lastCustomerMessageAt, authorKind: "agent" },
    desk.clock.now(),
  );
}

/** A message as the inbox shows it: attachments inline as data URLs (images) for the demo. */
function view(message: Message) {
  return {
    ...message,
    attachments: message.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      url: a.contentBase64 ? `data:${a.contentType};base64,${a.contentBase64}` : a.url,
    })),
  };
}

function slaState(ticket: Ticket, now: Date): "breached" | "due" | "ok" | "none" {
  const metrics = ticket.sla?.metrics ?? [];
  if (metrics.some((m) => m.status === "breached")) return "breached";
  const due = ticket.slaDueAt ? new Date(ticket.slaDueAt).getTime() : null;
  if (due === null) return "none";
  return due - now.getTime() < 60 * 60_000 ? "due" : "ok";
}

/**
 * The agent API as a Hono sub-app.
 *
 * @example
 * app.route("/api", agentApi({ desk, auth, chat, actions, channels, templates }));
 */
export function agentApi(options: AgentApiOptions) {
  const { desk, auth, chat, actions } = options;
  const api = new Hono<Env>();

  api.post("/login", async (c) => {
    const body = parseInput(LoginSchema, await c.req.json().catch(() => null), "login");
    const session = await auth.login(body.email, body.password);
    setCookie(c, SESSION_COOKIE, session.id, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
      secure: new URL(c.req.url).protocol === "https:",
      maxAge: 12 * 3600,
    });
    return c.json({ agent: session.agent, csrfToken: session.csrfToken });
  });

  // Everything else needs a session; anything that changes state also the CSRF token.
  api.use("*", async (c, next) => {
    const session = auth.session(getCookie(c, SESSION_COOKIE));
    if (!session) return c.json({ error: { code: "SIGNATURE_INVALID", message: "Sign in first" } }, 401);
    if (c.req.method !== "GET" && !auth.csrfOk(session, c.req.header("x-csrf-token"))) {
      return c.json({ error: { code: "SIGNATURE_INVALID", message: "Missing or wrong CSRF token" } }, 403);
    }
    c.set("session", session);
    await next();
  });

  const forbid = (message: string) =>
    new StoredeskError({ code: "SIGNATURE_INVALID", message, details: { forbidden: true } });
  const who = (c: Context<Env>) => c.get("session").agent;
  const json = async (c: Context<Env>) => (await c.req.json().catch(() => null)) as unknown;

  api.get("/me", (c) => c.json({ agent: who(c), csrfToken: c.get("session").csrfToken }));
  api.post("/logout", (c) => {
    auth.logout(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.json({ ok: true });
  });
  api.get("/agents", (c) => c.json({ agents: [...desk.agents.values()] }));
  api.get("/templates", (c) => c.json({ templates: options.templates.map((t) => ({ id: t.id, name: t.name })) }));

  api.get("/tickets", async (c) => {
    const q = c.req.query();
    const now = desk.clock.now();
    const statuses = q.status ? (q.status.split(",") as Ticket["status"][]) : undefined;
    let tickets = await desk.listTickets({
      newestFirst: true,
      limit: 500,
      ...(statuses ? { status: statuses } : {}),
      ...(q.channel ? { channel: q.channel } : {}),
    });
    if (q.category) tickets = tickets.filter((t) => t.category === q.category);
    if (q.assignee)
      tickets = tickets.filter((t) =>
        q.assignee === "none" ? t.assigneeId === null : t.assigneeId === (q.assignee === "me" ? who(c).id : q.assignee),
      );
    if (q.sla) tickets = tickets.filter((t) => slaState(t, now) === q.sla);
    const rows = await Promise.all(
      tickets
        .filter((t) => !t.mergedInto)
        .map(async (t) => {
          const customer = await desk.getCustomer(t.customerId);
          return { ...t, customerName: customer?.name ?? null, slaState: slaState(t, now) };
        }),
    );
    return c.json({ tickets: rows });
  });

  api.get("/tickets/:id", async (c) => {
    const ticket = await desk.getTicket(c.req.param("id"));
    const customer = await desk.getCustomer(ticket.customerId);
    // The conversation across channels: every ticket of this customer, oldest message first.
    const all = await desk.listTickets({ customerId: ticket.customerId, newestFirst: true, limit: 20 });
    const conversation = (await Promise.all(all.map((t) => desk.listMessages(t.id))))
      .flat()
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map(view);
    const commerce = customer ? await desk.commerceContext(customer.id).catch(() => null) : null;
    const visitor = customer?.identities.find((i) => i.kind === "webchat")?.value ?? null;
    const replyWindow = replyWindowOf(desk, ticket);
    return c.json({
      ticket,
      customer,
      conversation,
      commerce,
      events: await desk.listEvents(ticket.id),
      replyWindow,
      files: replyFilesOf(desk, ticket, replyWindow),
      callback: callbackView(ticket, "KR", desk.clock.now()),
      visitorOnline: visitor ? chat.isOnline(visitor) : null,
    });
  });

  // A body over every file's limit is refused before it is read in full.
  const replyBodyLimit = bodyLimit({
    maxSize: MAX_REPLY_BODY_BYTES,
    onError: () => {
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `A reply is at most ${MAX_REPLY_BODY_BYTES} bytes with its files`,
        details: { tooLarge: true, limit: "body_bytes", maxBytes: MAX_REPLY_BODY_BYTES },
      });
    },
  });
  api.post("/tickets/:id/reply", replyBodyLimit, async (c) => {
    const body = parseInput(ReplySchema, await json(c), "reply");
    const attachments = toReplyAttachments(body.attachments ?? []);
    const ticket = await desk.getTicket(c.req.param("id"));
    const window = replyWindowOf(desk, ticket);
    // Files the ticket cannot carry (phone, Messenger by link only, a template) are refused here, whole.
    if (attachments.length > 0) assertFilesAccepted(replyFilesOf(desk, ticket, window), ticket);
    // A channel that takes no templates (phone without SMS) has no fallback: say so, send nothing.
    if (window.kind === "template_only" && !desk.channels.get(ticket.channel)?.capabilities.templates)
      throw new StoredeskError({
        code: "REPLY_WINDOW_CLOSED",
        message:
          window.reason === "phone_no_text"
            ? `SD-${ticket.number} is a phone ticket without SMS: call the customer back and log the call`
            : `SD-${ticket.number}'s channel takes no text now and has no templates`,
        details: { channel: ticket.channel, reason: window.reason },
      });
    const customer = await desk.getCustomer(ticket.customerId);
    const template =
      window.kind === "template_only"
        ? {
            name: window.suggestedTemplate ?? "support_followup",
            language: "ko",
            parameters: { body: [customer?.name ?? "고객"] },
          }
        : null;
    const message = await desk.reply(ticket.id, {
      text: body.text,
      agentId: who(c).id,
      template,
      ...(attachments.length > 0 ? { attachments } : {}),
      ...(body.status ? { status: body.status } : {}),
    });
    return c.json({ message: view(message), sentAs: template ? "template" : "text" });
  });
  api.post("/tickets/:id/render/:template", async (c) => {
    const rendered = await desk.renderForTicket(c.req.param("template"), c.req.param("id"));
    return c.json(rendered);
  });
  api.post("/tickets/:id/note", async (c) => {
    const body = parseInput(TextSchema, await json(c), "note");
    return c.json({ message: await desk.note(c.req.param("id"), { text: body.text, agentId: who(c).id }) });
  });
  api.post("/tickets/:id/assign", async (c) => {
    const body = parseInput(AssignSchema, await json(c), "assignment");
    const me = who(c);
    // An agent takes or gives back their own tickets; leads and admins assign anyone.
    if (me.role === "agent" && body.agentId !== null && body.agentId !== me.id)
      throw forbid("Agents can only assign tickets to themselves");
    return c.json({ ticket: await desk.assign(c.req.param("id"), { agentId: body.agentId }, { agentId: me.id }) });
  });
  api.post("/tickets/:id/status", async (c) => {
    const body = parseInput(StatusSchema, await json(c), "status");
    return c.json({ ticket: await desk.setStatus(c.req.param("id"), body.status, { agentId: who(c).id }) });
  });
  api.post("/tickets/:id/tags", async (c) => {
    const body = parseInput(TagsSchema, await json(c), "tags");
    return c.json({ ticket: await desk.setTags(c.req.param("id"), body.tags, { agentId: who(c).id }) });
  });
  api.post("/tickets/:id/read", async (c) => {
    await chat.markReadByAgent(c.req.param("id"), who(c).id);
    return c.json({ ok: true });
  });
  api.post("/tickets/:id/typing", async (c) => {
    await chat.agentTyping(c.req.param("id"), { agentId: who(c).id, typing: true });
    return c.json({ ok: true });
  });
  api.post("/tickets/:id/complaint", async (c) => {
    const body = parseInput(ComplaintSchema, await json(c), "complaint step");
    const step =
      body.type === "listened"
        ? { type: "listened" as const, summary: body.summary ?? "" }
        : body.type === "resolution_started"
          ? { type: "resolution_started" as const, resolution: body.resolution ?? "" }
          : body.type === "resolution_done"
            ? { type: "resolution_done" as const, ...(body.resolution ? { resolution: body.resolution } : {}) }
            : body.type === "customer_confirmed"
              ? { type: "customer_confirmed" as const, satisfied: body.satisfied ?? true }
              : { type: "apologized" as const };
    return c.json({ ticket: await desk.advanceComplaint(c.req.param("id"), step, { agentId: who(c).id }) });
  });
  api.post("/tickets/:id/refund", async (c) => {
    const body = parseInput(RefundSchema, await json(c), "refund");
    const ticket = await desk.getTicket(c.req.param("id"));
    const idempotencyKey =
      c.req.header("idempotency-key") ?? `SD-${ticket.number}-refund-${body.orderId}-${body.amount}-${who(c).id}`;
    const outcome = await actions.run({
      ticketId: ticket.id,
      agentId: who(c).id,
      idempotencyKey,
      action: { type: "refund", orderId: body.orderId, amount: body.amount, reason: body.reason },
    });
    // Over the agent's limit the desk files it for approval instead: nothing is refunded.
    return c.json(outcome, outcome.status === "done" ? 200 : 202);
  });
  api.post("/approvals/:id/approve", async (c) => c.json(await actions.approve(c.req.param("id"), who(c).id)));
  if (options.callbacks)
    callbackRoutes(api, {
      desk,
      callbacks: options.callbacks.methods,
      maxAttempts: options.callbacks.maxAttempts,
    });

  // Live updates for the inbox: ticket changes and visitors' typing, one small event each.
  api.get("/events", (c) =>
    streamSSE(c, async (stream) => {
      let seq = 0;
      const send = (type: string, data: Record<string, unknown>) => {
        void stream
          .writeSSE({ id: String(++seq), event: "change", data: JSON.stringify({ type, ...data }) })
          .catch(() => undefined);
      };
      const onTicket = ({ ticket }: { ticket: Ticket }) => send("ticket", { ticketId: ticket.id });
      desk.on("ticket.created", onTicket);
      desk.on("ticket.updated", onTicket);
      desk.on("message.received", onTicket);
      desk.on("message.sent", onTicket);
      const stop = chat.onVisitorActivity((a) => send("visitor", { ...a }));
      const beat = setInterval(() => void stream.write(": hb\n\n").catch(() => undefined), 15_000);
      await new Promise<void>((resolve) => stream.onAbort(resolve));
      clearInterval(beat);
      stop();
      desk.off("ticket.created", onTicket);
      desk.off("ticket.updated", onTicket);
      desk.off("message.received", onTicket);
      desk.off("message.sent", onTicket);
    }),
  );

  // Forbidden by the inbox's rules → 403 (errorResponse would say 401). The desk refusing a
  // change in the ticket's current state → 409, files the ticket's channel cannot carry → 422
  // (errorResponse would say 501): errorResponse answers webhooks, where 5xx means "deliver
  // again", but an agent's click that the rules refuse is no server failure.
  api.onError((err) =>
    StoredeskError.is(err) && err.details?.forbidden === true
      ? Response.json({ error: err.toJSON() }, { status: 403 })
      : StoredeskError.is(err) && REFUSED_IN_STATE.has(err.code)
        ? Response.json({ error: err.toJSON() }, { status: 409 })
        : isFilesRefusal(err)
          ? Response.json({ error: err.toJSON() }, { status: 422 })
          : errorResponse(err),
  );
  return api;
}
