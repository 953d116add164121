/**
 * The help center and the answer bot as the desk's `knowledge` plugin: a Korean FAQ imported from
 * CSV, a customer question the bot answers from it (one message: no acknowledgement on top) and
 * the customer's "예" that solves the ticket, a search by initial consonants, a customer the bot
 * hands to a person with the time a person will answer, and the FAQ gap report.
 */
import { createDesk, defineCalendar, manualClock, type Store } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { knowledgePlugin } from "@storedesk/knowledge";
import { section } from "./print.js";

const FAQ_CSV = `question,answer,category,tags
배송 기간은 얼마나 걸리나요?,"평일 오후 2시 전 결제 주문은 당일 출고되고, 출고 후 1~2일 안에 도착합니다.",shipping,배송
배송비는 얼마인가요?,"기본 3,000원이며 5만 원 이상 구매 시 무료배송입니다.",shipping,배송비
교환 신청은 어떻게 하나요?,"상품 수령 후 7일 안에 마이페이지 > 주문내역 > 교환 신청에서 원하는 옵션을 골라 주세요.",refund_exchange,교환|교환신청
반품 배송비는 누가 내나요?,"단순 변심은 왕복 6,000원을 고객님이 부담하시고, 불량·오배송은 무료입니다.",refund_exchange,반품
적립금은 어떻게 사용하나요?,"결제 단계의 적립금 사용란에 금액을 입력하세요. 1,000원부터 쓸 수 있습니다.",membership,적립금
`;

/** What the demo ends with; the test asserts on it. */
export interface KnowledgeDemoSummary {
  imported: number;
  answer: string;
  answeredStatus: string;
  choseongTop: string | null;
  handOff: string;
  /** Messages the answered ticket got before the customer's "예" (the bot's answer only). */
  firstReplies: number;
  gaps: number;
}

export async function knowledgeDemo(store: Store): Promise<KnowledgeDemoSummary> {
  const clock = manualClock(new Date("2026-12-05T03:00:00Z")); // Saturday 12:00 in Seoul: the team is off
  section("Help center and answer bot: a Korean FAQ, a question answered, one handed to a person", {
    store,
    clock,
    why: "a Saturday: the team is off",
  });
  const seoul = defineCalendar({
    id: "seoul",
    timeZone: "Asia/Seoul",
    weekly: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ start: "09:00", end: "18:00" }]])),
  });
  const chat = memoryChannel({ id: "webchat" });
  // The auto-acknowledgement stays on: where the bot answers, it stays quiet by itself.
  const desk = createDesk({
    store,
    clock,
    channels: [chat],
    sla: { calendar: seoul },
    plugins: [
      knowledgePlugin({
        calendar: seoul,
        articleUrl: (a) => `https://mocha.example/help/${a.slug}`,
        bot: { humanOnlyCategories: ["payment"] },
      }),
    ],
  });
  const { created } = await desk.knowledge.importCsv(FAQ_CSV, { status: "published" });
  console.log(`FAQ: ${created} articles imported from CSV`);

  let n = 0;
  const say = async (who: string, text: string) => {
    console.log(`customer ${who}: ${text}`);
    const seen = new Set(chat.sent.map((m) => m.messageId));
    const { ticket } = await desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: `kb-${++n}`,
      occurredAt: clock.now(),
      conversationKey: `chat:${who}`,
      from: { identities: [{ kind: "webchat", value: who }] },
      text,
    });
    await desk.knowledge.bot!.idle();
    // Who answered: the bot, or the desk's acknowledgement when the bot had no confident answer.
    const sent = (await desk.listMessages(ticket!.id)).filter((m) => m.direction === "outbound" && !seen.has(m.id));
    for (const m of sent)
      console.log(`  ${m.authorKind === "bot" ? "bot" : "acknowledgement"} → ${m.text.replace(/\n+/g, " / ")}`);
    if (sent.length === 0) console.log("  (nothing sent)");
    return ticket!;
  };

  const ticket = await say("v-101", "교환신청 어케 해요?");
  const answer = chat.sent.at(-1)!.text;
  const firstReplies = (await desk.listMessages(ticket.id)).filter((m) => m.direction === "outbound").length;
  await say("v-101", "예");
  const answeredStatus = (await desk.getTicket(ticket.id)).status;
  console.log(`  ticket SD-${ticket.number}: ${answeredStatus} by the bot (deflection)`);

  const [top] = await desk.knowledge.search("ㅈㄹㄱ", { locale: "ko" });
  console.log(`search "ㅈㄹㄱ" (initial consonants) → ${top?.title ?? "nothing"}`);

  await say("v-202", "결제가 두 번 됐어요. 사람이랑 얘기하고 싶어요");
  const handOff = chat.sent.at(-1)!.text;

  await say("v-303", "대량 구매 견적 받을 수 있나요?");
  const gaps = await desk.knowledge.gaps({
    from: new Date("2026-12-01T00:00:00Z"),
    to: new Date("2026-12-06T00:00:00Z"),
  });
  for (const g of gaps) console.log(`FAQ gap: ${g.count}× "${g.examples[0]}"`);
  await desk.close();
  return {
    imported: created,
    answer,
    answeredStatus,
    choseongTop: top?.title ?? null,
    handOff,
    firstReplies,
    gaps: gaps.length,
  };
}
