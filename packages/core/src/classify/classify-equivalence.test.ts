/**
 * Pins the default classifier's output: every corpus text (every file, every line), variants of
 * them (subjects, upper case, locale hints) and edge cases (empty, emoji, very long, mixed
 * scripts, odd Unicode, seeded random strings) must classify exactly as the snapshot in
 * test-fixtures/classify-equivalence.json, taken from the implementation before the speed work.
 * Regenerate (only when a change of output is intended): UPDATE_CLASSIFY_SNAPSHOT=1 npx vitest run
 * packages/core/src/classify/classify-equivalence.test.ts
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ClassifierInput } from "./classification.js";
import { predictWithModel } from "./classifier-model.js";
import { classifyText, defaultModel } from "./classify-text.js";
import { featureHashes, hashFeature, tokenizeText } from "./tokenize-text.js";
import { hashString, trainModel } from "./train-model.js";

const DATA = fileURLToPath(new URL("../../data/classifier/", import.meta.url));
const FIXTURE = fileURLToPath(new URL("./test-fixtures/classify-equivalence.json", import.meta.url));
const CUE_TERMS = fileURLToPath(new URL("./test-fixtures/cue-terms.json", import.meta.url));
const MODEL = fileURLToPath(new URL("./model/default-model.json", import.meta.url));
const UPDATE = process.env.UPDATE_CLASSIFY_SNAPSHOT === "1";

interface Snapshot {
  modelId: string;
  inputs: number;
  /** sha256 of the JSON of all `tokenizeText` outputs, in input order. */
  features: string;
  /** Input key → hash of `[classification, prediction]` as JSON (key order included). */
  outputs: Record<string, string>;
  /** A few outputs in full, to read what changed when a hash differs. */
  full: Record<string, unknown>;
}

const sha = (s: string, n = 64): string => createHash("sha256").update(s).digest("hex").slice(0, n);

function corpusRows(): Array<{ text: string; label: string }> {
  const rows: Array<{ text: string; label: string }> = [];
  // In scripts/train-classifier-corpus.ts's order: per language, the phrases then the long-form.
  for (const file of ["ko.jsonl", "long-form/ko.jsonl", "en.jsonl", "long-form/en.jsonl"]) {
    for (const line of readFileSync(`${DATA}${file}`, "utf8").split("\n")) {
      if (line.trim() !== "") rows.push(JSON.parse(line) as { text: string; label: string });
    }
  }
  return rows;
}

