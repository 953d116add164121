/** The auto-acknowledgement asks for what the action plan still needs; plan fields reach templates. */
import { describe, expect, it } from "vitest";
import { createDesk } from "../../create-desk.js";
import { memoryStore } from "../../../store-memory/memory-store.js";
import { memoryChannel } from "../../../testing/memory-channel.js";
import { manualClock } from "../../../ports/clock.js";
import type { InboundEventInput } from "../../../domain/inbound.js";
import { rulesPlugin } from "./rules-plugin.js";

const plan = {
  category: "refund_exchange" as const,
  responsibleTeam: "refunds",
  decisionMaker: "lead",
  informationNeeded: ["주문번호", "파손 사진"],
  channels: ["webchat"],
  serviceHours: "평일 09:00–18:00",
  returnRules: "수령 후 7일 이내 반품 가능",
  claimProcedure: ["사진 접수", "회수", "환불"],
  compensation: { currency: "KRW", kinds: ["refund" as const], limits: [], approverRole: "lead" },
};

function setup() {
  const chat = memoryChannel({ id: "webchat" });
  const desk = createDesk({
    store: memoryStore(),
    clock: manualClock(new Date("2026-03-02T01:00:00.000Z")),
    channels: [chat],
    actionPlans: [plan],
    templates: [
      {
        id: "return_rules",
        name: "Return rules",
        category: "refund_exchange",
        locales: { ko: { subject: null, body: "{{plan.returnRules}}\n{{plan.claimProcedure}}" } },
      },
    ],
    ownsStore: true,
    plugins: [
      rulesPlugin({
        macros: [
          {
            id: "return-rules",
            title: "반품 규정 안내",
            reply: { ko: "{{ticket.ref}}: {{plan.returnRules}} ({{information.missing|}})" },
            actions: [],
          },
        ],
      }),
    ],
  });
  return { chat, desk };
}

type Attachment = { filename: string; contentType: string; size: number; url: string };
const message = (text: string, n: number, attachments: Attachment[] = []): InboundEventInput => ({
  type: "message",
  channel: "webchat",
  externalId: `ext-${n}`,
  occurredAt: new Date("2026-03-02T01:00:00.000Z"),
  from: { identities: [{ kind: "webchat", value: `visitor-${n}` }], name: "김민수", locale: "ko" },
  text,
  attachments,
  conversationKey: `chat-${n}`,
});

describe("acknowledgement and action plans", () => {
  it("asks for the information the plan still needs, and only that", async () => {
    const { chat, desk } = setup();
    await desk.ingest(message("받은 컵이 깨져 있어요. 환불해주세요", 1));
    await desk.ingest(
      message("주문번호 1001 컵이 깨져서 왔어요. 환불해주세요", 2, [
        { filename: "cup.jpg", contentType: "image/jpeg", size: 1000, url: "https://cdn.example/cup.jpg" },
      ]),
    );
    await desk.settle();
    const acks = chat.sent.map((s) => s.text);
    expect(acks).toHaveLength(2);
    expect(acks[0]).toContain("다음 정보를 함께 보내 주세요: 주문번호, 파손 사진.");
    expect(acks[1]).not.toContain("다음 정보");
    await desk.close();
  });

  it("gives templates the plan's return rules and claim procedure", async () => {
    const { desk } = setup();
    const { ticket } = await desk.ingest(message("환불해주세요. 주문번호 1001", 3));
    const rendered = await desk.renderForTicket("return_rules", ticket!.id);
    expect(rendered.body).toBe("수령 후 7일 이내 반품 가능\n1. 사진 접수\n2. 회수\n3. 환불");
    await desk.close();
  });

  it("renders a macro with the same variables as templates (ticket, plan, information)", async () => {
    const { chat, desk } = setup();
    const { ticket } = await desk.ingest(message("환불해주세요. 주문번호 1001", 4));
    await desk.assign(ticket!.id, { agentId: "kim" });
    const outcome = await desk.rules.macros.apply("return-rules", ticket!.id, { agentId: "kim" });
    expect(outcome.status).toBe("done");
    await desk.settle();
    expect(chat.sent.map((s) => s.text)).toContain(`SD-${ticket!.number}: 수령 후 7일 이내 반품 가능 (파손 사진)`);
    await desk.close();
  });
});
