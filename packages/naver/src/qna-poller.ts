/**
 * Polls `GET /v1/contents/qnas` over time windows and ingests each new question once across
 * every instance: a question is claimed by id with an insert-only keyed record before it is
 * ingested, and the window cursor lives in the store, advanced with compare-and-set.
 */
import type { Clock, InboundEventInput, Store } from "@storedesk/core";
import { StoredeskError, systemClock } from "@storedesk/core";
import type { NaverCommerceClient } from "./commerce-client.js";
import type { NaverQnaChannel } from "./qna-channel.js";

/** The part of a desk the poller uses. */
export interface QnaPollerDesk {
  ingest(event: InboundEventInput): Promise<{ outcome: string; ticket: { id: string; category: string } | null }>;
  setCategory?(ticketId: string, category: string, actor?: { system: string }): Promise<unknown>;
}

/** Options of {@link naverQnaPoller}. */
export interface NaverQnaPollerOptions {
  channel: NaverQnaChannel;
  client: NaverCommerceClient;
  /** Holds the cursor and the claims (any store: memory, PGlite, PostgreSQL). */
  store: Pick<Store, "getRecord" | "putRecord" | "deleteRecord">;
  desk: QnaPollerDesk;
  clock?: Clock;
  /** Where the first poll starts, back from now. Default 24 hours. */
  initialLookbackMs?: number;
  /** Longest window one request asks for. Default 24 hours. */
  maxWindowMs?: number;
  /** Each window starts this much before the last one ended, for questions indexed late. Default 10 minutes. */
  overlapMs?: number;
  /** Page size, at most 100 (the API's maximum). Default 100. */
  pageSize?: number;
  /** Also ingest questions already answered on Smartstore (after the unanswered ones). Default false. */
  includeAnswered?: boolean;
  /** How long an unfinished claim blocks other instances (a crashed poller's claim then frees). Default 2 minutes. */
  claimLeaseMs?: number;
  /** How long a finished claim is kept (longer than any overlap). Default 90 days. */
  claimKeepMs?: number;
  /** Names this instance in claims. */
  workerId?: string;
}

/** What one {@link NaverQnaPoller.poll} did. */
export interface QnaPollResult {
  from: Date;
  to: Date;
  fetched: number;
  ingested: number;
  /** Questions another instance had already claimed (or this one, on an overlap). */
  skipped: number;
  /** Whether this instance moved the cursor (false when another one moved it first). */
  advanced: boolean;
}

/** The poller. */
export interface NaverQnaPoller {
  /** Polls one window (cursor → now, at most `maxWindowMs`). Throws when a question could not be ingested. */
  poll(): Promise<QnaPollResult>;
}

const CURSOR_NS = "naver.qna-cursor";
const CLAIM_NS = "naver.qna-claims";

interface Claim {
  state: "claimed" | "done";
  by: string;
  createDate: string;
}

/**
 * Makes a Q&A poller. Run `poll()` on a timer (the Commerce API has no push for questions);
 * several instances may run it at once.
 *
 * @example
 * const poller = naverQnaPoller({ channel: qna, client: commerce, store, desk });
 * setInterval(() => void poller.poll().catch(console.error), 60_000);
 */
