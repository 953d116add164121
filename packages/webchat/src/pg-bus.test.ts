import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import type { BusNotice, WebchatBus } from "./bus.js";
import { postgresBus } from "./pg-bus.js";

const url = process.env.DATABASE_URL;
const channel = `sd_webchat_test_${process.pid}_${Date.now() % 100_000}`;

function nextNotice(bus: WebchatBus): Promise<BusNotice> {
  return new Promise((resolve) => {
    const stop = bus.subscribe((notice) => {
      stop();
      resolve(notice);
    });
  });
}

describe.skipIf(!url)("postgresBus (LISTEN/NOTIFY on DATABASE_URL)", () => {
  const pools: pg.Pool[] = [];
  const buses: WebchatBus[] = [];
  afterAll(async () => {
    for (const bus of buses) await bus.close();
    for (const pool of pools) await pool.end();
  });
  async function instance(): Promise<WebchatBus> {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pools.push(pool);
    const bus = await postgresBus({ pool, channel });
    buses.push(bus);
    return bus;
  }

  it("delivers a notice published on one instance to a subscriber on another", async () => {
    const [a, b] = [await instance(), await instance()];
    const received = nextNotice(b);
    await a.publish({ topic: "anon:v1", item: JSON.stringify({ type: "message", text: "안녕하세요" }) });
    expect(await received).toEqual({ topic: "anon:v1", item: JSON.stringify({ type: "message", text: "안녕하세요" }) });
  });

  it("sends an item too large for NOTIFY as a bare notice, so readers catch up from the store", async () => {
    const [a, b] = [await instance(), await instance()];
    const received = nextNotice(b);
    await a.publish({ topic: "anon:v2", item: "가".repeat(5_000) });
    expect(await received).toEqual({ topic: "anon:v2", item: null });
  });
});

if (!url) {
  describe("postgresBus", () => {
    it.skip("needs a PostgreSQL server: DATABASE_URL is unset", () => undefined);
  });
}
