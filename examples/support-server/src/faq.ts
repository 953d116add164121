/** The demo shop's FAQ (Korean and English): what the answer bot answers from in the chat. */
import type { ArticleInput } from "@storedesk/knowledge";

const entry = (
  id: string,
  category: string,
  ko: [string, string],
  en: [string, string],
  tags: string[] = [],
): ArticleInput[] => [
  { id, title: ko[0], body: ko[1], category, tags, locale: "ko", status: "published" },
  { id: `${id}-en`, title: en[0], body: en[1], category, tags, locale: "en", status: "published", translationOf: id },
];

/** Published FAQ entries, imported at start (ids make a restart update them, not duplicate them). */
export const DEMO_FAQ: ArticleInput[] = [
  ...entry(
    "return-fee",
    "refund_exchange",
    [
      "반품 배송비는 얼마인가요?",
      "단순 변심 반품은 왕복 배송비 6,000원이 환불 금액에서 차감됩니다. 상품 불량이나 오배송이면 배송비는 저희가 부담합니다.",
    ],
    [
      "How much does a return cost?",
      "For a change of mind we deduct the 6,000 KRW round-trip shipping from the refund. Faulty or wrong items are returned at our cost.",
    ],
    ["반품", "반품비", "배송비"],
  ),
  ...entry(
    "ship-time",
    "shipping",
    [
      "배송은 얼마나 걸리나요?",
      "평일 오후 2시 전 주문은 당일 출고되며, 보통 1~2일 안에 도착합니다. 제주와 도서 산간은 2~3일 더 걸릴 수 있어요.",
    ],
    [
      "How long does delivery take?",
      "Orders placed before 2 pm on weekdays ship the same day and usually arrive within 1–2 days.",
    ],
    ["배송기간", "도착"],
  ),
  ...entry(
    "gift-wrap",
    "product",
    ["선물 포장이 되나요?", "주문서에서 '선물 포장'을 고르시면 무료로 포장해 드리고, 메시지 카드도 넣어 드려요."],
    ["Do you gift wrap?", "Choose 'gift wrap' at checkout: we wrap it for free and add a message card."],
    ["포장", "선물"],
  ),
  ...entry(
    "exchange-how",
    "refund_exchange",
    [
      "교환 신청은 어떻게 하나요?",
      "마이페이지 > 주문내역 > 교환 신청에서 받으신 날부터 7일 안에 신청해 주세요. 회수 기사님이 2~3일 안에 방문합니다.",
    ],
    [
      "How do I exchange an item?",
      "Go to My page > Orders > Request exchange within 7 days of delivery. A courier picks it up in 2–3 days.",
    ],
    ["교환", "교환신청"],
  ),
  ...entry(
    "grind",
    "product",
    [
      "원두 분쇄도 선택할 수 있나요?",
      "네. 상품 옵션에서 홀빈, 핸드드립, 에스프레소, 프렌치프레스 분쇄 중에서 고르실 수 있어요.",
    ],
    ["Can I choose the grind?", "Yes: whole bean, pour-over, espresso or French press, in the product options."],
    ["분쇄", "원두"],
  ),
];
