/**
 * A desk process for the outbox crash test: ingests messages (each acknowledgement is queued in
 * the ingest's transaction) and replies to each, through a channel whose provider never answers,
 * then prints `{"ready":n}`. The test kills this process by its pid (SIGKILL) while every send is
 * in flight: committed, not yet sent.
 *
 *   DATABASE_URL=… (or PGLITE_DIR=…) SCHEMA=… COUNT=… node --conditions=storedesk-source --import tsx outbox-crash.child.ts
 */
import { PGlite } from "@electric-sql/pglite";
import { createDesk } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { postgresStore } from "../src/index.js";

const schema = process.env.SCHEMA ?? "storedesk";
const store = process.env.PGLITE_DIR
  ? postgresStore({ pglite: await PGlite.create(process.env.PGLITE_DIR) }, { schema })
  : postgresStore({ connectionString: process.env.DATABASE_URL! }, { schema });
const chat = memoryChannel({ id: "webchat" });
chat.send = () => new Promise(() => undefined); // the provider call that the kill interrupts
const desk = createDesk({
  store,
  channels: [chat],
  workerId: "crashing",
  outbox: { sendTimeoutMs: 600_000, leaseMs: 1_200_000 },
});
desk.on("error", () => undefined);

const count = Number(process.env.COUNT ?? 10);
for (let i = 0; i < count; i++) {
  const { ticket } = await desk.ingest({
    type: "message",
    channel: "webchat",
    externalId: `crash-${i}`,
    occurredAt: new Date(),
    from: { identities: [{ kind: "webchat", value: `visitor-${i}` }] },
    text: "배송 언제 와요?",
    conversationKey: `c-${i}`,
  });
  await desk.reply(ticket!.id, { text: "오늘 출고됩니다", agentId: "kim" });
}
process.stdout.write(`${JSON.stringify({ ready: count })}\n`);
setInterval(() => undefined, 1_000); // stay alive until killed
