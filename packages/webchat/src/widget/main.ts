/**
 * The chat widget: one `<script src=".../widget.js" data-endpoint="/chat">` tag, no framework.
 * Messages go out with a `clientMessageId` and are resent until the server takes them (a resend
 * is the same message); the stream reconnects with the last event id it saw, so replies sent
 * while the connection was down appear on their own. Korean or English by the page's `lang`.
 */
import type { StreamItem } from "../schemas.js";
import { CSS } from "./styles.js";
import { STRINGS, pickLanguage } from "./strings.js";

type MessageItem = Extract<StreamItem, { type: "message" }>;
interface Config {
  prechat: { fields: string[]; required: string[]; topics?: string[] } | null;
  attachments: { maxBytes: number; types: string[] };
}

const script = document.currentScript as HTMLScriptElement | null;
const endpoint = (script?.dataset.endpoint ?? "/chat").replace(/\/$/, "");
const identityAttr = script?.dataset.identity ?? null;
const lang = pickLanguage(document.documentElement.lang || navigator.language);
const t = STRINGS[lang];
const timeFormat = messageTimeFormat(script?.dataset.timeZone);
const TOKEN_KEY = "storedesk-chat-token";
// A signed-in customer's token lasts the tab only: the page's identity starts each visit, and this
// carries the session's pre-chat mark from page to page (the server keeps it for the same identity).
const SHOP_TOKEN_KEY = `${TOKEN_KEY}:shop`;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Message times: in the shop's zone with its name when the tag gives `data-time-zone` (the shop's
 * agents see the same clock), else in the visitor's own zone. A zone the browser does not know
 * falls back to the visitor's rather than breaking the chat.
 */
function messageTimeFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  const locale = lang === "ko" ? "ko-KR" : "en-US";
  const base = { hour: "numeric", minute: "2-digit" } as const;
  if (timeZone) {
    try {
      return new Intl.DateTimeFormat(locale, { ...base, timeZone, timeZoneName: "short" });
    } catch {
      // RangeError: an unknown zone.
    }
  }
  return new Intl.DateTimeFormat(locale, base);
}

function newId(): string {
  return `cm_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
}

// ---------------------------------------------------------------- the DOM
const style = el("style", {}, CSS);
const root = el("div", { class: "sdc-root", lang });
const launcher = el("button", {
  class: "sdc-launcher",
  type: "button",
  "aria-label": t.open,
  "aria-expanded": "false",
  "aria-controls": "sdc-panel",
});
// Icons as inline SVG: emoji fonts are missing on many systems and would draw boxes.
const icon = (path: string) => {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const p = document.createElementNS("http://www.w3.org/2000/svg", "path");
  p.setAttribute("d", path);
  svg.append(p);
  return svg;
};
launcher.append(icon("M21 12a8 8 0 0 1-11.6 7.1L4 21l1.9-5.4A8 8 0 1 1 21 12z"));
const badge = el("span", { class: "sdc-badge", hidden: "" });
launcher.append(badge);
const panel = el("div", {
  class: "sdc-panel",
  id: "sdc-panel",
  role: "dialog",
  "aria-labelledby": "sdc-title",
  hidden: "",
});
const head = el("div", { class: "sdc-head" });
const closeButton = el("button", { class: "sdc-x", type: "button", "aria-label": t.close }, "×");
head.append(el("h2", { id: "sdc-title" }, t.title), closeButton);
const status = el("p", { class: "sdc-status", role: "status" }, t.online);
const log = el("div", { class: "sdc-log", role: "log", "aria-live": "polite", "aria-label": t.log, tabindex: "0" });
const typing = el("p", { class: "sdc-typing", "aria-live": "polite" });
const offline = el("form", { class: "sdc-form sdc-offline", hidden: "" });
const offlineEmail = el("input", { type: "email", id: "sdc-offline-email", autocomplete: "email", required: "" });
offline.append(
  el("label", { for: "sdc-offline-email" }, t.emailAsk),
  offlineEmail,
  el("button", { class: "sdc-btn", type: "submit" }, t.save),
);
const prechat = el("form", { class: "sdc-form sdc-prechat", hidden: "" });
const compose = el("form", { class: "sdc-form sdc-compose" });
const input = el("textarea", { id: "sdc-input", rows: "1", placeholder: t.placeholder, "aria-label": t.message });
const fileLabel = el("label", { class: "sdc-file", title: t.attach });
fileLabel.append(icon("M21 11l-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7"));
const file = el("input", { type: "file", "aria-label": t.attach });
fileLabel.append(file);
compose.append(fileLabel, input, el("button", { class: "sdc-btn", type: "submit" }, t.send));
panel.append(head, status, log, typing, offline, prechat, compose);
root.append(panel, launcher);

// ---------------------------------------------------------------- state
let token: string | null = null;
let signedIn = false;
let config: Config = {
  prechat: null,
  attachments: {
    maxBytes: 5 * 1024 * 1024,
    types: ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"],
  },
};
let lastEventId: string | null = null;
let source: EventSource | null = null;
let retryMs = 500;
let unread = 0;
let contactEmail: string | null = null;
let prechatAnswers: Record<string, string> | null = null;
const awaitingForm: Array<Record<string, unknown>> = []; // refused until the pre-chat form is answered
const shown = new Map<string, HTMLElement>(); // clientMessageId or message id → bubble
const seen = new Set<string>(); // stream item ids already applied
const outbox = new Map<string, Record<string, unknown>>(); // clientMessageId → body, until accepted
const unreadIds: string[] = [];

const isOpen = () => !panel.hidden;

function setUnread(n: number): void {
  unread = n;
  badge.hidden = n === 0;
  badge.textContent = String(n);
  launcher.setAttribute("aria-label", n > 0 ? `${t.open} (${t.unread(n)})` : t.open);
}

function open(): void {
  panel.hidden = false;
  launcher.setAttribute("aria-expanded", "true");
  setUnread(0);
  markRead();
  const target = !prechat.hidden ? prechat.querySelector("input") : input;
  (target ?? input).focus();
}
function close(): void {
  panel.hidden = true;
  launcher.setAttribute("aria-expanded", "false");
  launcher.focus();
}

function keepToken(next: string): void {
  token = next;
  if (signedIn) sessionStorage.setItem(SHOP_TOKEN_KEY, next);
  else localStorage.setItem(TOKEN_KEY, next);
}

async function api(path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(`${endpoint}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
}

