/**
 * Splitting Korean compound nouns of shop questions into their words, so a compound written
 * with and without a space ("교환신청" / "교환 신청", "배송조회" / "배송 조회") is one question
 * to a report. Korean writes such compounds either way, and customers do both.
 *
 * Written here rather than taken from a morphological analyzer: the Korean ones on npm run a
 * native MeCab binary (mecab-ko-ts) or a WebAssembly build with a separately loaded model
 * (kiwi-nlp); a grouping key needs only the shop vocabulary below, split where it covers the
 * whole word.
 */

/**
 * Nouns customers use in shop questions (Sino-Korean and loan words of two to five syllables).
 * A compound is split only into these, so an unknown word is never cut at a guess.
 */
export const SHOP_NOUNS: readonly string[] = [
  // Orders and delivery
  "주문",
  "구매",
  "결제",
  "취소",
  "변경",
  "배송",
  "배송비",
  "택배",
  "배달",
  "발송",
  "출고",
  "입고",
  "도착",
  "지연",
  "누락",
  "오배송",
  "송장",
  "운송장",
  "번호",
  "조회",
  "추적",
  "주소",
  "수령",
  "수취인",
  "예정일",
  "일정",
  "합배송",
  "묶음",
  "해외",
  "국내",
  "직구",
  "통관",
  "관세",
  "예약",
  "사전",
  // Returns, exchanges, refunds
  "교환",
  "반품",
  "환불",
  "신청",
  "요청",
  "접수",
  "처리",
  "승인",
  "거부",
  "철회",
  "회수",
  "수거",
  "재발송",
  "재배송",
  "부분",
  "전체",
  "비용",
  "기간",
  "완료",
  "확인",
  "안내",
  "문의",
  "상담",
  "보상",
  "보상금",
  // Products
  "상품",
  "제품",
  "재고",
  "입고일",
  "품절",
  "재입고",
  "사이즈",
  "색상",
  "옵션",
  "정보",
  "소재",
  "세탁",
  "방법",
  "사용",
  "사용법",
  "구성",
  "정품",
  "불량",
  "하자",
  "파손",
  "오염",
  "누수",
  "고장",
  "수리",
  "보증",
  "보증서",
  "설명서",
  "후기",
  "리뷰",
  "사진",
  // Payment and account
  "카드",
  "현금",
  "영수증",
  "현금영수증",
  "세금계산서",
  "계산서",
  "증빙",
  "무통장",
  "입금",
  "계좌",
  "이체",
  "가상계좌",
  "할부",
  "이중",
  "중복",
  "금액",
  "가격",
  "할인",
  "쿠폰",
  "코드",
  "적립금",
  "포인트",
  "마일리지",
  "회원",
  "등급",
  "가입",
  "탈퇴",
  "비밀번호",
  "아이디",
  "계정",
  "로그인",
  "인증",
  "본인",
  "선물",
  "포장",
  "이벤트",
  "혜택",
];

const NOUNS = new Set(SHOP_NOUNS);
const LONGEST = Math.max(...SHOP_NOUNS.map((n) => n.length));

/**
 * The words of a Hangul stem written as one compound: the fewest {@link SHOP_NOUNS} that make it
 * up exactly, or null when the stem is not wholly made of them (or is one of them itself).
 *
 * @example
 * splitCompound("교환신청"); // ["교환", "신청"]
 * splitCompound("주문취소요청"); // ["주문", "취소", "요청"]
 * splitCompound("블라우스"); // null: not made of shop nouns
 */
export function splitCompound(stem: string): string[] | null {
  if (stem.length < 4 || NOUNS.has(stem)) return null;
  // pieces[i]: the fewest nouns making up stem[0, i); from[i]: where the last of them starts.
  const pieces = new Array<number>(stem.length + 1).fill(Infinity);
  const from = new Array<number>(stem.length + 1).fill(-1);
  pieces[0] = 0;
  for (let end = 2; end <= stem.length; end++) {
    for (let start = Math.max(0, end - LONGEST); start <= end - 2; start++) {
      if (pieces[start]! + 1 < pieces[end]! && NOUNS.has(stem.slice(start, end))) {
        pieces[end] = pieces[start]! + 1;
        from[end] = start;
      }
    }
  }
  if (!Number.isFinite(pieces[stem.length])) return null;
  const words: string[] = [];
  for (let end = stem.length; end > 0; end = from[end]!) words.unshift(stem.slice(from[end], end));
  return words;
}
