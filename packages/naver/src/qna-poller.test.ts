import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore } from "@storedesk/core";
import { naverCommerceClient, naverQnaChannel, naverQnaPoller } from "./index.js";
import { BASE, CLIENT_ID, CLIENT_SECRET, QNAS_URL, question as baseQuestion, tokenEndpoint } from "./test-support.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A Smartstore with questions: filters by answered and window, pages by size, records answers. */
function smartstore(questions: Array<ReturnType<typeof question>>) {
  const state = { requests: [] as URLSearchParams[], answers: new Map<string, string>(), puts: 0 };
  server.use(
    http.get(QNAS_URL, ({ request }) => {
      const q = new URL(request.url).searchParams;
      state.requests.push(q);
      if (!q.get("fromDate") || !q.get("toDate"))
        return HttpResponse.json({ code: "BAD_REQUEST", message: "fromDate/toDate required" }, { status: 400 });
      const from = Date.parse(q.get("fromDate")!),
        to = Date.parse(q.get("toDate")!);
      const size = Number(q.get("size")),
        page = Number(q.get("page"));
      const matching = questions.filter(
        (x) =>
          String(x.answered) === q.get("answered") &&
          Date.parse(x.createDate) >= from &&
          Date.parse(x.createDate) <= to,
      );
      return HttpResponse.json({
        contents: matching.slice((page - 1) * size, page * size),
        page,
        size,
        totalElements: matching.length,
        totalPages: Math.ceil(matching.length / size),
      });
    }),
    http.put(`${BASE}/v1/contents/qnas/:id`, async ({ params, request }) => {
      const body = (await request.json()) as { commentContent: string };
      state.answers.set(String(params.id), body.commentContent);
      state.puts++;
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return state;
}

// Near the wall clock: keyed-record expiry (the claims' leases) is judged by the store's own clock.
const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const question = (id: number, extra: Record<string, unknown> = {}) =>
  baseQuestion(id, { createDate: new Date(now.getTime() - 30 * 60_000).toISOString(), ...extra });
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock(now);
  tokenEndpoint(server);
});

function setup(store = memoryStore()) {
  const client = naverCommerceClient({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    clock,
    ratePerSecond: 1000,
  });
  const channel = naverQnaChannel({
    client,
    productUrl: (id) => `https://smartstore.naver.com/shop/products/${id}`,
  });
  const desk = createDesk({ outbox: { wait: "sent" }, store, channels: [channel], clock, autoAcknowledge: false });
  return {
    store,
    client,
    channel,
    desk,
    poller: (workerId = "a") => naverQnaPoller({ channel, client, store, desk, clock, workerId, pageSize: 2 }),
  };
}

describe("smartstore product Q&A poller", () => {
  it("turns each unanswered question into a ticket with the product in context, asking pages of both bounds", async () => {
    const shop = smartstore([question(1), question(2), question(3), question(4, { answered: true })]);
    const { desk, poller } = setup();
    const result = await poller().poll();
    expect(result.ingested).toBe(3);
    expect(shop.requests.every((q) => q.get("fromDate") && q.get("toDate"))).toBe(true);
    expect(shop.requests.map((q) => q.get("page"))).toEqual(["1", "2"]);
    expect(shop.requests.every((q) => q.get("answered") === "false")).toBe(true);
    const tickets = await desk.listTickets({});
    expect(tickets).toHaveLength(3);
    expect(tickets.every((t) => t.category === "product")).toBe(true);
    const [message] = await desk.listMessages(tickets.find((t) => t.conversationKey === "qna:1")!.id);
    expect(message!.meta.context).toEqual({
      product: {
        id: "5000001",
        name: "무선 이어폰 X2",
        url: "https://smartstore.naver.com/shop/products/5000001",
      },
    });
  });

  it("resumes from the stored cursor after a restart and ingests nothing twice", async () => {
    const questions = [question(1)];
    const shop = smartstore(questions);
    const { store, desk, poller } = setup();
    await poller("first").poll();
    clock.advance(60 * 60_000);
    questions.push(question(2, { createDate: new Date(clock.now().getTime() - 5 * 60_000).toISOString() }));
    const again = await setup(store).poller("restarted").poll();
    // The restarted poller starts where the first left off (minus the overlap), not a day back.
    expect(Date.parse(shop.requests.at(-1)!.get("fromDate")!)).toBe(now.getTime() - 10 * 60_000);
    expect(again.ingested).toBe(1);
    expect(await desk.listTickets({})).toHaveLength(2);
  });

  it("two pollers on one store at the same time ingest each question exactly once", async () => {
    smartstore([question(1), question(2), question(3), question(4), question(5)]);
    const store = memoryStore();
    const a = setup(store),
      b = setup(store);
    const [ra, rb] = await Promise.all([a.poller("a").poll(), b.poller("b").poll()]);
    expect(ra.ingested + rb.ingested).toBe(5);
    expect(ra.skipped + rb.skipped).toBe(5);
    const tickets = await a.desk.listTickets({});
    expect(tickets).toHaveLength(5);
    for (const t of tickets)
      expect((await a.desk.listMessages(t.id)).filter((m) => m.direction === "inbound")).toHaveLength(1);
  });

  it("frees the claim when ingest fails, so the next poll takes the question again", async () => {
    smartstore([question(1)]);
    const { store, channel, client } = setup();
    let fail = true;
    const real = createDesk({ outbox: { wait: "sent" }, store, channels: [channel], clock, autoAcknowledge: false });
    const flaky = {
      ingest: async (e: Parameters<typeof real.ingest>[0]) => {
        if (fail) throw new Error("db down");
        return real.ingest(e);
      },
    };
    const poller = naverQnaPoller({ channel, client, store, desk: flaky, clock });
    await expect(poller.poll()).rejects.toThrow("db down");
    fail = false;
    expect((await poller.poll()).ingested).toBe(1);
    expect(await real.listTickets({})).toHaveLength(1);
  });

  it("answers through PUT /v1/contents/qnas/{questionId}; an edit is a second PUT of the same answer, not a second answer", async () => {
    const shop = smartstore([question(77)]);
    const { desk, poller } = setup();
    await poller().poll();
    const [ticket] = await desk.listTickets({});
    const first = await desk.reply(ticket!.id, { text: "네, IPX4 생활 방수입니다.", agentId: "kim" });
    expect(shop.answers.get("77")).toBe("네, IPX4 생활 방수입니다.");
    expect(first.meta.naver).toEqual({ questionId: "77", answer: "created" });
    const edited = await desk.reply(ticket!.id, {
      text: "네, IPX4 생활 방수입니다. 샤워 중 사용은 피해 주세요.",
      agentId: "kim",
    });
    expect(edited.meta.naver).toEqual({ questionId: "77", answer: "updated" });
    expect(shop.puts).toBe(2);
    expect([...shop.answers.keys()]).toEqual(["77"]);
    expect(shop.answers.get("77")).toContain("샤워");
  });
});