function note(text: string): void {
  log.append(el("p", { class: "sdc-note" }, text));
  log.scrollTop = log.scrollHeight;
}

function bubble(
  item: Pick<MessageItem, "direction" | "text" | "authorName" | "attachments" | "at"> & { author?: string },
  pending: string | null,
): HTMLElement {
  const who = item.direction === "inbound" ? t.you : (item.authorName ?? (item.author === "bot" ? t.bot : t.agent));
  const node = el("div", { class: `sdc-msg ${item.direction === "inbound" ? "sdc-in" : "sdc-out"}` });
  node.append(el("span", { class: "sdc-sr" }, `${who}: `), document.createTextNode(item.text));
  for (const a of item.attachments) node.append(el("span", { class: "sdc-meta" }, `[${a.filename ?? a.contentType}]`));
  const time = timeFormat.format(new Date(item.at));
  node.append(el("span", { class: "sdc-meta" }, pending ?? time));
  return node;
}

function showMessage(item: MessageItem): void {
  const key = item.clientMessageId ?? item.messageId;
  const existing = shown.get(key) ?? shown.get(item.messageId);
  const node = bubble(item, null);
  node.dataset.messageId = item.messageId;
  if (existing) existing.replaceWith(node);
  else log.append(node);
  shown.set(key, node);
  shown.set(item.messageId, node);
  if (item.clientMessageId) outbox.delete(item.clientMessageId);
  // Buttons belong to the latest message only: anything newer makes older choices moot.
  for (const row of log.querySelectorAll(".sdc-quick")) row.remove();
  if (item.quickReplies.length > 0 && item.direction === "outbound") {
    const row = el("div", { class: "sdc-quick", role: "group", "aria-label": t.quick });
    for (const q of item.quickReplies) {
      const b = el("button", { type: "button" }, q.title);
      // A tap is the visitor's own message: the title as its text, the id for the bot.
      b.addEventListener("click", () => void sendText(q.title, [], { id: q.id }));
      row.append(b);
    }
    log.append(row);
  }
  if (item.direction === "outbound" && !existing) {
    typing.textContent = "";
    unreadIds.push(item.messageId);
    if (!isOpen() || document.hidden) setUnread(unread + 1);
    else markRead();
  }
  log.scrollTop = log.scrollHeight;
}