/** Deterministic xorshift32, so the random strings are the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

// Pieces that stress the folding, lower-casing, regexes and n-grams: cue words, Hangul, jamo,
// NFD Hangul, full-width, characters whose lower case is longer or ASCII (İ, K Kelvin), sigma,
// combining marks, lone surrogates, emoji, numbers that become placeholders.
const PIECES = [
  "refund",
  "REFUND",
  "Refund",
  "cancel",
  "cancle",
  "shipping",
  "worst",
  "never again",
  "no complaints",
  "not upset",
  "sue",
  "suede",
  "disgraceful",
  "complained",
  "hasn't",
  "don't",
  "customer's",
  "f*ck",
  "-_-",
  "1372",
  "#1001",
  "$45.00",
  "45,000원",
  "2026-12-01",
  "12/25",
  "010-1234-5678",
  "01012345678",
  "ORD-12345",
  "https://shop.example/a?b=1",
  "www.example.com",
  "me+x@mail.example.com",
  "{{name}}",
  "12월 3일",
  "3 dollars",
  "배송",
  "배송이",
  "언제",
  "와요",
  "환불해주세요",
  "교환했습니다",
  "최악",
  "어이가 없",
  "소비자원",
  "신고 할",
  "ㅠㅠ",
  "ㅋㅋㅋㅋ",
  "ㅅㅂ",
  "ㅡㅡ",
  "\u1107\u1162\u110b\u1169\u11bc",
  "ＲＥＦＵＮＤ",
  "１２３",
  "\u3000",
  "İ",
  "\u212a",
  "ß",
  "ẞ",
  "ΣΑΣ",
  "é",
  "e\u0301",
  "\ud800",
  "\udc00",
  "😡",
  "👍",
  "🇰🇷",
  "\u200b",
  "…",
  "!!!",
  "???",
  "?!?",
  "!!",
  "\n",
  "\t",
  " ",
  " ",
  "  ",
  ".",
  ",",
  "'",
  '"',
  "~",
  "/",
  "|",
  "(",
  ")",
  "[",
  "]",
  "a",
  "I",
  "x",
  "0",
  "7",
  "supercalifragilisticexpialidociousxxxxxxxxxxxxxxxx",
  "urgent",
  "ASAP",
  "right now",
  "thanks",
  "감사합니다",
  "긴급",
  "좋아요",
  "love it",
  "legal action",
  "chargeback",
  "BBB",
  "manager",
  "dispute",
  "lawyer",
  "ftc",
  "Straße",
  "日本語",
  "Привет",
  "مرحبا",
  "ﬁ",
  "ǅ",
  "Ω",
  "ᾳ",
];

function randomTexts(count: number): string[] {
  const next = prng(20261202);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(next() * 14);
    let s = "";
    for (let j = 0; j < n; j++) s += PIECES[Math.floor(next() * PIECES.length)]! + (next() < 0.6 ? " " : "");
    out.push(s);
  }
  return out;
}

const EDGE_TEXTS = [
  "",
  " ",
  "\n\n",
  "?",
  "!!!",
  "a",
  "가",
  "ㅠ",
  "😡",
  "😡😡😡 👎👎",
  "👍 thanks!!",
  "🙏 감사합니다 🙏",
  "WHERE IS MY ORDER???",
  "WHERE IS MY ORDER",
  "where is my order!!",
  "ＲＥＦＵＮＤ ＮＯＷ ㅠㅠ",
  "\u1107\u1162\u11bc\u1109\u1169\u11bc \u110b\u1165\u11ab\u110c\u1166 \u110b\u116a\u110b\u116d?",
  "İstanbul'a kargo ne zaman gelir? REFUND",
  "\u212aelvin refund",
  "ΣΟΦΟΣ ΟΔΥΣΣΕΑΣ complaint",
  "straße STRASSE ẞ",
  "café cafe\u0301",
  "배송 언제 와요? where is my parcel 배송조회 tracking",
  "order #1001 주문번호 #1002 환불 refund please 빨리 ASAP",
  "日本語のテキストです 配送はいつですか",
  "Здравствуйте, где мой заказ?",
  "no complaints, great service, thank you!",
  "I'm not upset but the parcel is late",
  "I will sue you, and my lawyer will file a chargeback. BBB too!!!",
  "소비자원에 신고하고 고소하겠습니다. 환불 안 해주면 법적 조치",
  "ㅅㅂ 진짜 ㅡㅡ -_- 어이없네",
  "hasn't arrived, didn't order, won't pay, isn't right",
  "\ud800 lone \udc00 surrogates \ud83d",
  "zero\u200bwidth\u200bspace",
  "tab\tseparated\tvalues\r\nwindows line",
  "a".repeat(41) + " " + "b".repeat(40),
  "x".repeat(5000),
  "배송 ".repeat(1200),
  "refund please ".repeat(400) + "최악",
  "최악 ".repeat(1000) + "refund",
  "가".repeat(3999) + "😡",
  "가".repeat(3999) + "ㅅㅂ",
  "a".repeat(3999) + "!!!",
  ("Where is my order? 배송이 아직 안 왔어요. " + "https://t.example/x 010-1234-5678 ").repeat(200),
  "Order #1001 on 2026-12-01 was $45, call 010-1234-5678 or mail a.b@c.example, see www.x.example",
  "{{first_name}}님 주문 {{order_id}} 12월 3일 도착 45,000원",
];

// Whitespace the cue patterns' \\s+ accepts (and two it does not: zero-width space, a letter).
const GAPS = [" ", " ", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u2003", "\ufeff", "\u200b", "", "x"];
const AROUND = ["", "", "", " ", "s", "ed", "ly", "x", "1", "!", "?", "'", "-", "(", "no ", "not ", "가", "ㅠ"];

/** Cue phrases with their spaces varied, letters glued on either side and casing changed. */
function cueTexts(count: number): string[] {
  const terms = JSON.parse(readFileSync(CUE_TERMS, "utf8")) as string[];
  const next = prng(1372);
  const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)]!;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(next() * 4);
    let s = "";
    for (let j = 0; j < n; j++) {
      let term = pick(terms).replace(/ /g, () => pick(GAPS));
      if (next() < 0.15) term = term.toUpperCase();
      s += pick(AROUND) + term + pick(AROUND) + (next() < 0.3 ? pick(PIECES) : "") + pick(GAPS);
    }
    out.push(s);
  }
  return out;
}

