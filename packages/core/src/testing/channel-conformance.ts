/**
 * The one test suite every channel adapter runs (as Auth.js runs one suite for
 * every database adapter). It defines what "a working channel" means: the
 * signature is checked before anything else, bad payloads are refused, events
 * are normalized and stable, redeliveries are harmless, and send failures carry
 * the codes the desk retries on.
 */
import { describe, expect, it } from "vitest";
import type { ErrorCode } from "../errors.js";
import { StoredeskError } from "../errors.js";
import { ChannelIdSchema } from "../domain/enums.js";
import { InboundEventSchema } from "../domain/inbound.js";
import type { InboundEventInput } from "../domain/inbound.js";
import type { Identity } from "../domain/customer.js";
import { normalizeIdentity } from "../domain/customer.js";
import type { Ticket } from "../domain/ticket.js";
import type { ChannelAdapter, OutboundMessage } from "../ports/channel.js";
import type { Store } from "../ports/store.js";
import type { Clock } from "../ports/clock.js";
import { manualClock } from "../ports/clock.js";
import { createDesk } from "../desk/index.js";
import { memoryStore } from "../store-memory/index.js";
import { SAMPLE_TIME, sampleCustomer, sampleTicket } from "./fixtures.js";

/** A value, or a promise of it (scenario hooks may be sync or async). */
export type MaybePromise<T> = T | Promise<T>;

/**
 * A provider failure the suite provokes on `send`, and the error it expects.
 *
 * @example
 * { name: "rate limited", arrange: () => { server.use(http.post(url, () => HttpResponse.json({}, { status: 429 }))) }, expect: { code: "RATE_LIMITED", retryable: true } }
 */
export interface SendScenario {
  /** Shown in the test name, e.g. `"provider answers 429"`. */
  name: string;
  /**
   * Makes the provider (or its mock) answer with the failure for the next send.
   * May return a cleanup function, run after the scenario whatever its outcome.
   */
  arrange: () => MaybePromise<void | (() => MaybePromise<void>)>;
  /** The StoredeskError the adapter must throw. */
  expect: { code: ErrorCode; retryable?: boolean };
}

/** Options of {@link runChannelConformance}. */
export interface ChannelConformanceOptions {
  /** Title of the `describe` block; defaults to `channel conformance: <adapter id>`. */
  name?: string;
  /**
   * The adapter under test, or a factory called once per test (preferred: a
   * fresh adapter keeps tests independent).
   */
  adapter: ChannelAdapter | (() => MaybePromise<ChannelAdapter>);
  /**
   * A correctly signed request carrying at least one customer message. Called
   * several times; each call must return a new `Request` with the same body
   * (as a provider redelivering it would).
   */
  validRequest: () => MaybePromise<Request>;
  /** The valid payload with a signature made with the wrong secret. */
  forgedRequest: () => MaybePromise<Request>;
  /**
   * A request carrying exactly these bytes, correctly signed over them (as the provider signs).
   * With it the suite checks that the signature covers the raw bytes, not their decoded text:
   * a byte-order mark added to a signed body is refused, a body signed over bytes that include a
   * BOM or invalid UTF-8 is not. Every adapter should give it.
   */
  signedBody?: (body: Uint8Array) => MaybePromise<Request>;
  /** The valid payload with the signature header missing. */
  unsignedRequest: () => MaybePromise<Request>;
  /** A correctly signed request whose payload does not match the provider's shape. */
  malformedRequest: () => MaybePromise<Request>;
  /**
   * The message `send` is called with in the send tests. Defaults to
   * {@link sampleOutboundMessage} for the adapter's channel.
   */
  outboundMessage?: (adapter: ChannelAdapter) => OutboundMessage;
  /**
   * Arranges a successful provider answer for one send (when the provider is a
   * mock that must be told). When given, the suite checks that `send` returns a
   * receipt with a non-empty `externalId`.
   */
  successfulSend?: { arrange?: () => MaybePromise<void | (() => MaybePromise<void>)> };
  /** Provider failures to provoke on `send`, each with the error code it must map to. */
  sendScenarios?: SendScenario[];
  /**
   * Only for an adapter whose `send` truly cannot be exercised in a test (no mock or
   * sandbox of the provider is possible): `"untestable"`, together with
   * {@link ChannelConformanceOptions.sendsUntestableReason}. Without it, a suite given
   * neither `successfulSend` nor `sendScenarios` fails.
   */
  sends?: "untestable";
  /** Why `send` cannot be tested; required with `sends: "untestable"`, shown as the skipped test's name. */
  sendsUntestableReason?: string;
  /** Secrets (tokens, app secrets) that must never appear in an error message or in an HTTP answer. */
  secrets?: string[];
  /**
   * Feeds events to a desk. By default the suite builds a real one:
   * `createDesk({ store: memoryStore(), channels: [adapter], clock, autoAcknowledge: false })`
   * from `@storedesk/core`. Pass your own to test with another store.
   */
  makeDesk?: (adapter: ChannelAdapter, clock: Clock) => MaybePromise<ConformanceDesk>;
  /** Clock for the desk; defaults to a manual clock at 2026-03-02T09:00:00+09:00. */
  clock?: Clock;
}

