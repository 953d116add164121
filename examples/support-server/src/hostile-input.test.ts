/**
 * Hostile requests at every HTTP route of the support server (webhooks, chat, sign-in, agent
 * API with the call-back queue), on one server: bad input is a typed 4xx, never a 5xx, and writes nothing; requests
 * without a session or CSRF token write nothing.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryStore } from "@storedesk/core";
import { hostileBodies, watchStoreWrites, wrongTypeVariants } from "@storedesk/core/testing";
import { DEMO_PASSWORD, createSupportServer } from "./app.js";
import type { SupportServer } from "./app.js";
import { seedDemo } from "./seed.js";

const BASE = "http://support.test";
const watched = watchStoreWrites(memoryStore());
let server: SupportServer;
let agent: { cookie: string; csrf: string };
let ticketId: string;
let callbackTicketId: string;
beforeAll(async () => {
  server = await createSupportServer({ store: watched.store });
  await seedDemo(server.desk);
  ticketId = (await server.desk.listTickets({}))[0]!.id;
  callbackTicketId = (await server.desk.listTickets({ channel: "phone" }))[0]!.id;
  const res = await server.app.fetch(
    new Request(`${BASE}/api/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "alex@mocha.example", password: DEMO_PASSWORD }),
    }),
  );
  agent = {
    cookie: (res.headers.get("set-cookie") ?? "").split(";")[0]!,
    csrf: ((await res.json()) as { csrfToken: string }).csrfToken,
  };
}, 60_000);
afterAll(async () => {
  await server.close();
});

function request(method: string, path: string, body?: string | Uint8Array, auth = true, csrf = agent.csrf) {
  return server.app.fetch(
    new Request(`${BASE}${path}`, {
      method,
      headers: {
        "content-type": "application/json",
        ...(auth ? { cookie: agent.cookie, "x-csrf-token": csrf } : {}),
      },
      ...(body === undefined ? {} : { body: body as BodyInit }),
    }),
  );
}

async function errorCode(res: Response): Promise<string | undefined> {
  return ((await res.json()) as { error?: { code?: string } }).error?.code;
}

const PUBLIC_POSTS = [
  "/webhooks/email",
  "/webhooks/whatsapp",
  "/webhooks/meta",
  "/webhooks/shopify",
  "/webhooks/phone",
  "/chat/session",
  "/api/login",
];
const AGENT_POSTS = () => [
  `/api/tickets/${ticketId}/reply`,
  `/api/tickets/${ticketId}/note`,
  `/api/tickets/${ticketId}/assign`,
  `/api/tickets/${ticketId}/status`,
  `/api/tickets/${ticketId}/tags`,
  `/api/tickets/${ticketId}/complaint`,
  `/api/tickets/${ticketId}/refund`,
  // The call-back routes, on a ticket that is no call-back and on one that is.
  ...[ticketId, callbackTicketId].flatMap((id) =>
    ["log", "reschedule", "cancel"].map((action) => `/api/tickets/${id}/callback/${action}`),
  ),
];

describe("support server: hostile bodies are typed 4xx at every route and write nothing", () => {
  it.each(hostileBodies().map((b) => [b.name, b.body] as const))("%s", async (_name, body) => {
    watched.reset();
    for (const path of [...PUBLIC_POSTS, ...AGENT_POSTS()]) {
      const res = await request("POST", path, body);
      expect(res.status, path).toBeLessThan(500);
      // /chat/session takes any object without an identity as an anonymous session.
      if (path !== "/chat/session" || res.status >= 400) {
        expect(res.status, path).toBeGreaterThanOrEqual(400);
        expect(await errorCode(res), path).toMatch(/^(INVALID_INPUT|SIGNATURE_INVALID)$/);
      }
    }
    expect(watched.writes()).toEqual([]);
  });

  it("for any JSON value at any agent route, the answer is below 500", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...AGENT_POSTS(), "/api/login"),
        fc.jsonValue({ maxDepth: 3 }),
        async (path, value) => {
          const res = await request("POST", path, JSON.stringify(value));
          expect(res.status, `${path} ${JSON.stringify(value)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("every field of a sign-in, a refund or a call-back change of the wrong type is a 4xx, and writes nothing", async () => {
    watched.reset();
    for (const { path, body } of wrongTypeVariants({ email: "alex@mocha.example", password: DEMO_PASSWORD })) {
      const res = await request("POST", "/api/login", body, false);
      expect([400, 401], path).toContain(res.status);
    }
    // orderId stays empty, so every variant is invalid (a valid refund would call the shop).
    const refunds = wrongTypeVariants({ orderId: "", amount: 1000, reason: "damaged" }).filter(
      (v) => !v.path.startsWith("orderId") || !/"orderId":"[^"]/.test(v.body),
    );
    for (const { path, body } of refunds) {
      const res = await request("POST", `/api/tickets/${ticketId}/refund`, body);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
    // On a real call-back, from bodies that are invalid already (an empty outcome, time, reason):
    // a valid one would log a call. A non-empty reason would cancel it, so those are left out.
    const changes = [
      ...wrongTypeVariants({ outcome: "", durationSeconds: 30, notes: "x", status: "open" }).map((v) => ({
        ...v,
        action: "log",
      })),
      ...wrongTypeVariants({ at: "" }).map((v) => ({ ...v, action: "reschedule" })),
      ...wrongTypeVariants({ reason: "" })
        .filter((v) => !/"reason":"[^"]{1,500}"/.test(v.body))
        .map((v) => ({ ...v, action: "cancel" })),
    ];
    for (const { path, body, action } of changes) {
      const res = await request("POST", `/api/tickets/${callbackTicketId}/callback/${action}`, body);
      expect(res.status, `${action} ${path}`).toBe(400);
      expect(await errorCode(res), `${action} ${path}`).toBe("INVALID_INPUT");
    }
    expect(watched.writes()).toEqual([]);
  });
});

describe("support server: sessions, CSRF and unknown things", () => {
  it("a change without a session is 401 and without the CSRF token 403, at every agent route; nothing is written", async () => {
    watched.reset();
    for (const path of AGENT_POSTS()) {
      expect((await request("POST", path, '{"text":"x"}', false)).status, path).toBe(401);
      expect((await request("POST", path, '{"text":"x"}', true, "")).status, path).toBe(403);
      expect((await request("POST", path, '{"text":"x"}', true, `${agent.csrf}x`)).status, path).toBe(403);
    }
    const forged = await server.app.fetch(
      new Request(`${BASE}/api/tickets`, { headers: { cookie: "sd_agent=forged-session-id" } }),
    );
    expect(forged.status).toBe(401);
    expect(watched.writes()).toEqual([]);
  });

  it("unknown tickets are 404 and hostile query parameters are below 500", async () => {
    watched.reset();
    for (const id of ["nope", "__proto__", "constructor", "%00", "x".repeat(5000)]) {
      // 404, or 400 for an id no ticket could have (too long).
      expect([400, 404], id.slice(0, 20)).toContain((await request("GET", `/api/tickets/${id}`)).status);
      expect([400, 404], id.slice(0, 20)).toContain(
        (await request("POST", `/api/tickets/${id}/note`, '{"text":"x"}')).status,
      );
      expect([400, 404], id.slice(0, 20)).toContain(
        (await request("POST", `/api/tickets/${id}/callback/log`, '{"outcome":"reached"}')).status,
      );
    }
    for (const q of [
      "status=bogus",
      "status=,,,",
      "sla=__proto__",
      "assignee=me&channel=%00",
      "status=open&status=new",
    ]) {
      expect((await request("GET", `/api/tickets?${q}`)).status, q).toBeLessThan(500);
    }
    for (const q of ["limit=abc", "limit=-1", "limit=1e9", "limit=__proto__", "limit=2&limit=3", "now=1970"]) {
      expect((await request("GET", `/api/callbacks?${q}`)).status, q).toBeLessThan(500);
    }
    expect((await request("POST", `/api/tickets/${ticketId}/render/__proto__`, "{}")).status).toBeLessThan(500);
    expect((await request("POST", "/api/approvals/nope/approve", "{}")).status).toBeLessThan(500);
    expect((await request("GET", "/no/such/route")).status).toBe(404);
    expect(watched.writes()).toEqual([]);
  });
});
