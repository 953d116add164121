import type { Category } from "../domain/enums.js";

/**
 * Rule lexicons, Korean and English. Korean terms match as substrings (stems
 * take particles and endings: 배송이, 배송은, 배송돼요); English terms match
 * on word boundaries. Weights are relative: a longer, more specific phrase
 * counts more than a single common word.
 */
export interface Lexicon {
  /** term → weight */
  ko: Record<string, number>;
  en: Record<string, number>;
}

/** Topic lexicons per category (complaint has its own signal lexicon). */
export const CATEGORY_LEXICONS: Record<Exclude<Category, "complaint" | "other">, Lexicon> = {
  shipping: {
    ko: { 배송: 2, 택배: 2, 배달: 2, 운송장: 3, 송장: 2, 출고: 2, 발송: 2, 도착: 1.5, "언제 와": 3, "언제 오": 3, "언제 받": 3, 배송조회: 3, "배송 조회": 3, "배송 현황": 3, 택배사: 2, 어디쯤: 3, "어디까지 왔": 3, "언제쯤 와": 3, "언제쯤 받": 3, "아직 안 와": 3, "안 왔": 2, 안왔: 2, "못 받": 2, 못받: 2 },
    en: { shipping: 2, shipment: 2, shipped: 2, delivery: 2, deliver: 1.5, delivered: 1.5, tracking: 3, "tracking number": 3, courier: 2, parcel: 2, package: 1.5, "where is my order": 4, "where's my order": 4, "not arrived": 3, "hasn't arrived": 3, "still waiting": 1.5, carrier: 2, "when will": 1 },
  },
  refund_exchange: {
    ko: { 환불: 3, 반품: 3, 교환: 3, 환급: 2, "돌려받": 2, 반송: 1.5, 회수: 1.5 },
    en: { refund: 3, refunded: 3, return: 2, returns: 2, exchange: 3, "money back": 3, "send it back": 3, "send back": 2, replacement: 2, "swap": 1.5 },
  },
  order_change: {
    ko: { "주문 변경": 4, 주문변경: 4, "주소 변경": 4, 주소변경: 4, 배송지: 3, "옵션 변경": 4, "사이즈 변경": 4, "수량 변경": 4, "주문 취소": 4, 주문취소: 4, 취소: 2, 변경: 1.5, 수정: 1 },
    en: { "change my order": 4, "change the address": 4, "change address": 4, "shipping address": 2, "cancel my order": 4, "cancel the order": 4, cancel: 2, modify: 2, "update my order": 3, "wrong address": 3, "add an item": 3 },
  },
  payment: {
    ko: { 결제: 3, 카드: 1.5, 입금: 3, 계좌: 2, 영수증: 2, 세금계산서: 3, "이중 결제": 4, 이중결제: 4, 할부: 2, 승인: 1, 청구: 2, 무통장: 3, 카카오페이: 2, 네이버페이: 2, 포인트: 1 },
    en: { payment: 3, paid: 2, charged: 3, charge: 2, "charged twice": 4, "double charged": 4, card: 1.5, invoice: 2, receipt: 2, billing: 3, billed: 3, "bank transfer": 3, paypal: 2 },
  },
  product: {
    ko: { 재고: 3, 사이즈: 2, 색상: 2, 컬러: 2, 소재: 2, 사용법: 3, 호환: 3, 제품: 1.5, 상품: 1, 성분: 3, 재입고: 3, 품절: 3, 용량: 2, 치수: 2, 어떤가요: 1, 있나요: 1 },
    en: { "in stock": 3, stock: 2, size: 2, sizes: 2, color: 2, colour: 2, material: 2, "how to use": 3, compatible: 3, product: 1.5, available: 1.5, restock: 3, "sold out": 3, ingredients: 3, dimensions: 2, warranty: 2, "does it": 1 },
  },
};

/** Words and phrases that signal a complaint (anger, disappointment, threats). */
export const COMPLAINT_LEXICON: Lexicon = {
  ko: {
    불만: 3, 항의: 3, 화가: 3, 화나: 3, 최악: 4, 실망: 3, 어이없: 4, "어이가 없": 4, 짜증: 3, 황당: 3, 사기: 4, 고소: 5, 소비자원: 5, 신고: 3, 불친절: 4, 엉망: 3, "다시는": 3, "두 번 다시": 4, 거지같: 5, "말이 됩니까": 4, "말이 돼": 3, 책임지: 3, 무책임: 4, 장난하: 4, 환장: 4, 열받: 4, 분노: 4, 답답: 2, "연락이 없": 3, "연락도 없": 3, "몇 번째": 3, 파손: 2, 불량: 3, 망가: 2, 찢어: 2, 깨져: 2, 깨진: 2, "ㅡㅡ": 2, "-_-": 2,
  },
  en: {
    complaint: 3, complain: 3, angry: 3, furious: 4, terrible: 3, worst: 4, disappointed: 3, disappointing: 3, unacceptable: 4, ridiculous: 3, scam: 4, fraud: 4, lawyer: 5, "legal action": 5, sue: 4, "report you": 4, horrible: 3, awful: 3, rude: 3, "never again": 4, "never buy": 4, useless: 3, "fed up": 3, "third time": 3, "no one replied": 3, "nobody answered": 3, broken: 2, damaged: 2, defective: 3, "waste of money": 4, disgusting: 4, appalling: 4,
  },
};

/** Words that make a request urgent whatever its category. */
export const URGENCY_LEXICON: Lexicon = {
  ko: { 긴급: 3, 급해: 3, 급합니다: 3, 당장: 3, 빨리: 1.5, 오늘까지: 2, 내일까지: 2 },
  en: { urgent: 3, asap: 3, immediately: 2, emergency: 3, today: 1, "right now": 2 },
};

/** Phrases of legal or public escalation: always urgent. */
export const ESCALATION_LEXICON: Lexicon = {
  ko: { 고소: 1, 소송: 1, 소비자원: 1, 변호사: 1, 언론: 1, 공정위: 1, 경찰: 1 },
  en: { lawyer: 1, "legal action": 1, sue: 1, lawsuit: 1, attorney: 1, "consumer protection": 1, chargeback: 1 },
};