/** The part of a desk the redelivery test uses. */
export interface ConformanceDesk {
  ingest(
    event: InboundEventInput,
  ): Promise<{ outcome: string; ticket: Pick<Ticket, "id"> | null; message: { id: string } | null }>;
  listMessages(ticketId: string): Promise<Array<{ direction: string; externalId: string | null }>>;
}

/**
 * A plausible outbound message on `channel` for send tests: one ticket, one
 * customer known by an email address, a phone number and a webchat id, and
 * one earlier inbound message in the thread.
 *
 * @example
 * const message = { ...sampleOutboundMessage("contact-form"), text: "Thanks!" };
 */
export function sampleOutboundMessage(channel: string, identities?: Identity[]): OutboundMessage {
  const at = SAMPLE_TIME;
  const customer = sampleCustomer({
    id: "cus_conformance",
    name: "Kim Minsu",
    identities: identities ?? [
      { kind: "email", value: "kim.minsu@example.com" },
      { kind: "phone", value: "+821012345678" },
      { kind: "whatsapp", value: "821012345678" },
      { kind: "webchat", value: "visitor-1" },
    ],
  });
  const ticket = sampleTicket({
    id: "tkt_conformance",
    number: 1042,
    subject: "배송 문의 / Where is my order?",
    category: "shipping",
    channel,
    customerId: customer.id,
  });
  return {
    messageId: "msg_conformance_1",
    ticket,
    customer,
    text: "안녕하세요, 주문하신 상품은 오늘 출고됩니다. Your order ships today.",
    html: null,
    subject: null,
    attachments: [],
    visibility: "private",
    thread: [{ externalId: "conformance-inbound-1@example.com", direction: "inbound", createdAt: at }],
    template: null,
    options: {},
  };
}

async function resolveAdapter(adapter: ChannelConformanceOptions["adapter"]): Promise<ChannelAdapter> {
  return typeof adapter === "function" ? await adapter() : adapter;
}

function defaultDesk(adapter: ChannelAdapter, clock: Clock): ConformanceDesk {
  return createDesk({ store: memoryStore(), channels: [adapter], clock, autoAcknowledge: false });
}

function expectNoSecret(text: string, secrets: readonly string[]): void {
  for (const secret of secrets) {
    if (secret.length > 0) expect(text.includes(secret), "a secret leaked into an error or response").toBe(false);
  }
}

async function runScenarioCleanup(cleanup: void | (() => MaybePromise<void>)): Promise<void> {
  if (typeof cleanup === "function") await cleanup();
}