function apply(item: StreamItem): void {
  if (item.type !== "availability" && item.type !== "typing") {
    if (seen.has(item.id)) return;
    seen.add(item.id);
  }
  lastEventId = item.id;
  if (item.type === "message") showMessage(item);
  else if (item.type === "agent_joined") note(t.joined(item.agentName ?? t.agent));
  else if (item.type === "typing") typing.textContent = item.typing ? t.typing(item.name ?? t.agent) : "";
  else if (item.type === "read") {
    for (const id of item.messageIds) shown.get(id)?.querySelector(".sdc-meta:last-child")?.append(` · ${t.read}`);
  } else if (item.type === "availability") {
    status.textContent = item.online
      ? t.online
      : item.nextOpeningText
        ? t.offlineAt(item.nextOpeningText)
        : t.offlineNoAgent;
    offline.hidden = item.online || contactEmail !== null;
  }
}

function markRead(): void {
  if (unreadIds.length === 0 || !token) return;
  const ids = unreadIds.splice(0);
  void api("/read", { messageIds: ids }).catch(() => undefined);
}

function connect(): void {
  if (!token) return;
  const query = new URLSearchParams({ token, lang });
  if (lastEventId) query.set("lastEventId", lastEventId);
  source = new EventSource(`${endpoint}/stream?${query.toString()}`);
  source.onopen = () => {
    retryMs = 500;
    void flushOutbox();
  };
  source.onmessage = (event: MessageEvent<string>) => {
    try {
      apply(JSON.parse(event.data) as StreamItem);
    } catch {
      // a frame we do not understand: skip it
    }
  };
  source.onerror = () => {
    // Reconnect ourselves, naming the last event seen, so the server replays what was missed.
    source?.close();
    status.textContent = t.reconnecting;
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 15_000);
  };
}

// One send at a time, in the order written: the answer to one can change what the next carries
// (the message answering the pre-chat form comes back with the session's new token; a second
// message sent before that answer would go with the old token and be held for the form again).
let sending: Promise<void> = Promise.resolve();
function post(body: Record<string, unknown>): Promise<void> {
  const id = body.clientMessageId as string;
  outbox.set(id, body);
  const run = sending.then(() => postNow(id, body));
  sending = run.catch(() => undefined);
  return run;
}

async function postNow(id: string, body: Record<string, unknown>): Promise<void> {
  // Accepted meanwhile (its echo came on the stream while it waited its turn): nothing to send.
  if (!outbox.has(id)) return;
  try {
    const response = await api("/messages", body);
    if (response.status === 202) {
      // The message that answered the pre-chat form comes back with the session marked answered.
      const accepted = (await response.json().catch(() => null)) as { token?: unknown } | null;
      if (typeof accepted?.token === "string") keepToken(accepted.token);
      return;
    }
    if (response.status >= 400 && response.status < 500) {
      outbox.delete(id);
      const refused = (await response.json().catch(() => null)) as { error?: { path?: unknown[] } } | null;
      const meta = shown.get(id)?.querySelector(".sdc-meta:last-child");
      if (response.status === 400 && refused?.error?.path?.[0] === "prechat" && config.prechat) {
        // The form gates the chat: ask for it (again), then send this message with the answers.
        delete body.prechat;
        awaitingForm.push(body);
        meta?.replaceChildren(t.formNeeded);
        showPrechat();
        return;
      }
      // Refused for another reason: the form's answers go with the next message instead.
      if (body.prechat && !prechatAnswers) prechatAnswers = body.prechat as Record<string, string>;
      meta?.replaceChildren(response.status === 413 ? t.tooLarge : t.badType);
      return;
    }
    throw new Error(String(response.status));
  } catch {
    shown.get(id)?.querySelector(".sdc-meta:last-child")?.replaceChildren(t.failed);
    setTimeout(() => void flushOutbox(), 2_000);
  }
}

async function flushOutbox(): Promise<void> {
  for (const body of [...outbox.values()]) await post(body);
}

async function sendText(text: string, attachments: unknown[] = [], quickReply?: { id: string }): Promise<void> {
  if (!text.trim() && attachments.length === 0) return;
  const clientMessageId = newId();
  const body: Record<string, unknown> = { clientMessageId, text, attachments, locale: lang, pageUrl: location.href };
  if (quickReply) body.quickReply = quickReply;
  if (prechatAnswers) {
    body.prechat = prechatAnswers;
    prechatAnswers = null;
  }
  if (contactEmail) body.contactEmail = contactEmail;
  const node = bubble(
    { direction: "inbound", text, authorName: null, attachments: [], at: new Date().toISOString() },
    t.sending,
  );
  shown.set(clientMessageId, node);
  log.append(node);
  log.scrollTop = log.scrollHeight;
  await post(body);
}

