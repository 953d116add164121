/**
 * The guides' numbers that the code decides, measured by running the code: what a webhook answers
 * when an ingest fails, and how many statements one ingest of a new conversation costs on
 * PostgreSQL (PGlite here, the same SQL as a server). A guide that drifts from the code fails.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
// Relative imports, as bench/ does: scripts/ is no workspace package with dependencies of its own.
import {
  createDesk,
  manualClock,
  memoryStore,
  type InboundEventInput,
  type Store,
} from "../../packages/core/src/index.js";
import { memoryChannel } from "../../packages/core/src/testing/memory-channel.js";
import { postgresStore } from "../../packages/store-postgres/src/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const guide = (name: string) => readFileSync(join(root, "docs/guides", name), "utf8").replace(/\s+/g, " ");
const guides = readdirSync(join(root, "docs/guides")).filter((f) => f.endsWith(".md"));

const newConversation = (id: string): InboundEventInput => ({
  type: "message",
  channel: "webchat",
  externalId: id,
  occurredAt: new Date("2026-11-25T01:00:00Z"),
  from: { identities: [{ kind: "webchat", value: `visitor-${id}` }], name: "김민지" },
  text: "배송이 언제 오나요?",
});

describe("claims in the guides", () => {
  it("what a webhook answers when the ingest fails is the status the guides name", async () => {
    const base = memoryStore();
    const down: Store = { ...base, transaction: () => Promise.reject(new Error("connection lost")) };
    const desk = createDesk({ store: down, channels: [memoryChannel({ id: "webchat" })], autoAcknowledge: false });
    desk.on("error", () => {}); // the desk reports the failure as an event too
    const response = await desk.webhook("webchat")(
      new Request("https://shop.example/webhooks/webchat", {
        method: "POST",
        body: JSON.stringify(newConversation("down-1")),
      }),
    );
    const claims = guides.flatMap((name) =>
      [...guide(name).matchAll(/(?:store|ingesting|an ingest) fails, it answers (\d{3})/g)].map((m) => ({
        name,
        status: Number(m[1]),
      })),
    );
    // quick-start.md and writing-a-channel-adapter.md say it; a rewording that loses the claim fails here.
    expect(claims.map((c) => c.name).sort()).toEqual(
      expect.arrayContaining(["quick-start.md", "writing-a-channel-adapter.md"]),
    );
    for (const claim of claims) expect(claim, claim.name).toEqual({ name: claim.name, status: response.status });
    expect(response.status).toBe(503); // retryable: the provider delivers again
    await desk.close?.();
  });

  it("postgres.md's statement count for a new conversation is the count measured on PGlite", async () => {
    // PGlite is a dependency of store-postgres, not of the repository root.
    const fromStore = createRequire(join(root, "packages/store-postgres/package.json"));
    const { PGlite } = (await import(fromStore.resolve("@electric-sql/pglite").replace(/\.cjs$/, ".js"))) as {
      PGlite: { create(): Promise<{ close(): Promise<void> }> };
    };
    const db = await PGlite.create();
    const statements: string[] = [];
    let counting = false;
    const store = postgresStore(
      { pglite: db as never },
      { onStatement: (sql) => void (counting && statements.push(sql)) },
    );
    try {
      await store.migrate();
      const desk = createDesk({
        store,
        clock: manualClock(new Date("2026-11-25T01:00:00Z")),
        channels: [memoryChannel({ id: "webchat" })],
        autoAcknowledge: false,
      });
      await desk.ingest(newConversation("warm-up")); // the first ingest also reads the schema's state
      counting = true;
      await desk.ingest(newConversation("measured"));
      counting = false;
      await desk.close?.();
    } finally {
      await db.close();
    }
    const text = guide("postgres.md");
    const claim = /One desk ingest of a new conversation costs (\d+) statements: ([^.]*?COMMIT)\./.exec(text);
    expect(claim, "postgres.md no longer states the cost of a new conversation").not.toBeNull();
    expect(Number(claim![1])).toBe(statements.length);
    // The list after the number names each statement once ("customer + identities (one statement)" is one).
    const listed = claim![2]!
      .replace(/\([^)]*\)/g, "")
      .split(",")
      .filter((s) => s.trim() !== "");
    expect(listed.length).toBe(statements.length);
    expect(statements[0]).toMatch(/^BEGIN/);
    expect(statements.at(-1)).toMatch(/^COMMIT/);
  });
});