/**
 * Registers the channel conformance tests (vitest `describe`/`it`) for one adapter.
 * Call it at the top level of a test file. A channel is done when this suite is green.
 *
 * It checks that:
 * - the adapter declares `specVersion: 1`, a valid channel id, and `replyWindow` when its capabilities say so;
 * - a forged and an unsigned request answer 401 with no events, and a correctly signed malformed one 400 with no events;
 * - with `signedBody`: the signature covers the raw bytes (a BOM added → 401; signed over a BOM or
 *   invalid UTF-8 → accepted or 400, never 401 or 5xx);
 * - sent through a real desk's `desk.webhook(adapter.id)`, those three get 401/401/400 and leave the store
 *   unchanged (no ticket, no message, no customer for the identities the valid request creates there);
 * - a valid request answers 2xx with events that parse with `InboundEventSchema`, carry the adapter's
 *   channel id, and have the same external ids when the same request comes again;
 * - the same request ingested twice through a real desk stores no second message;
 * - `send` maps each provider failure of `sendScenarios` to the expected StoredeskError code,
 *   and no error or response leaks one of `secrets`;
 * - `send` is tested at all: without `successfulSend` or `sendScenarios` the suite fails, unless the
 *   options declare `sends: "untestable"` with a `sendsUntestableReason` (then a skipped test names the reason).
 *
 * @example
 * runChannelConformance({
 *   adapter: () => contactFormChannel({ secret, sendReply }),
 *   validRequest: () => signedRequest(validBody, secret),
 *   forgedRequest: () => signedRequest(validBody, "wrong-secret"),
 *   unsignedRequest: () => new Request(url, { method: "POST", body: validBody }),
 *   malformedRequest: () => signedRequest(JSON.stringify({ hello: "world" }), secret),
 *   sendScenarios: [{ name: "429", arrange: () => failNextWith(429), expect: { code: "RATE_LIMITED", retryable: true } }],
 *   secrets: [secret],
 * });
 */
