/**
 * The demo shop's first tickets: Korean and English customers on chat, email, WhatsApp and
 * Messenger, and a call-back request on the phone. Stable external ids: a second start finds them
 * as duplicates, so nothing doubles.
 */
import type { Desk } from "@storedesk/core";
import { callbackRequestEvent } from "@storedesk/phone";

const HOUR = 3_600_000;

/**
 * Ingests the demo tickets (idempotent).
 *
 * @example
 * await seedDemo(server.desk);
 */
export async function seedDemo(desk: Desk): Promise<{ created: number }> {
  const now = desk.clock.now().getTime();
  const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR);
  const events = [
    {
      type: "message" as const,
      channel: "webchat",
      externalId: "webchat:shop:7012345678901:seed-1",
      occurredAt: at(0.5),
      conversationKey: "shop:7012345678901",
      from: {
        identities: [
          { kind: "webchat" as const, value: "shop:7012345678901" },
          { kind: "shopify" as const, value: "7012345678901" },
          { kind: "email" as const, value: "kim@example.com" },
        ],
        name: "김민지",
        locale: "ko",
      },
      text: "주문번호 #1001 배송이 언제 오나요? 운송장 번호 알려주세요.",
    },
    {
      type: "message" as const,
      channel: "email",
      externalId: "<seed-emma-1@mail.example>",
      occurredAt: at(3),
      from: { identities: [{ kind: "email" as const, value: "emma@example.com" }], name: "Emma Wilson", locale: "en" },
      subject: "Refund for the linen shirt (#1003)",
      text: "Hi, the linen shirt from order #1003 doesn't fit. Could I get a refund?",
    },
    {
      type: "message" as const,
      channel: "whatsapp",
      externalId: "wamid.SEED_JIHO_1",
      occurredAt: at(30),
      from: {
        identities: [
          { kind: "whatsapp" as const, value: "821098765432" },
          { kind: "email" as const, value: "jiho@example.com" },
        ],
        name: "이지호",
        locale: "ko",
      },
      text: "정말 실망입니다. 세라믹 드리퍼 세트(#1002)가 깨져서 왔어요!!",
      conversationKey: "821098765432",
    },
    {
      type: "message" as const,
      channel: "messenger",
      externalId: "m_SEED_OLIVER_1",
      occurredAt: at(1),
      from: {
        identities: [{ kind: "messenger" as const, value: "6600000000000001" }],
        name: "Oliver Park",
        locale: "en",
      },
      text: "Do you ship to Busan? How long does it take?",
      conversationKey: "6600000000000001",
    },
    // The storefront's "call me back" form, as the shop's server would post it signed to /webhooks/phone.
    callbackRequestEvent(
      {
        requestId: "seed-callback-1",
        phone: "010-4821-7730",
        name: "정하은",
        reason: "원두 분쇄도를 바꾸고 싶어요. 전화로 설명 부탁드려요.",
        locale: "ko",
      },
      { defaultCountry: "KR" },
      at(0.2),
    ),
  ];
  let created = 0;
  for (const event of events) {
    const result = await desk.ingest(event).catch((err: unknown) => {
      console.log(`  ! seed ${event.externalId}: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    });
    if (result && result.outcome !== "duplicate") created++;
  }
  return { created };
}
