/**
 * The agent inbox page: the server renders the page in the agent's language (labels, filters,
 * regions) and a small client script fills it from the JSON agent API and keeps it live over
 * SSE. One data path: the page sees exactly what the API allows, with the same role checks.
 */
import { Hono } from "hono";
import type { AgentAuth } from "./auth.js";
import { inboxScript } from "./inbox-script.js";

const LABELS = {
  ko: {
    title: "모카샵 상담함",
    login: "로그인",
    email: "이메일",
    password: "비밀번호",
    logout: "로그아웃",
    filters: "필터",
    status: "상태",
    channel: "채널",
    category: "분류",
    assignee: "담당자",
    sla: "SLA",
    all: "전체",
    me: "나",
    none: "미배정",
    due: "곧 마감",
    breached: "초과",
    tickets: "티켓 목록",
    conversation: "대화",
    customer: "고객",
    orders: "주문",
    reply: "답장 보내기",
    note: "내부 메모 추가",
    replyLabel: "답장",
    template: "템플릿",
    noTemplate: "템플릿 없이",
    assign: "배정",
    tags: "태그",
    save: "저장",
    complaint: "불만 처리 단계",
    refund: "환불",
    amount: "금액",
    order: "주문",
    reason: "사유",
    windowClosed: "WhatsApp 24시간 창이 닫혔습니다: 템플릿 메시지가 전송됩니다",
    windowOpen: "답장 가능",
    visitorOffline: "고객이 채팅을 떠났습니다: 답장은 이메일로도 전송됩니다",
    select: "티켓을 선택하세요",
    pending: "승인 대기 (권한 초과)",
    done: "완료",
    noteLabel: "메모",
    internal: "내부 메모",
    typing: "고객이 입력 중…",
    agentLabel: "상담원",
    bot: "자동 응답",
    byEmail: "이메일로 전송:",
    attach: "파일 첨부",
    attached: "첨부한 파일",
    removeFile: "빼기",
    filesLimit: "{count}개까지, 파일당 {size}",
    tooManyFiles: "파일은 {count}개까지 보낼 수 있습니다",
    fileTooLarge: "{name}: 파일이 너무 큽니다 (최대 {size})",
    filesTooLarge: "파일은 모두 합쳐 {size}까지 보낼 수 있습니다",
    emptyFile: "{name}: 빈 파일입니다",
    filesOff: {
      channel_no_files: "이 채널로는 파일을 보낼 수 없습니다",
      channel_link_only: "이 채널은 링크로만 파일을 받습니다: 상담함에서 첨부할 수 없습니다",
      template_only: "창이 닫혀 템플릿으로 전송됩니다: 템플릿에는 파일을 붙일 수 없습니다",
    },
    statuses: { new: "신규", open: "진행 중", pending: "고객 대기", on_hold: "보류", solved: "해결", closed: "종료" },
    steps: {
      listened: "경청",
      apologized: "사과",
      resolution_started: "해결 시작",
      resolution_done: "해결 완료",
      customer_confirmed: "고객 확인",
    },
    callbacks: "콜백 대기열",
    noCallbacks: "기다리는 콜백이 없습니다",
    callback: "콜백",
    callNow: "지금 전화",
    dueAt: "예정",
    slaDue: "마감",
    shopTime: "매장 시간",
    attempts: "시도",
    lastOutcome: "지난 통화",
    reschedule: "시간 변경",
    rescheduleAt: "다시 걸 시간",
    logCall: "통화 기록",
    outcome: "결과",
    duration: "통화 시간(초)",
    cancelCallback: "콜백 취소",
    phoneNoText: "전화 티켓에는 문자를 보낼 수 없습니다: 고객에게 전화하고 통화를 기록하세요",
    outcomes: {
      reached: "통화 완료",
      no_answer: "부재중",
      busy: "통화 중",
      voicemail: "음성사서함",
      wrong_number: "잘못된 번호",
    },
    callbackStates: {
      scheduled: "예약됨",
      due: "지금 전화",
      completed: "완료",
      gave_up: "연락 포기",
      invalid: "잘못된 번호",
      cancelled: "취소됨",
    },
    sources: { request: "전화 요청", missed_call: "부재중 전화", voicemail: "음성 메시지" },
    slaMetrics: { first_reply: "첫 응답", next_reply: "다음 응답", requester_wait: "고객 대기", resolution: "해결" },
    slaStatuses: { active: "진행 중", paused: "일시 정지", fulfilled: "충족", breached: "초과", inactive: "중지" },
  },
  en: {
    title: "Mocha Shop inbox",
    login: "Sign in",
    email: "Email",
    password: "Password",
    logout: "Sign out",
    filters: "Filters",
    status: "Status",
    channel: "Channel",
    category: "Category",
    assignee: "Assignee",
    sla: "SLA",
    all: "All",
    me: "Me",
    none: "Unassigned",
    due: "Due soon",
    breached: "Breached",
    tickets: "Tickets",
    conversation: "Conversation",
    customer: "Customer",
    orders: "Orders",
    reply: "Send reply",
    note: "Add internal note",
    replyLabel: "Reply",
    template: "Template",
    noTemplate: "No template",
    assign: "Assign",
    tags: "Tags",
    save: "Save",
    complaint: "Complaint step",
    refund: "Refund",
    amount: "Amount",
    order: "Order",
    reason: "Reason",
    windowClosed: "WhatsApp window closed: a template will be sent",
    windowOpen: "Reply window open",
    visitorOffline: "The visitor left the chat: the reply also goes out by email",
    select: "Select a ticket",
    pending: "Pending approval (over your limit)",
    done: "Done",
    noteLabel: "Note",
    internal: "Internal note",
    typing: "The customer is typing…",
    agentLabel: "Agent",
    bot: "Automatic",
    byEmail: "Sent by email to",
    attach: "Attach files",
    attached: "Attached files",
    removeFile: "Remove",
    filesLimit: "Up to {count} files, {size} each",
    tooManyFiles: "At most {count} files per reply",
    fileTooLarge: "{name}: too large (at most {size})",
    filesTooLarge: "At most {size} of files per reply",
    emptyFile: "{name}: the file is empty",
    filesOff: {
      channel_no_files: "This channel cannot carry files",
      channel_link_only: "This channel takes files only by link: none can be attached here",
      template_only: "Window closed: the reply goes as a template, which carries no files",
    },
    statuses: { new: "New", open: "Open", pending: "Pending", on_hold: "On hold", solved: "Solved", closed: "Closed" },
    steps: {
      listened: "Listened",
      apologized: "Apologized",
      resolution_started: "Resolution started",
      resolution_done: "Resolved",
      customer_confirmed: "Customer confirmed",
    },
    callbacks: "Call-back queue",
    noCallbacks: "No call-backs waiting",
    callback: "Call-back",
    callNow: "Call now",
    dueAt: "Due",
    slaDue: "due",
    shopTime: "Shop time",
    attempts: "Attempts",
    lastOutcome: "Last call",
    reschedule: "Reschedule",
    rescheduleAt: "Call at",
    logCall: "Log call",
    outcome: "Outcome",
    duration: "Duration (s)",
    cancelCallback: "Cancel call-back",
    phoneNoText: "A phone ticket takes no text: call the customer and log the call",
    outcomes: {
      reached: "Reached",
      no_answer: "No answer",
      busy: "Busy",
      voicemail: "Voicemail",
      wrong_number: "Wrong number",
    },
    callbackStates: {
      scheduled: "Scheduled",
      due: "Call now",
      completed: "Completed",
      gave_up: "Gave up",
      invalid: "Wrong number",
      cancelled: "Cancelled",
    },
    sources: { request: "Call-back request", missed_call: "Missed call", voicemail: "Voicemail" },
    slaMetrics: {
      first_reply: "First reply",
      next_reply: "Next reply",
      requester_wait: "Customer wait",
      resolution: "Resolution",
    },
    slaStatuses: { active: "Running", paused: "Paused", fulfilled: "Met", breached: "Breached", inactive: "Stopped" },
  },
} as const;