function buildPrechat(fields: string[], required: string[], topics: string[]): void {
  const labels: Record<string, string> = { name: t.name, email: t.email, orderNumber: t.orderNumber, topic: t.topic };
  for (const field of fields) {
    const id = `sdc-pre-${field}`;
    prechat.append(el("label", { for: id }, labels[field] ?? field));
    const control =
      field === "topic" && topics.length > 0
        ? el("select", { id, name: field })
        : el("input", { id, name: field, type: field === "email" ? "email" : "text" });
    if (control instanceof HTMLSelectElement)
      for (const topic of topics) control.append(el("option", { value: topic }, topic));
    if (required.includes(field)) control.setAttribute("required", "");
    prechat.append(control);
  }
  prechat.append(el("button", { class: "sdc-btn", type: "submit" }, t.start));
}

function showPrechat(): void {
  prechat.hidden = false;
  compose.hidden = true;
  if (isOpen()) prechat.querySelector<HTMLElement>("input, select")?.focus();
}

// ---------------------------------------------------------------- events
launcher.addEventListener("click", () => (isOpen() ? close() : open()));
closeButton.addEventListener("click", close);
panel.addEventListener("keydown", (event) => {
  if (event.key === "Escape") close();
});
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    compose.requestSubmit();
  }
});
let typingSent = 0;
input.addEventListener("input", () => {
  if (Date.now() - typingSent > 3_000 && token) {
    typingSent = Date.now();
    void api("/typing", { typing: true }).catch(() => undefined);
  }
});
compose.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value;
  input.value = "";
  void sendText(text);
  input.focus();
});
file.addEventListener("change", () => {
  const chosen = file.files?.[0];
  file.value = "";
  if (!chosen) return;
  if (!config.attachments.types.includes(chosen.type)) return note(t.badType);
  if (chosen.size > config.attachments.maxBytes) return note(t.tooLarge);
  const reader = new FileReader();
  reader.onload = () => {
    const base64 = (typeof reader.result === "string" ? reader.result : "").split(",")[1] ?? "";
    void sendText("", [{ filename: chosen.name, contentType: chosen.type, contentBase64: base64 }]);
  };
  reader.readAsDataURL(chosen);
});
prechat.addEventListener("submit", (event) => {
  event.preventDefault();
  const data = new FormData(prechat);
  const answers: Record<string, string> = {};
  for (const [k, v] of data.entries()) if (typeof v === "string" && v.trim()) answers[k] = v.trim();
  if (answers.email) contactEmail = answers.email;
  prechat.hidden = true;
  compose.hidden = false;
  input.focus();
  const waiting = awaitingForm.splice(0);
  if (waiting.length === 0) {
    prechatAnswers = answers;
    return;
  }
  // Messages the server held back for the form: the first carries the answers, in order.
  waiting[0]!.prechat = answers;
  for (const body of waiting) {
    if (contactEmail) body.contactEmail = contactEmail;
    shown
      .get(body.clientMessageId as string)
      ?.querySelector(".sdc-meta:last-child")
      ?.replaceChildren(t.sending);
  }
  void (async () => {
    for (const body of waiting) await post(body);
  })();
});
offline.addEventListener("submit", (event) => {
  event.preventDefault();
  contactEmail = offlineEmail.value.trim();
  offline.hidden = true;
  note(t.emailSaved);
  input.focus();
});
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && isOpen()) markRead();
});

async function start(): Promise<void> {
  document.head.append(style);
  document.body.append(root);
  const identity = identityAttr ? (JSON.parse(identityAttr) as unknown) : null;
  signedIn = identity !== null;
  token = signedIn ? sessionStorage.getItem(SHOP_TOKEN_KEY) : localStorage.getItem(TOKEN_KEY);
  const response = await api("/session", { identity, locale: lang });
  if (response.status === 401 || response.status === 403) {
    status.textContent = t.refused;
    compose.hidden = true;
    return;
  }
  const session = (await response.json()) as {
    token: string;
    prechat: Config["prechat"];
    prechatAnswered?: boolean;
    attachments: Config["attachments"];
    availability: StreamItem;
  };
  keepToken(session.token);
  config = { prechat: session.prechat, attachments: session.attachments };
  file.setAttribute("accept", config.attachments.types.join(","));
  apply(session.availability);
  // The server's mark on the session decides, not this browser: a form submitted here but never
  // followed by an accepted message is asked again (the server would refuse the message).
  localStorage.removeItem(`${TOKEN_KEY}:prechat`);
  if (config.prechat) {
    buildPrechat(config.prechat.fields, config.prechat.required, config.prechat.topics ?? []);
    if (!session.prechatAnswered) showPrechat();
  }
  connect();
}

(window as unknown as { StoredeskChat: unknown }).StoredeskChat = { open, close };
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => void start());
else void start();
