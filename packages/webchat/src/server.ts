/**
 * The chat's HTTP side, Web `Request → Response`: sessions, messages, the SSE stream with
 * replay, typing and read receipts. Mount `chat.fetch` under a path in any framework.
 */
import {
  StoredeskError,
  formatDue,
  invalidInput,
  isOpen,
  jsonResponse,
  nextOpening,
  parseInput,
  parseJson,
  readRawBody,
} from "@storedesk/core";
import type { BusinessCalendar, Clock, Message, Ticket, TicketEvent } from "@storedesk/core";
import { memoryBus } from "./bus.js";
import type { BusNotice, WebchatBus } from "./bus.js";
import { unverifiedVisitor, webchatErrorResponse } from "./errors.js";
import { anonymousSession, signSession, verifiedSession, verifySession } from "./identity.js";
import type { VisitorSession } from "./identity.js";
import { ReadRequestSchema, SessionRequestSchema, TypingRequestSchema } from "./schemas.js";
import type { StreamItem } from "./schemas.js";
import { conversationItems, cursorTime, eventItem, itemId, messageItem } from "./stream-items.js";
import type { ChatDesk } from "./stream-items.js";
import { sessionOf } from "./webhook.js";
import type { WebchatChannel } from "./channel.js";

/** Options of {@link webchatServer}. */
export interface WebchatServerOptions {
  desk: ChatDesk;
  channel: WebchatChannel;
  /** Fan-out between instances. Default: in process ({@link memoryBus}). */
  bus?: WebchatBus;
  /** Business hours: outside them the widget says when a person will answer. */
  calendar?: BusinessCalendar | null;
  /** Whether a person is available now (e.g. an agent has the inbox open). Default: always. */
  agentsOnline?: () => boolean;
  /**
   * Time zone of "a person answers from …": default the calendar's, else `Asia/Seoul`. The
   * language is the visitor's (`lang=` or `Accept-Language`, Korean unless English).
   */
  timeZone?: string;
  /** Comment line sent on idle streams so proxies keep them open. Default 15 s. */
  heartbeatMs?: number;
  /** Open streams one visitor may hold (tabs, devices). Default 5. */
  maxConnectionsPerVisitor?: number;
  /** Items sent as history when a stream opens. Default 200. */
  historyLimit?: number;
  /**
   * How far before `Last-Event-ID`'s time a replay starts (ms): messages committed out of order
   * by concurrent writers are still replayed; the widget drops what it already shows. Default 5 s.
   */
  replaySlackMs?: number;
  clock?: Clock;
}

/** Something a visitor did, for the agents' side (inbox live updates). */
export interface VisitorActivity {
  type: "typing" | "connected" | "disconnected" | "read";
  visitorId: string;
  typing?: boolean;
}

interface Connection {
  visitorId: string;
  write(chunk: string): void;
  sent: Set<string>;
  /** Live items that came while the replay was read, sent after it. */
  pending: StreamItem[] | null;
  close(): void;
}

const encoder = new TextEncoder();

/** One SSE frame. `id:` on every event so a reconnect can name the last one it saw. */
function frame(item: StreamItem): string {
  return `id: ${item.id}\ndata: ${JSON.stringify(item)}\n\n`;
}

/**
 * Makes the chat server: a `fetch(request)` that answers `POST /session`, `POST /messages`,
 * `GET /stream`, `POST /typing` and `POST /read` under any prefix, plus the agent-side calls.
 *
 * `POST /session` answers `prechatAnswered`: whether the session's token already says the
 * pre-chat form was answered (kept when an anonymous token is renewed, and for a signed-in
 * customer who sends their previous token of the same identity). While it is false and the
 * settings name required fields, `POST /messages` refuses a message without them (400).
 *
 * @example
 * const chat = webchatServer({ desk, channel: webchat });
 * app.all("/chat/*", (c) => chat.fetch(c.req.raw));
 */