export function runChannelConformance(options: ChannelConformanceOptions): void {
  const secrets = options.secrets ?? [];
  const title =
    options.name ?? `channel conformance: ${typeof options.adapter === "function" ? "adapter" : options.adapter.id}`;

  describe(title, () => {
    it("declares spec version 1, a valid channel id and a reply window when its capabilities say so", async () => {
      const adapter = await resolveAdapter(options.adapter);
      expect(adapter.specVersion).toBe(1);
      expect(ChannelIdSchema.safeParse(adapter.id).success).toBe(true);
      expect(typeof adapter.displayName).toBe("string");
      expect(typeof adapter.handleWebhook).toBe("function");
      expect(typeof adapter.send).toBe("function");
      if (adapter.capabilities.replyWindow) expect(typeof adapter.replyWindow).toBe("function");
    });

    const rejected: Array<[string, () => MaybePromise<Request>, number]> = [
      ["a forged signature", options.forgedRequest, 401],
      ["a missing signature", options.unsignedRequest, 401],
      ["a malformed payload with a valid signature", options.malformedRequest, 400],
    ];
    for (const [what, makeRequest, status] of rejected) {
      it(`answers ${status} with no events to ${what}`, async () => {
        const adapter = await resolveAdapter(options.adapter);
        const result = await adapter.handleWebhook(await makeRequest());
        expect(result.response.status).toBe(status);
        expect(result.events).toEqual([]);
        expectNoSecret(await result.response.text(), secrets);
      });
    }

    if (options.signedBody) {
      const signedBody = options.signedBody;
      const bytesOf = async (request: Request) => new Uint8Array(await request.arrayBuffer());
      /** The request with another body and the same headers (the signature stays the original one). */
      const rebodied = (request: Request, body: Uint8Array) =>
        new Request(request.url, { method: request.method, headers: request.headers, body: Buffer.from(body) });
      const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
      const join = (...parts: Uint8Array[]) => Buffer.concat(parts);

      it("verifies the signature over the raw bytes: a byte-order mark added to a signed body is refused with 401", async () => {
        const adapter = await resolveAdapter(options.adapter);
        const valid = await options.validRequest();
        const result = await adapter.handleWebhook(rebodied(valid, join(BOM, await bytesOf(valid.clone()))));
        expect(result.response.status).toBe(401);
        expect(result.events).toEqual([]);
      });

      it("accepts a body signed over bytes that start with a byte-order mark", async () => {
        const adapter = await resolveAdapter(options.adapter);
        const result = await adapter.handleWebhook(
          await signedBody(join(BOM, await bytesOf(await options.validRequest()))),
        );
        expect(result.response.status, "a correctly signed body").not.toBe(401);
        expect(result.response.status).toBeLessThan(300);
      });

      it("refuses one invalid UTF-8 byte swapped for another (both decode alike) with 401, and never answers 5xx", async () => {
        const adapter = await resolveAdapter(options.adapter);
        const body = await bytesOf(await options.validRequest());
        const signed = await signedBody(join(body, new Uint8Array([0x0a, 0xff])));
        const swapped = rebodied(signed.clone(), join(body, new Uint8Array([0x0a, 0xfe])));
        const accepted = await adapter.handleWebhook(signed);
        expect(accepted.response.status, "signed over invalid UTF-8: 2xx or 400, never 401 or 5xx").not.toBe(401);
        expect(accepted.response.status).toBeLessThan(500);
        const refused = await adapter.handleWebhook(swapped);
        expect(refused.response.status).toBe(401);
        expect(refused.events).toEqual([]);
      });
    }

    // The same requests through a real desk: its handler must answer as the adapter does and write nothing.
    async function deskOnMemoryStore(
      adapter: ChannelAdapter,
    ): Promise<{ store: Store; handle: (request: Request) => Promise<Response> }> {
      const store = memoryStore();
      const clock = options.clock ?? manualClock(new Date("2026-03-02T09:00:00+09:00"));
      const desk = createDesk({ store, channels: [adapter], clock, autoAcknowledge: false });
      return { store, handle: desk.webhook(adapter.id) };
    }
    /** What the valid request writes: its message ids and sender identities. */
    async function footprint(adapter: ChannelAdapter): Promise<{ externalIds: string[]; identities: Identity[] }> {
      const { events } = await adapter.handleWebhook(await options.validRequest());
      const messages = events.flatMap((e) => (e.type === "message" ? [e] : []));
      return { externalIds: messages.map((m) => m.externalId), identities: messages.flatMap((m) => m.from.identities) };
    }
    async function storeWrites(
      store: Store,
      adapter: ChannelAdapter,
      trace: { externalIds: string[]; identities: Identity[] },
    ): Promise<string[]> {
      const found: string[] = [];
      const tickets = await store.listTickets({});
      if (tickets.length > 0) found.push(`${tickets.length} ticket(s)`);
      for (const id of trace.externalIds)
        if (await store.findMessageByExternalId(adapter.id, id)) found.push(`message ${id}`);
      for (const identity of trace.identities) {
        if (await store.findCustomerByIdentity(normalizeIdentity(identity)))
          found.push(`customer ${identity.kind}:${identity.value}`);
      }
      return found;
    }

    for (const [what, makeRequest, status] of rejected) {
      it(`answers ${status} through a desk's webhook handler to ${what} and leaves the store unchanged`, async () => {
        const adapter = await resolveAdapter(options.adapter);
        const trace = await footprint(adapter);
        const { store, handle } = await deskOnMemoryStore(adapter);
        const response = await handle(await makeRequest());
        expect(response.status).toBe(status);
        expectNoSecret(await response.text(), secrets);
        expect(await storeWrites(store, adapter, trace), "the rejected request wrote to the store").toEqual([]);
        // Control: the valid request through the same handler does write, so the check above can see writes.
        const accepted = await handle(await options.validRequest());
        expect(accepted.status, "the valid request through the desk").toBeGreaterThanOrEqual(200);
        expect(accepted.status, "the valid request through the desk").toBeLessThan(300);
        expect(
          (await storeWrites(store, adapter, trace)).length,
          "the valid request wrote nothing the suite can see",
        ).toBeGreaterThan(0);
      });
    }

    it("normalizes a valid request into events that parse with InboundEventSchema and carry the channel id", async () => {
      const adapter = await resolveAdapter(options.adapter);
      const result = await adapter.handleWebhook(await options.validRequest());
      expect(result.response.status).toBeGreaterThanOrEqual(200);
      expect(result.response.status).toBeLessThan(300);
      expect(result.events.length).toBeGreaterThan(0);
      for (const event of result.events) {
        const parsed = InboundEventSchema.safeParse(event);
        expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues)).toBe(true);
        expect(event.channel).toBe(adapter.id);
      }
      expect(
        result.events.some((e) => e.type === "message"),
        "the valid request must carry a customer message",
      ).toBe(true);
    });

    it("gives the same external ids when the same request is delivered again", async () => {
      const adapter = await resolveAdapter(options.adapter);
      const first = await adapter.handleWebhook(await options.validRequest());
      const second = await adapter.handleWebhook(await options.validRequest());
      const ids = (events: InboundEventInput[]) => events.map((e) => `${e.type}:${e.externalId}`);
      expect(ids(first.events).length).toBeGreaterThan(0);
      expect(ids(second.events)).toEqual(ids(first.events));
    });

    it("stores no second message when a desk ingests a redelivered request", async () => {
      const adapter = await resolveAdapter(options.adapter);
      const clock = options.clock ?? manualClock(new Date("2026-03-02T09:00:00+09:00"));
      const desk = options.makeDesk ? await options.makeDesk(adapter, clock) : defaultDesk(adapter, clock);
      const first = await adapter.handleWebhook(await options.validRequest());
      const ticketIds = new Set<string>();
      for (const event of first.events) {
        const outcome = await desk.ingest(event);
        expect(outcome.outcome).not.toBe("duplicate");
        if (outcome.ticket) ticketIds.add(outcome.ticket.id);
      }
      expect(ticketIds.size).toBeGreaterThan(0);
      const countInbound = async () => {
        let n = 0;
        for (const id of ticketIds) n += (await desk.listMessages(id)).filter((m) => m.direction === "inbound").length;
        return n;
      };
      const before = await countInbound();
      expect(before).toBeGreaterThan(0);

      const again = await adapter.handleWebhook(await options.validRequest());
      for (const event of again.events) {
        const outcome = await desk.ingest(event);
        if (event.type === "message") expect(outcome.outcome).toBe("duplicate");
      }
      expect(await countInbound()).toBe(before);
    });

    const testsSend = options.successfulSend !== undefined || (options.sendScenarios?.length ?? 0) > 0;
    if (options.sends === "untestable") {
      const reason = options.sendsUntestableReason?.trim() ?? "";
      if (reason === "" || testsSend) {
        it("declares send untestable only with a reason and without send tests", () => {
          expect(reason, 'sends: "untestable" needs sendsUntestableReason').not.toBe("");
          expect(testsSend, 'sends: "untestable" contradicts the given successfulSend / sendScenarios').toBe(false);
        });
      } else {
        it.skip(`send is not tested: ${reason}`, () => undefined);
      }
    } else if (!testsSend) {
      it("tests send (give successfulSend or sendScenarios)", () => {
        expect.fail(
          'No send test: pass successfulSend and/or sendScenarios, or sends: "untestable" with sendsUntestableReason',
        );
      });
    }

    const makeMessage = (adapter: ChannelAdapter) =>
      (options.outboundMessage ?? ((a: ChannelAdapter) => sampleOutboundMessage(a.id)))(adapter);

    if (options.successfulSend) {
      const { arrange } = options.successfulSend;
      it("returns a receipt with the provider's message id when a send succeeds", async () => {
        const adapter = await resolveAdapter(options.adapter);
        const cleanup = arrange ? await arrange() : undefined;
        try {
          const receipt = await adapter.send(makeMessage(adapter));
          expect(typeof receipt.externalId).toBe("string");
          expect(receipt.externalId.length).toBeGreaterThan(0);
          expect(["queued", "sent", "delivered", "read"]).toContain(receipt.status);
        } finally {
          await runScenarioCleanup(cleanup);
        }
      });
    }

    for (const scenario of options.sendScenarios ?? []) {
      it(`throws ${scenario.expect.code} from send when ${scenario.name}`, async () => {
        const adapter = await resolveAdapter(options.adapter);
        const cleanup = await scenario.arrange();
        let caught: unknown = null;
        try {
          await adapter.send(makeMessage(adapter));
        } catch (err) {
          caught = err;
        } finally {
          await runScenarioCleanup(cleanup);
        }
        expect(caught, "send resolved although the provider failed").not.toBeNull();
        expect(StoredeskError.is(caught), `expected a StoredeskError, got ${String(caught)}`).toBe(true);
        const err = caught as StoredeskError;
        expect(err.code).toBe(scenario.expect.code);
        if (scenario.expect.retryable !== undefined) expect(err.retryable).toBe(scenario.expect.retryable);
        expectNoSecret(`${err.message} ${JSON.stringify(err.toJSON())}`, secrets);
      });
    }
  });
}
