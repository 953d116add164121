/**
 * `--demo`: the scripted flows over real HTTP against the running server, printed, for CI and
 * a quick look: a visitor chats, an agent answers, a dropped stream catches up, a forged
 * identity is refused, refunds follow the roles' limits, WhatsApp's closed window takes a template,
 * a call-back request is queued and worked from the call-back queue.
 */
import { signCallbackRequest } from "@storedesk/phone";
import { DEMO_PASSWORD, DEMO_SECRETS } from "./app.js";

// The demo reads loose JSON answers; a typo here only breaks the printout.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** An SSE reader over fetch: resolves `until` when a data frame matches. */
async function stream(url: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const items: Json[] = [];
  let buffer = "";
  const waiters: Array<() => void> = [];
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: "" }));
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const data = buffer
          .slice(0, end)
          .split("\n")
          .find((l) => l.startsWith("data: "));
        buffer = buffer.slice(end + 2);
        if (data) items.push(JSON.parse(data.slice(6)) as Json);
      }
      for (const w of waiters.splice(0)) w();
    }
  })();
  return {
    items,
    async until(check: (item: Json) => boolean, ms = 5_000): Promise<Json> {
      const deadline = Date.now() + ms;
      for (;;) {
        const hit = items.find(check);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error("the stream did not show it in time");
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    close: () => abort.abort(),
  };
}

async function agent(base: string, email: string) {
  const login = await fetch(`${base}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/api${path}`, {
      method,
      headers: { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, data: (await res.json()) as Json };
  };
  return call;
}

/**
 * Runs the flows against `base` and prints what happened; throws when a flow does not behave.
 *
 * @example
 * await runDemo("http://127.0.0.1:3000");
 */
export async function runDemo(base: string): Promise<void> {
  const log = (line: string) => console.log(line);
  log("\n━━ 1. A visitor writes in the chat; an agent answers from the inbox ━━");
  const session = (await (
    await fetch(`${base}/chat/session`, { method: "POST", body: JSON.stringify({ locale: "ko" }) })
  ).json()) as Json;
  const auth = { authorization: `Bearer ${session.token}`, "content-type": "application/json" };
  const posted = await fetch(`${base}/chat/messages`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ clientMessageId: "demo_msg_0001", text: "안녕하세요, 선물 포장 되나요?" }),
  });
  const again = await fetch(`${base}/chat/messages`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ clientMessageId: "demo_msg_0001", text: "안녕하세요, 선물 포장 되나요?" }),
  });
  log(`visitor ${session.visitorId}: message ${posted.status}, the same message resent ${again.status} (one message)`);
  const visitor = await stream(`${base}/chat/stream?token=${encodeURIComponent(session.token)}`);
  const sora = await agent(base, "sora@mocha.example");
  const list = await sora("GET", "/tickets?channel=webchat");
  const ticket = (list.data.tickets as Json[]).find((t) => t.customerName === null || t.subject?.includes("선물"))!;
  const start = Date.now();
  await sora("POST", `/tickets/${ticket.id}/reply`, { text: "네, 선물 포장 가능합니다 🎁" });
  await visitor.until((i) => i.type === "message" && i.text === "네, 선물 포장 가능합니다 🎁");
  log(`SD-${ticket.number}: 한소라's reply reached the visitor's stream in ${Date.now() - start} ms`);

  log("\n━━ 2. The connection drops; the reply sent meanwhile arrives on reconnect ━━");
  const lastId = visitor.items.filter((i) => i.type === "message").at(-1)!.id as string;
  visitor.close();
  await sora("POST", `/tickets/${ticket.id}/reply`, { text: "포장지는 크라프트와 화이트 중 고르실 수 있어요." });
  const back = await stream(`${base}/chat/stream?token=${encodeURIComponent(session.token)}`, {
    "last-event-id": lastId,
  });
  await back.until((i) => i.type === "message" && String(i.text).startsWith("포장지는"));
  log(`reconnected with Last-Event-ID ${lastId.split(".")[0]}…: the missed reply was replayed`);
  back.close();

  log("\n━━ 3. A forged shop identity is refused ━━");
  const forged = await fetch(`${base}/chat/session`, {
    method: "POST",
    body: JSON.stringify({ identity: { id: "7012345678901", email: "kim@example.com", hash: "0".repeat(64) } }),
  });
  log(`session with a forged identity hash → ${forged.status}`);
  if (forged.status !== 401) throw new Error("a forged identity was not refused");

  log("\n━━ 4. Refunds follow the action plans' limits per role ━━");
  const emma = ((await sora("GET", "/tickets?channel=email")).data.tickets as Json[]).find(
    (t) => t.customerName === "Emma Wilson",
  );
  if (emma) {
    const byAgent = await sora("POST", `/tickets/${emma.id}/refund`, {
      orderId: "701234567890301",
      amount: 39_000,
      reason: "does not fit",
    });
    log(
      `한소라 (agent, limit 10,000 KRW) refunds 39,000 → ${byAgent.status} ${byAgent.data.status}${byAgent.data.approverRole ? ` (needs ${byAgent.data.approverRole})` : ""}`,
    );
    const hana = await agent(base, "hana@mocha.example");
    const byLead = await hana("POST", `/tickets/${emma.id}/refund`, {
      orderId: "701234567890301",
      amount: 39_000,
      reason: "does not fit (lead)",
    });
    log(
      `오하나 (lead, limit 100,000 KRW) refunds 39,000 → ${byLead.status} ${byLead.data.status ?? byLead.data.error?.code}`,
    );
  }

  log("\n━━ 5. WhatsApp after 24 hours: the reply box says a template will be sent ━━");
  const wa = ((await sora("GET", "/tickets?channel=whatsapp")).data.tickets as Json[])[0];
  if (wa) {
    const view = await sora("GET", `/tickets/${wa.id}`);
    log(`SD-${wa.number} reply window: ${view.data.replyWindow.kind}`);
    const sent = await sora("POST", `/tickets/${wa.id}/reply`, {
      text: "불편을 드려 죄송합니다. 바로 교환해 드릴게요.",
    });
    log(`reply → ${sent.status}, sent as ${sent.data.sentAs ?? sent.data.error?.code}`);
  }

  log("\n━━ 6. A customer asks for a call-back; an agent works the call-back queue ━━");
  const kst = (iso: string) =>
    new Date(iso).toLocaleString("en-GB", {
      timeZone: "Asia/Seoul",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }) + " KST";
  // A new request id each run: on a kept store the same number threads onto its ticket and starts a new call-back.
  const request = JSON.stringify({
    requestId: `demo-callback-${Date.now()}`,
    phone: "010-3456-7890",
    name: "박서준",
    reason: "교환 절차를 전화로 안내받고 싶어요",
    locale: "ko",
  });
  const post = (signature: string) =>
    fetch(`${base}/webhooks/phone`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-storedesk-signature": signature },
      body: request,
    });
  const forgedRequest = await post(signCallbackRequest(request, "not-the-shop-secret"));
  const signed = await post(signCallbackRequest(request, DEMO_SECRETS.callback));
  log(`call-back request: forged signature → ${forgedRequest.status}, signed by the shop's server → ${signed.status}`);
  if (forgedRequest.status !== 401 || signed.status !== 200) throw new Error("the phone webhook misjudged a signature");
  const queue = await sora("GET", "/callbacks");
  const owed = (queue.data.callbacks as Json[]).find((cb) => cb.number === "+821034567890");
  if (!owed) throw new Error("the call-back request is not in the queue");
  log(
    `queue (soonest due first): ${(queue.data.callbacks as Json[]).map((cb) => `SD-${cb.ticketNumber} ${cb.displayNumber} ${kst(cb.dueAt)}`).join(", ")}`,
  );
  const noAnswer = await sora("POST", `/tickets/${owed.ticketId}/callback/log`, { outcome: "no_answer" });
  log(
    `SD-${owed.ticketNumber}: no answer → ${noAnswer.status}, attempt ${noAnswer.data.callback?.attempts} of ${queue.data.maxAttempts}, next call ${noAnswer.data.callback ? kst(noAnswer.data.callback.dueAt) : "?"}`,
  );
  const reached = await sora("POST", `/tickets/${owed.ticketId}/callback/log`, {
    outcome: "reached",
    durationSeconds: 180,
    notes: "교환 절차 안내",
  });
  const firstReply = (reached.data.ticket?.sla?.metrics as Json[] | undefined)?.find((m) => m.metric === "first_reply");
  const twice = await sora("POST", `/tickets/${owed.ticketId}/callback/log`, { outcome: "reached" });
  log(
    `reached → ${reached.status}: call-back ${reached.data.callback?.status}, first reply ${firstReply?.status ?? "?"}; the same call logged again → ${twice.status} ${twice.data.error?.code}`,
  );
  if (reached.status !== 200 || twice.status !== 409) throw new Error("the call log did not behave");
  log("\ndemo done.");
}