/** The inbox's words in one language. */
export type InboxLabels = (typeof LABELS)["ko"] | (typeof LABELS)["en"];

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const CSS = `
*{box-sizing:border-box}[hidden]{display:none!important}body{margin:0;font:14px/1.45 system-ui,"Apple SD Gothic Neo","Malgun Gothic","NanumGothic",sans-serif;color:#1b1b1f;background:#f5f6f8}
header{display:flex;gap:12px;align-items:center;padding:10px 16px;background:#1f2a44;color:#fff}header h1{font-size:17px;margin:0;flex:1}
header a,header button{color:#fff;background:none;border:1px solid #fff6;border-radius:6px;padding:4px 10px;cursor:pointer;font:inherit;text-decoration:none}
main{display:grid;grid-template-columns:380px 1fr 300px;gap:12px;padding:12px;height:calc(100vh - 52px)}
section{background:#fff;border-radius:10px;padding:12px;overflow:auto}h2{font-size:15px;margin:0 0 8px}
form.filters{display:grid;grid-template-columns:1fr 1fr;gap:6px;margin-bottom:8px}label{font-size:12px;color:#555;display:flex;flex-direction:column;gap:2px}
select,input,textarea{font:inherit;padding:5px;border:1px solid #c6c9d2;border-radius:6px}textarea{width:100%;min-height:70px}
ul.list{list-style:none;margin:0;padding:0}ul.list button{width:100%;text-align:left;border:0;border-bottom:1px solid #eee;background:none;padding:8px;cursor:pointer;font:inherit}
ul.list button[aria-current=true]{background:#eef2ff}.badge{display:inline-block;padding:0 6px;border-radius:8px;background:#e8eaf0;font-size:12px;margin-right:4px}
.sla-breached{color:#fff;background:#d93025}.sla-due{background:#f9ab00}.sla-ok{background:#d7f0dd}
.msg{margin:6px 0;padding:8px;border-radius:8px;background:#f1f3f4;max-width:85%}.msg.outbound{margin-left:auto;background:#e3ecff}.msg.note{background:#fff4c2;max-width:100%}
.msg small{display:block;color:#666}.notice{padding:6px 8px;border-radius:6px;background:#fde7e7;color:#8a1c1c;margin:6px 0}.ok{background:#e6f4ea;color:#1e6b35}
.row{display:flex;gap:6px;flex-wrap:wrap;align-items:end;margin:6px 0}button.primary{background:#2f5bea;color:#fff;border:0;border-radius:6px;padding:6px 12px;cursor:pointer;font:inherit}
#login{max-width:340px;margin:80px auto;background:#fff;padding:20px;border-radius:10px;display:flex;flex-direction:column;gap:10px}
img.att{max-width:200px;display:block}figure.att{margin:4px 0}figure.att figcaption,a.att-file{display:block;font-size:12px}
ul.chips{list-style:none;margin:4px 0;padding:0;display:flex;gap:6px;flex-wrap:wrap}li.chip{display:flex;gap:6px;align-items:center;background:#e8eaf0;border-radius:12px;padding:2px 4px 2px 10px}
li.chip small{color:#555}li.chip button{border:0;background:none;cursor:pointer;font:inherit;padding:0 4px}small.files-off{color:#8a1c1c;align-self:center}.files-problem{color:#8a1c1c;margin:2px 0}
ul.callbacks{list-style:none;margin:0 0 12px;padding:0}ul.callbacks li{border-bottom:1px solid #eee;padding:6px 0}ul.callbacks li.due{background:#fff8e1}
ul.callbacks .open{border:0;background:none;padding:0;cursor:pointer;font:inherit;text-align:left}ul.callbacks .row button,#callback-panel button{font:inherit;cursor:pointer}
.due-now{background:#f9ab00}small.zone{color:#555;align-self:center}#shop-zone{font-size:12px;opacity:.85}@media(max-width:900px){main{grid-template-columns:1fr;height:auto}}
`;

