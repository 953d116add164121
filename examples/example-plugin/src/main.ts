/** Runs the first-contact plugin on an in-memory desk and prints what the customer receives. */
import { createDesk, manualClock, memoryStore } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { firstContactPlugin } from "./first-contact-plugin.js";

const chat = memoryChannel({ id: "webchat" });
const desk = createDesk({
  store: memoryStore(),
  clock: manualClock(new Date("2026-03-02T01:00:00Z")),
  channels: [chat],
  plugins: [firstContactPlugin()],
});
await desk.ingest({
  type: "message",
  channel: "webchat",
  externalId: "m1",
  occurredAt: new Date("2026-03-02T01:00:00Z"),
  text: "사이즈 교환 가능한가요?",
  from: { identities: [{ kind: "webchat", value: "visitor-1" }], name: "이서연" },
  conversationKey: "c1",
});
for (const m of chat.sent) console.log(`→ ${m.text}\n`);
await desk.close();
