/**
 * Webhook latency against the commerce provider's latency (#18): the same signed-off memory-channel
 * webhook answered by a desk without a commerce provider (the baseline) and with one answering in
 * 5 ms, 2 s and never. Commerce context runs after commit within `commerceContext.budgetMs`, so the
 * answer must not follow the provider: with the budget at 200 ms, 2 s and never cost at most ~200 ms.
 */
import { createDesk, memoryStore, type CommerceProvider, type CustomerContext } from "../packages/core/src/index.js";
import { memoryChannel } from "../packages/core/src/testing/memory-channel.js";

const BUDGET_MS = 200;
const REQUESTS = 10;

function commerce(latencyMs: number | null): CommerceProvider {
  const context: CustomerContext = {
    providerCustomerId: "c1",
    name: "김민수",
    email: null,
    phone: null,
    ordersCount: 1,
    totalSpent: 1000,
    currency: "KRW",
    lastOrderAt: null,
    recentOrders: [],
    fetchedAt: new Date(0).toISOString(),
  };
  return {
    specVersion: 1,
    id: "slow-shop",
    customerContext: () =>
      new Promise((resolve) => {
        if (latencyMs === null) return; // never answers
        setTimeout(() => resolve(context), latencyMs);
      }),
    getOrder: () => Promise.resolve(null),
    performAction: () => Promise.reject(new Error("not in this bench")),
  };
}

async function medianLatency(provider: CommerceProvider | undefined): Promise<number> {
  const chat = memoryChannel({ id: "webchat" });
  const desk = createDesk({
    store: memoryStore(),
    channels: [chat],
    autoAcknowledge: false,
    ...(provider ? { commerce: provider } : {}),
    commerceContext: { budgetMs: BUDGET_MS },
  });
  const hook = desk.webhook("webchat");
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const body = JSON.stringify({
      type: "message",
      channel: "webchat",
      externalId: `w-${i}`,
      occurredAt: new Date().toISOString(),
      text: "배송 언제 와요?",
      from: { identities: [{ kind: "email", value: `kim${i}@example.com` }] },
      conversationKey: `c-${i}`,
    });
    const start = performance.now();
    const response = await hook(
      new Request("http://local/webhook", { method: "POST", body, headers: { "content-type": "application/json" } }),
    );
    times.push(performance.now() - start);
    if (response.status >= 300) throw new Error(`webhook answered ${response.status}`);
  }
  await desk.close();
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/** Prints the median webhook latency per commerce latency, against no commerce provider. */
export async function run(): Promise<void> {
  const base = await medianLatency(undefined);
  console.log(`no commerce provider: ${base.toFixed(1)} ms (baseline)`);
  for (const [name, latency] of [
    ["5 ms", 5],
    ["2 s", 2000],
    ["never", null],
  ] as const) {
    const ms = await medianLatency(commerce(latency));
    console.log(
      `commerce answering in ${name}: ${ms.toFixed(1)} ms (+${(ms - base).toFixed(1)} ms; budget ${BUDGET_MS} ms)`,
    );
  }
}
