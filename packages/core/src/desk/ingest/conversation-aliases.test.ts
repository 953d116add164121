import { describe, expect, it } from "vitest";
import { memoryStore } from "../../store-memory/index.js";
import { manualClock } from "../../ports/clock.js";
import { memoryChannel } from "../../testing/memory-channel.js";
import type { InboundEventInput } from "../../domain/inbound.js";
import { createDesk } from "../create-desk.js";

const AT = new Date("2026-03-02T01:00:00Z");

function setup() {
  const clock = manualClock(AT);
  const desk = createDesk({
    store: memoryStore(),
    clock,
    channels: [memoryChannel({ id: "whatsapp" })],
    autoAcknowledge: false,
  });
  let n = 0;
  const message = (
    identities: Array<{ kind: "phone" | "whatsapp_bsuid"; value: string }>,
    key: string,
    aliases: string[] = [],
  ) =>
    desk.ingest({
      type: "message",
      channel: "whatsapp",
      externalId: `in-${++n}`,
      occurredAt: clock.now(),
      text: "배송 언제 와요?",
      from: { identities },
      conversationKey: key,
      conversationKeyAliases: aliases,
    } satisfies InboundEventInput);
  return { desk, message };
}

const PHONE = { kind: "phone" as const, value: "+821012345678" };
const BSUID = { kind: "whatsapp_bsuid" as const, value: "KR.1502576394655843" };

describe("conversation key aliases", () => {
  it("continues the open ticket found under an earlier key and moves it to the new key", async () => {
    const { desk, message } = setup();
    const first = await message([PHONE], "wa:1:821012345678");
    // The user's business-scoped id now names the conversation; the number's key is the alias.
    const second = await message([PHONE, BSUID], "wa:1:KR.1502576394655843", ["wa:1:821012345678"]);
    expect(second.outcome).toBe("threaded");
    expect(second.ticket!.id).toBe(first.ticket!.id);
    expect(second.ticket!.conversationKey).toBe("wa:1:KR.1502576394655843");
    const rekeyed = (await desk.listEvents(first.ticket!.id)).filter((e) => e.type === "conversation.rekeyed");
    expect(rekeyed.map((e) => e.data)).toEqual([{ from: "wa:1:821012345678", to: "wa:1:KR.1502576394655843" }]);
    // The number hidden later: the business-scoped id alone still finds the conversation.
    const third = await message([BSUID], "wa:1:KR.1502576394655843");
    expect(third.ticket!.id).toBe(first.ticket!.id);
    expect(await desk.listTickets({})).toHaveLength(1);
  });

  it("prefers the ticket under the event's own key, and never takes another customer's ticket", async () => {
    const { desk, message } = setup();
    const other = await message([{ kind: "phone", value: "+821099998888" }], "wa:1:shared");
    const mine = await message([PHONE], "wa:1:mine");
    const again = await message([PHONE], "wa:1:mine", ["wa:1:shared"]);
    expect(again.ticket!.id).toBe(mine.ticket!.id);
    const stranger = await message([{ kind: "phone", value: "+821055550000" }], "wa:1:new", ["wa:1:shared"]);
    expect(stranger.outcome).toBe("created");
    expect(stranger.ticket!.id).not.toBe(other.ticket!.id);
    expect((await desk.getTicket(other.ticket!.id)).conversationKey).toBe("wa:1:shared");
  });
});