export function webchatServer(options: WebchatServerOptions) {
  const { desk, channel } = options;
  const settings = channel.settings;
  const bus = options.bus ?? memoryBus();
  const clock = options.clock ?? settings.clock;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxConnections = options.maxConnectionsPerVisitor ?? 5;
  const historyLimit = options.historyLimit ?? 200;
  const slack = options.replaySlackMs ?? 5_000;
  const connections = new Map<string, Set<Connection>>();
  const listeners = new Set<(activity: VisitorActivity) => void>();
  const agentName = (id: string) => desk.agents.get(id)?.name ?? null;

  const notify = (activity: VisitorActivity) => {
    for (const l of listeners) l(activity);
  };
  const isOnline = (visitorId: string) => (connections.get(visitorId)?.size ?? 0) > 0;

  function deliver(conn: Connection, item: StreamItem): void {
    if (conn.pending) {
      conn.pending.push(item);
      return;
    }
    if (conn.sent.has(item.id)) return;
    conn.sent.add(item.id);
    // Bounded memory per stream: ids older than the replay slack are never offered again live.
    if (conn.sent.size > 2_000) conn.sent.delete(conn.sent.values().next().value!);
    conn.write(frame(item));
  }

  async function customerIdOf(visitorId: string): Promise<string | null> {
    return (await desk.findCustomer({ kind: "webchat", value: visitorId }))?.id ?? null;
  }

  async function catchUp(conn: Connection, sinceMs: number | null): Promise<void> {
    const customerId = await customerIdOf(conn.visitorId);
    const items = customerId
      ? await conversationItems(desk, channel.id, customerId, sinceMs, agentName, historyLimit)
      : [];
    for (const item of items) deliver(conn, item);
  }

  const unsubscribe = bus.subscribe((notice: BusNotice) => {
    const conns = connections.get(notice.topic);
    if (!conns) return;
    const item = notice.item ? (JSON.parse(notice.item) as StreamItem) : null;
    for (const conn of conns) {
      if (item) deliver(conn, item);
      else void catchUp(conn, clock.now().getTime() - 60_000).catch(() => conn.close());
    }
  });

  const publish = (topic: string | null, item: StreamItem | null) => {
    if (!topic) return;
    bus.publish({ topic, item: item ? JSON.stringify(item) : null }).catch(() => undefined);
  };
  const topicOf = (ticket: Ticket) => (ticket.channel === channel.id ? ticket.conversationKey : null);
  const onMessage = ({ ticket, message }: { ticket: Ticket; message: Message }) =>
    publish(topicOf(ticket), messageItem(message, agentName));
  const onUpdated = ({ ticket, events }: { ticket: Ticket; events: TicketEvent[] }) => {
    for (const event of events) {
      const item = eventItem(event, agentName);
      if (item) publish(topicOf(ticket), item);
    }
  };
  desk.on("message.received", onMessage);
  desk.on("message.sent", onMessage);
  desk.on("ticket.updated", onUpdated);

  // One timer for every stream: 1,000 streams cost one interval, not 1,000.
  const heartbeat = setInterval(() => {
    for (const conns of connections.values()) for (const conn of conns) conn.write(": hb\n\n");
  }, heartbeatMs);
  heartbeat.unref?.();

  channel.attach({
    isOnline,
    async contactEmail(ticketId) {
      const messages = await desk.listMessages(ticketId);
      for (let i = messages.length - 1; i >= 0; i--) {
        const email = messages[i]!.meta.contactEmail;
        if (messages[i]!.direction === "inbound" && typeof email === "string") return email;
      }
      return null;
    },
  });

  function availability(locale: string): Extract<StreamItem, { type: "availability" }> {
    const now = clock.now();
    const calendar = options.calendar ?? null;
    const open = calendar ? isOpen(now, calendar) : true;
    const online = open && (options.agentsOnline?.() ?? true);
    const next = online ? null : calendar && !open ? nextOpening(now, calendar) : null;
    const zone = options.timeZone ?? calendar?.timeZone ?? "Asia/Seoul";
    return {
      type: "availability",
      id: itemId(now, "a", online ? "on" : "off"),
      online,
      nextOpeningAt: next?.toISOString() ?? null,
      nextOpeningText: next ? formatDue(next, locale, zone) : null,
      at: now.toISOString(),
    };
  }

  const localeOf = (request: Request) => {
    const asked = new URL(request.url).searchParams.get("lang") ?? request.headers.get("accept-language") ?? "ko";
    return asked.toLowerCase().startsWith("en") ? "en" : "ko";
  };

  async function session(request: Request): Promise<Response> {
    const now = clock.now();
    const body = parseInput(
      SessionRequestSchema,
      parseJson((await readRawBody(request, 16 * 1024)) || "{}"),
      "session",
    );
    const exp = now.getTime() + settings.sessionTtlMs;
    // The token the client holds, when it is valid: an anonymous visitor resumes it, and a
    // signed-in customer keeps its pre-chat mark (their session is otherwise made anew).
    let held: VisitorSession | null = null;
    const header = request.headers.get("authorization");
    if (header?.startsWith("Bearer ")) {
      try {
        held = verifySession(header.slice(7).trim(), settings.secret, now);
      } catch {
        held = null;
      }
    }
    let visitor: VisitorSession | null = null;
    if (body.identity) {
      if (!settings.identitySecret)
        throw invalidInput("This chat takes no shop identities (no identitySecret)", ["identity"]);
      visitor = verifiedSession(body.identity, settings.identitySecret, exp);
      if (held?.verified && held.visitorId === visitor.visitorId && held.prechatAnswered === true)
        visitor.prechatAnswered = true;
    } else {
      if (settings.verifiedOnly) throw unverifiedVisitor();
      // An anonymous visitor keeps their conversation (and their pre-chat mark).
      if (held && !held.verified) visitor = { ...held, exp };
      visitor ??= anonymousSession(exp);
    }
    const locale = body.locale?.toLowerCase().startsWith("en") ? "en" : localeOf(request);
    return jsonResponse({
      token: signSession(visitor, settings.secret),
      visitorId: visitor.visitorId,
      verified: visitor.verified,
      expiresAt: new Date(exp).toISOString(),
      prechat: settings.prechat,
      prechatAnswered: visitor.prechatAnswered === true,
      attachments: settings.attachments,
      availability: availability(locale),
    });
  }

  async function stream(request: Request): Promise<Response> {
    const visitor = sessionOf(request, { ...settings, now: () => clock.now() });
    const conns = connections.get(visitor.visitorId) ?? new Set<Connection>();
    if (conns.size >= maxConnections) {
      throw new StoredeskError({
        code: "RATE_LIMITED",
        message: `At most ${maxConnections} open chat streams per visitor`,
        details: { maxConnections },
      });
    }
    const url = new URL(request.url);
    const lastEventId = request.headers.get("last-event-id") ?? url.searchParams.get("lastEventId");
    const since = cursorTime(lastEventId);
    const locale = localeOf(request);
    let conn!: Connection;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        let open = true;
        conn = {
          visitorId: visitor.visitorId,
          sent: new Set(),
          pending: [],
          write(chunk) {
            if (!open) return;
            try {
              controller.enqueue(encoder.encode(chunk));
            } catch {
              conn.close();
            }
          },
          close() {
            if (!open) return;
            open = false;
            conns.delete(conn);
            if (conns.size === 0) connections.delete(visitor.visitorId);
            notify({ type: "disconnected", visitorId: visitor.visitorId });
            try {
              controller.close();
            } catch {
              // already closed by the client
            }
          },
        };
        // Registered before the store is read: nothing published meanwhile is lost (it waits in `pending`).
        conns.add(conn);
        connections.set(visitor.visitorId, conns);
        conn.write("retry: 2000\n\n");
        notify({ type: "connected", visitorId: visitor.visitorId });
      },
      cancel() {
        conn.close();
      },
    });
    request.signal?.addEventListener("abort", () => conn.close(), { once: true });
    void (async () => {
      conn.write(frame(availability(locale)));
      await catchUp(conn, since === null ? null : since - slack).catch(() => undefined);
      const waiting = conn.pending ?? [];
      conn.pending = null;
      for (const item of waiting) deliver(conn, item);
    })();
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
      },
    });
  }

  async function typing(request: Request): Promise<Response> {
    const visitor = sessionOf(request, { ...settings, now: () => clock.now() });
    const body = parseInput(TypingRequestSchema, parseJson(await readRawBody(request, 1024)), "typing");
    notify({ type: "typing", visitorId: visitor.visitorId, typing: body.typing });
    return jsonResponse({ ok: true });
  }

  async function read(request: Request): Promise<Response> {
    const visitor = sessionOf(request, { ...settings, now: () => clock.now() });
    const body = parseInput(ReadRequestSchema, parseJson(await readRawBody(request, 64 * 1024)), "read");
    const customerId = await customerIdOf(visitor.visitorId);
    if (!customerId) return jsonResponse({ ok: true, read: 0 });
    // Only the visitor's own messages: ids from elsewhere are ignored, not an error that would confirm they exist.
    const wanted = new Set(body.messageIds);
    let read = 0;
    for (const ticket of await desk.listTickets({ customerId, channel: channel.id, newestFirst: true, limit: 20 })) {
      for (const message of await desk.listMessages(ticket.id)) {
        if (
          !wanted.has(message.id) ||
          message.direction !== "outbound" ||
          !message.externalId ||
          message.deliveryStatus === "read"
        )
          continue;
        await desk.ingest({
          type: "delivery",
          channel: message.channel,
          externalId: message.externalId,
          status: "read",
          occurredAt: clock.now(),
        });
        read++;
      }
    }
    notify({ type: "read", visitorId: visitor.visitorId });
    return jsonResponse({ ok: true, read });
  }

  const messages = desk.webhook(channel.id);

  const routes: Record<string, (request: Request) => Promise<Response>> = {
    "POST /session": session,
    "POST /messages": messages,
    "GET /stream": stream,
    "POST /typing": typing,
    "POST /read": read,
  };

  return {
    /**
     * Answers the chat's requests by the last path segment, under any mount path.
     */
    async fetch(request: Request): Promise<Response> {
      const path = new URL(request.url).pathname;
      const key = `${request.method} ${path.slice(path.lastIndexOf("/"))}`;
      const route = routes[key];
      if (!route)
        return webchatErrorResponse(new StoredeskError({ code: "NOT_FOUND", message: `No chat route ${key}` }));
      try {
        return await route(request);
      } catch (err) {
        return webchatErrorResponse(err);
      }
    },
    /** The handlers one by one, to mount them separately. */
    handlers: routes,
    /** Whether the visitor holds an open stream on this instance. */
    isOnline,
    /** Open streams on this instance. */
    connectionCount: () => [...connections.values()].reduce((n, s) => n + s.size, 0),
    /** Listens to visitors' typing, connects and reads (for the agents' live view). */
    onVisitorActivity(listener: (activity: VisitorActivity) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Shows "the agent is typing" in the visitor's widget. */
    async agentTyping(ticketId: string, input: { agentId: string; typing: boolean }): Promise<void> {
      const ticket = await desk.getTicket(ticketId);
      const now = clock.now();
      publish(topicOf(ticket), {
        type: "typing",
        id: itemId(now, "t", `${input.agentId}-${now.getTime()}`),
        ticketId,
        by: "agent",
        name: agentName(input.agentId),
        typing: input.typing,
        at: now.toISOString(),
      });
    },
    /** Records that an agent read the visitor's messages (shown as "read" in the widget, replayed like any event). */
    async markReadByAgent(ticketId: string, agentId: string): Promise<void> {
      const ticket = await desk.getTicket(ticketId);
      if (ticket.channel !== channel.id) return;
      const events = await desk.listEvents(ticket.id);
      const last = events.filter((e) => e.type === "webchat.read").at(-1);
      const since = last?.at.getTime() ?? 0;
      const unread = (await desk.listMessages(ticket.id)).filter(
        (m) => m.direction === "inbound" && m.createdAt.getTime() > since,
      );
      if (unread.length === 0) return;
      await desk.recordEvent(ticket.id, "webchat.read", { messageIds: unread.map((m) => m.id) }, { agentId });
    },
    /**
     * Ends the open streams on this instance (all, or one visitor's), e.g. before a deploy: clients
     * reconnect with their last event id and the replay fills in whatever came meanwhile.
     */
    dropConnections(visitorId?: string): number {
      const targets = visitorId ? [connections.get(visitorId) ?? new Set<Connection>()] : [...connections.values()];
      let n = 0;
      for (const conns of targets)
        for (const conn of [...conns]) {
          conn.close();
          n++;
        }
      return n;
    },
    /** What the widget shows about availability now. */
    availability,
    /** Stops heartbeats, closes every stream and leaves the bus. */
    async close(): Promise<void> {
      clearInterval(heartbeat);
      unsubscribe();
      desk.off("message.received", onMessage);
      desk.off("message.sent", onMessage);
      desk.off("ticket.updated", onUpdated);
      for (const conns of [...connections.values()]) for (const conn of [...conns]) conn.close();
      channel.attach(null);
    },
  };
}

/** A chat server made by {@link webchatServer}. */
export type WebchatServer = ReturnType<typeof webchatServer>;