export function naverQnaPoller(options: NaverQnaPollerOptions): NaverQnaPoller {
  const clock = options.clock ?? systemClock();
  const { store, desk, channel, client } = options;
  const pageSize = Math.min(100, Math.max(1, options.pageSize ?? 100));
  const lookback = options.initialLookbackMs ?? 24 * 3600_000;
  const maxWindow = options.maxWindowMs ?? 24 * 3600_000;
  const overlap = options.overlapMs ?? 10 * 60_000;
  const leaseMs = options.claimLeaseMs ?? 2 * 60_000;
  const keepMs = options.claimKeepMs ?? 90 * 24 * 3600_000;
  const workerId = options.workerId ?? `poller-${Math.random().toString(36).slice(2, 10)}`;

  /** Claims a question: true when this instance now owns it; else why not. */
  async function claim(questionId: string, createDate: string): Promise<"mine" | "done" | "busy"> {
    const now = clock.now();
    try {
      await store.putRecord(
        {
          namespace: CLAIM_NS,
          key: `${channel.id}:${questionId}`,
          value: { state: "claimed", by: workerId, createDate } satisfies Claim,
          expiresAt: new Date(now.getTime() + leaseMs),
        },
        null,
      );
      return "mine";
    } catch (err) {
      if (!StoredeskError.is(err, "CONFLICT")) throw err;
      const existing = await store.getRecord(CLAIM_NS, `${channel.id}:${questionId}`);
      return existing && (existing.value as Claim).state === "claimed" ? "busy" : "done";
    }
  }

  async function ingestOne(event: InboundEventInput & { type: "message" }, questionId: string): Promise<boolean> {
    try {
      const result = await desk.ingest(event);
      // Category product unless the classifier found something more specific.
      if (result.outcome === "created" && result.ticket && result.ticket.category === "other" && desk.setCategory) {
        await desk.setCategory(result.ticket.id, "product", { system: "naver-qna" });
      }
    } catch (err) {
      // Free the question so the next poll (here or elsewhere) takes it again: nothing is lost.
      await store.deleteRecord(CLAIM_NS, `${channel.id}:${questionId}`).catch(() => undefined);
      throw err;
    }
    const now = clock.now();
    await store.putRecord({
      namespace: CLAIM_NS,
      key: `${channel.id}:${questionId}`,
      value: { state: "done", by: workerId, createDate: String(event.occurredAt) } satisfies Claim,
      expiresAt: new Date(now.getTime() + keepMs),
    });
    return true;
  }

  async function poll(): Promise<QnaPollResult> {
    const now = clock.now();
    const cursor = await store.getRecord(CURSOR_NS, channel.id);
    const from = cursor ? new Date((cursor.value as { from: string }).from) : new Date(now.getTime() - lookback);
    const to = new Date(Math.min(now.getTime(), from.getTime() + maxWindow));
    let fetched = 0,
      ingested = 0,
      skipped = 0;
    // The oldest question another instance is still working on: the cursor must not pass it.
    let holdAt: number | null = null;

    for (const answered of options.includeAnswered ? [false, true] : [false]) {
      for (let page = 1; ; page++) {
        const body = await client.request<{ contents?: unknown[]; totalPages?: number }>({
          method: "GET",
          path: "/v1/contents/qnas",
          searchParams: {
            fromDate: from.toISOString(),
            toDate: to.toISOString(),
            page,
            size: pageSize,
            answered,
          },
        });
        const { response, events } = await channel.handleWebhook(channel.batchRequest(body));
        if (!response.ok) {
          throw new StoredeskError({
            code: "PROVIDER_ERROR",
            message: `Commerce API Q&A page ${page} did not parse (${response.status})`,
            details: { page },
          });
        }
        fetched += events.length;
        for (const event of events) {
          if (event.type !== "message") continue;
          const questionId = String((event.meta?.naver as { questionId: string }).questionId);
          const state = await claim(questionId, String(event.occurredAt));
          if (state === "busy") holdAt = Math.min(holdAt ?? Infinity, new Date(String(event.occurredAt)).getTime());
          if (state !== "mine") {
            skipped++;
            continue;
          }
          if (await ingestOne(event, questionId)) ingested++;
        }
        const count = Array.isArray(body?.contents) ? body.contents.length : 0;
        if (count < pageSize || (body?.totalPages !== undefined && page >= body.totalPages)) break;
      }
    }

    const next = Math.min(to.getTime() - overlap, holdAt ?? Infinity);
    let advanced = false;
    if (next > from.getTime()) {
      try {
        await store.putRecord(
          { namespace: CURSOR_NS, key: channel.id, value: { from: new Date(next).toISOString() } },
          cursor ? cursor.version : null,
        );
        advanced = true;
      } catch (err) {
        // Another instance moved the cursor first: its window covers ours; claims kept us apart.
        if (!StoredeskError.is(err, "CONFLICT")) throw err;
      }
    }
    return { from, to, fetched, ingested, skipped, advanced };
  }

  return { poll };
}
