import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryStore } from "@storedesk/core";
import { DEMO_PASSWORD, createSupportServer } from "./app.js";
import type { SupportServer } from "./app.js";
import { startDemoShop } from "./demo-shop.js";
import { seedDemo } from "./seed.js";

let server: SupportServer;
let shop: ReturnType<typeof startDemoShop>;
beforeAll(async () => {
  shop = startDemoShop();
  server = await createSupportServer({ store: memoryStore() });
  await seedDemo(server.desk);
}, 60_000);
afterAll(async () => {
  await server.close();
  shop.stop();
});

const BASE = "http://support.test";
async function login(email: string, password = DEMO_PASSWORD) {
  const res = await server.app.fetch(
    new Request(`${BASE}/api/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    }),
  );
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  const body = (await res.json()) as { csrfToken?: string };
  return { status: res.status, setCookie: res.headers.get("set-cookie") ?? "", cookie, csrf: body.csrfToken ?? "" };
}
function call(who: { cookie: string; csrf: string }, method: string, path: string, body?: unknown, csrf = who.csrf) {
  return server.app.fetch(
    new Request(`${BASE}/api${path}`, {
      method,
      headers: { cookie: who.cookie, "x-csrf-token": csrf, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }),
  );
}
async function ticketOf(channel: string) {
  return (await server.desk.listTickets({ channel }))[0]!;
}

describe("agent API", () => {
  it("refuses a wrong password with 401 and sets an HttpOnly, SameSite=Strict session cookie on success", async () => {
    expect((await login("sora@mocha.example", "wrong")).status).toBe(401);
    const ok = await login("sora@mocha.example");
    expect(ok.status).toBe(200);
    expect(ok.setCookie).toMatch(/HttpOnly/i);
    expect(ok.setCookie).toMatch(/SameSite=Strict/i);
  });

  it("answers 401 without a session and 403 to a change without the CSRF token, changing nothing", async () => {
    const ticket = await ticketOf("email");
    const anonymous = await server.app.fetch(new Request(`${BASE}/api/tickets`));
    expect(anonymous.status).toBe(401);
    const sora = await login("sora@mocha.example");
    const noCsrf = await call(sora, "POST", `/tickets/${ticket.id}/tags`, { tags: ["x"] }, "");
    expect(noCsrf.status).toBe(403);
    expect((await server.desk.getTicket(ticket.id)).tags).not.toContain("x");
  });

  it("lets an agent assign a ticket only to themselves; a lead assigns anyone", async () => {
    const ticket = await ticketOf("messenger");
    const sora = await login("sora@mocha.example");
    expect((await call(sora, "POST", `/tickets/${ticket.id}/assign`, { agentId: "hana" })).status).toBe(403);
    expect((await call(sora, "POST", `/tickets/${ticket.id}/assign`, { agentId: "sora" })).status).toBe(200);
    const hana = await login("hana@mocha.example");
    expect((await call(hana, "POST", `/tickets/${ticket.id}/assign`, { agentId: "alex" })).status).toBe(200);
    expect((await server.desk.getTicket(ticket.id)).assigneeId).toBe("alex");
  });

  it("files an agent's refund over their limit for approval without calling the shop; a lead's goes through", async () => {
    const ticket = await ticketOf("email");
    const before = shop.calls.refunds.length;
    const sora = await login("sora@mocha.example");
    const byAgent = await call(sora, "POST", `/tickets/${ticket.id}/refund`, {
      orderId: "701234567890301",
      amount: 39_000,
      reason: "fit",
    });
    expect(byAgent.status).toBe(202);
    expect(await byAgent.json()).toMatchObject({ status: "pending_approval", approverRole: "admin" });
    expect(shop.calls.refunds.length).toBe(before);
    const hana = await login("hana@mocha.example");
    const byLead = await call(hana, "POST", `/tickets/${ticket.id}/refund`, {
      orderId: "701234567890301",
      amount: 39_000,
      reason: "fit",
    });
    expect(byLead.status).toBe(200);
    expect(shop.calls.refunds.length).toBe(before + 1);
  });

  it("answers a change the desk's rules refuse in the ticket's state with 409, not a server error, and changes nothing", async () => {
    const { ticket } = await server.desk.ingest({
      type: "message",
      channel: "email",
      externalId: "<refused-changes@mail.example>",
      occurredAt: server.desk.clock.now(),
      from: { identities: [{ kind: "email", value: "mina@example.com" }], name: "Mina" },
      subject: "Gift wrapping?",
      text: "Can you gift-wrap my order?",
    });
    const before = await server.desk.getTicket(ticket!.id);
    expect(before.status).toBe("new");
    const hana = await login("hana@mocha.example");
    const closed = await call(hana, "POST", `/tickets/${before.id}/status`, { status: "closed" });
    expect(closed.status).toBe(409);
    expect(await closed.json()).toMatchObject({ error: { code: "ILLEGAL_TRANSITION", details: { to: "closed" } } });
    // A complaint step out of order: resolved before anyone listened.
    const step = await call(hana, "POST", `/tickets/${before.id}/complaint`, { type: "resolution_done" });
    expect(step.status).toBe(409);
    expect(await step.json()).toMatchObject({ error: { code: "ILLEGAL_TRANSITION" } });
    const after = await server.desk.getTicket(before.id);
    expect([after.status, after.complaint?.step ?? null]).toEqual([before.status, before.complaint?.step ?? null]);
  });

  it("says a WhatsApp ticket's window is closed and sends the reply as the approved template", async () => {
    const ticket = await ticketOf("whatsapp");
    const sora = await login("sora@mocha.example");
    const view = (await (await call(sora, "GET", `/tickets/${ticket.id}`)).json()) as { replyWindow: { kind: string } };
    expect(view.replyWindow.kind).toBe("template_only");
    const sent = await call(sora, "POST", `/tickets/${ticket.id}/reply`, { text: "죄송합니다" });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ sentAs: "template" });
    expect(shop.calls.whatsapp.at(-1)).toMatchObject({ type: "template", template: { name: "support_followup" } });
  });
});
