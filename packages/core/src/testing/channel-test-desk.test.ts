import { describe, expect, it } from "vitest";
import { manualClock } from "../ports/clock.js";
import { memoryStore } from "../store-memory/index.js";
import { channelTestDesk } from "./channel-test-desk.js";
import { memoryChannel } from "./memory-channel.js";

const AT = new Date("2031-05-05T05:05:05.000Z");
const post = (desk: ReturnType<typeof channelTestDesk>, body: unknown) =>
  desk.webhook("chat")(new Request("https://x/webhooks/chat", { method: "POST", body: JSON.stringify(body) }));
const event = {
  type: "message",
  channel: "chat",
  externalId: "m-1",
  occurredAt: AT.toISOString(),
  from: { identities: [{ kind: "webchat", value: "visitor-1" }] },
  text: "배송 언제 와요?",
};

describe("channelTestDesk", () => {
  it("runs the channels on a fresh store and their clock, acknowledging nothing, so a post stores only itself", async () => {
    const clock = manualClock(AT);
    const chat = memoryChannel({ id: "chat" });
    const desk = channelTestDesk([chat], { clock });
    expect((await post(desk, [event])).status).toBe(200);
    const [ticket] = await desk.listTickets({});
    expect(ticket?.createdAt).toEqual(AT);
    expect((await desk.listMessages(ticket!.id)).map((m) => m.direction)).toEqual(["inbound"]);
    expect(chat.sent).toEqual([]);
  });

  it("takes a store of the caller's and more desk options, acknowledgements included", async () => {
    const store = memoryStore();
    const chat = memoryChannel({ id: "chat" });
    const desk = channelTestDesk([chat], { clock: manualClock(AT), store, options: { autoAcknowledge: true } });
    await post(desk, [event]);
    await desk.settle();
    expect(await store.listTickets({})).toHaveLength(1);
    expect(chat.sent).toHaveLength(1);
  });
});