/** Options of {@link inboxPages}. */
export interface InboxPagesOptions {
  auth: AgentAuth;
  /** The shop's IANA zone (`Asia/Seoul`): the page shows and reads every time in it, whatever the agent's own zone. */
  timeZone: string;
}

/**
 * The inbox page routes (`/inbox`).
 *
 * @example
 * app.route("/inbox", inboxPages({ auth, timeZone: "Asia/Seoul" }));
 */
export function inboxPages(options: InboxPagesOptions) {
  // A mistyped zone fails here at start, not in every agent's browser.
  const timeZone = new Intl.DateTimeFormat("en-US", { timeZone: options.timeZone }).resolvedOptions().timeZone;
  const pages = new Hono();
  pages.get("/", (c) => {
    const asked = c.req.query("lang") ?? c.req.header("accept-language") ?? "ko";
    const lang = asked.toLowerCase().startsWith("en") ? "en" : "ko";
    const t = LABELS[lang];
    const statusOptions = Object.entries(t.statuses)
      .map(([v, l]) => `<option value="${v}">${esc(l)}</option>`)
      .join("");
    const channels = ["webchat", "email", "whatsapp", "messenger", "instagram", "phone"]
      .map((v) => `<option value="${v}">${v}</option>`)
      .join("");
    const categories = ["product", "shipping", "refund_exchange", "order_change", "payment", "complaint", "other"]
      .map((v) => `<option value="${v}">${v}</option>`)
      .join("");
    return c.html(`<!doctype html>
<html lang="${lang}" data-time-zone="${esc(timeZone)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(t.title)}</title><style>${CSS}</style></head>
<body>
<form id="login" hidden aria-labelledby="login-title"><h1 id="login-title">${esc(t.title)}</h1>
<label>${esc(t.email)}<input name="email" type="email" autocomplete="username" required></label>
<label>${esc(t.password)}<input name="password" type="password" autocomplete="current-password" required></label>
<p id="login-error" role="alert"></p><button class="primary" type="submit">${esc(t.login)}</button></form>
<div id="app" hidden>
<header><h1>${esc(t.title)}</h1><span id="shop-zone">${esc(t.shopTime)}: ${esc(timeZone)}</span><span id="who"></span><a href="?lang=${lang === "ko" ? "en" : "ko"}">${lang === "ko" ? "English" : "한국어"}</a><button id="logout" type="button">${esc(t.logout)}</button></header>
<main>
<section aria-labelledby="list-title"><div role="region" aria-labelledby="callbacks-title"><h2 id="callbacks-title">${esc(t.callbacks)}</h2><ul class="callbacks" id="callbacks"></ul></div>
<h2 id="list-title">${esc(t.tickets)}</h2>
<form class="filters" id="filters" aria-label="${esc(t.filters)}">
<label>${esc(t.status)}<select name="status"><option value="">${esc(t.all)}</option>${statusOptions}</select></label>
<label>${esc(t.channel)}<select name="channel"><option value="">${esc(t.all)}</option>${channels}</select></label>
<label>${esc(t.category)}<select name="category"><option value="">${esc(t.all)}</option>${categories}</select></label>
<label>${esc(t.assignee)}<select name="assignee"><option value="">${esc(t.all)}</option><option value="me">${esc(t.me)}</option><option value="none">${esc(t.none)}</option></select></label>
<label>${esc(t.sla)}<select name="sla"><option value="">${esc(t.all)}</option><option value="due">${esc(t.due)}</option><option value="breached">${esc(t.breached)}</option></select></label>
</form><ul class="list" id="tickets"></ul></section>
<section aria-labelledby="view-title" id="view"><h2 id="view-title">${esc(t.select)}</h2></section>
<section aria-labelledby="customer-title" id="side"><h2 id="customer-title">${esc(t.customer)}</h2></section>
</main></div>
<script>window.INBOX_LABELS=${JSON.stringify(t).replace(/</g, "\\u003c")};</script>
<script>${inboxScript}</script>
</body></html>`);
  });
  return pages;
}