function buildInputs(): ClassifierInput[] {
  const texts = corpusRows().map((r) => r.text);
  const inputs: ClassifierInput[] = texts.map((text) => ({ text }));
  // Subjects join the text with a newline; every tenth text becomes the subject of the next.
  for (let i = 0; i + 1 < texts.length; i += 10) inputs.push({ text: texts[i + 1]!, subject: texts[i]! });
  for (let i = 0; i < texts.length; i += 7) inputs.push({ text: texts[i]!.toUpperCase() });
  for (let i = 3; i < texts.length; i += 13) inputs.push({ text: texts[i]!.replace(/\s+/g, "") });
  for (const text of EDGE_TEXTS) inputs.push({ text });
  for (const text of EDGE_TEXTS.slice(0, 12)) {
    inputs.push({ text, localeHint: "ko" }, { text, localeHint: "ja" }, { text, localeHint: null });
    inputs.push({ text, subject: "Re: 주문 문의" }, { text, subject: "" }, { text: "", subject: text });
  }
  for (const text of randomTexts(600)) inputs.push({ text });
  for (const text of cueTexts(2000)) inputs.push({ text });
  return inputs;
}

const inputKey = (input: ClassifierInput): string => sha(JSON.stringify(input), 12);
const outputOf = (input: ClassifierInput): unknown[] => {
  const text = input.subject ? `${input.subject}\n${input.text}` : input.text;
  return [classifyText(input), predictWithModel(defaultModel, text)];
};

describe("classifier equivalence with the snapshot", () => {
  const inputs = buildInputs();

  it("classifies every corpus text, variant and edge case exactly as the snapshot", () => {
    const outputs: Record<string, string> = {};
    const full: Record<string, unknown> = {};
    const allFeatures: string[][] = [];
    for (const [i, input] of inputs.entries()) {
      const out = outputOf(input);
      const key = inputKey(input);
      outputs[key] = sha(JSON.stringify(out), 12);
      if (i % 500 === 0) full[key] = out;
      allFeatures.push(tokenizeText(input.subject ? `${input.subject}\n${input.text}` : input.text));
    }
    const current: Snapshot = {
      modelId: defaultModel.id,
      inputs: inputs.length,
      features: sha(JSON.stringify(allFeatures)),
      outputs,
      full,
    };
    if (UPDATE) writeFileSync(FIXTURE, `${JSON.stringify(current)}\n`);
    const snapshot = JSON.parse(readFileSync(FIXTURE, "utf8")) as Snapshot;
    expect(current.modelId).toBe(snapshot.modelId);
    expect(current.inputs).toBe(snapshot.inputs);
    for (const [key, out] of Object.entries(current.full)) expect(out).toEqual(snapshot.full[key]);
    const differing = Object.keys(snapshot.outputs).filter((k) => current.outputs[k] !== snapshot.outputs[k]);
    const diffInputs = inputs.filter((input) => differing.includes(inputKey(input))).slice(0, 5);
    expect(diffInputs).toEqual([]);
    expect(Object.keys(current.outputs).length).toBe(Object.keys(snapshot.outputs).length);
    expect(current.features).toBe(snapshot.features);
  });

  it("hashes the same features it names: featureHashes equals tokenizeText hashed", () => {
    for (const input of inputs) {
      const text = input.subject ? `${input.subject}\n${input.text}` : input.text;
      const hashes = featureHashes(text);
      const names = tokenizeText(text);
      if (hashes.length !== names.length || hashes.some((h, i) => h !== hashFeature(names[i]!))) {
        expect({ text, hashes }).toEqual({ text, hashes: names.map(hashFeature) });
      }
    }
  });

  it("retrains the shipped model byte for byte from the corpus", () => {
    // Same loading as scripts/train-classifier-corpus.ts: trimmed lower-case duplicates dropped.
    const seen = new Set<string>();
    const corpus = corpusRows().filter((r) => {
      const key = r.text.trim().toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const id = `storedesk-ko-en-${hashString(JSON.stringify(corpus.map((e) => [e.text, e.label]))).toString(36)}`;
    expect(`${JSON.stringify(trainModel(corpus, { id }))}\n`).toBe(readFileSync(MODEL, "utf8"));
  });
});
