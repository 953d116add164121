/**
 * The complaint detector's cues: what makes a message a complaint whatever it is about, graded by
 * how far it has gone. The trained model reads the cues as features; the desk reads the intensity
 * for priority (see {@link complaintPriority}).
 */
import type { Priority } from "../domain/enums.js";
import { compileCues } from "./cue-matcher.js";
import { boundedText } from "./tokenize-text.js";

/** 0 none, 1 dissatisfied, 2 angry (insults, profanity, shouting), 3 escalating (regulator, lawyer). */
export type ComplaintIntensity = 0 | 1 | 2 | 3;

/** What the detector found in a text. */
export interface ComplaintCues {
  /** The strongest level among the cues found. */
  intensity: ComplaintIntensity;
  /** Sum of the cue weights; 0 when nothing was found. */
  score: number;
  /** The cue phrases found, for explaining the decision (`"소비자원"`, `"never again"`, `"!!!"`). */
  cues: string[];
}

interface CueLevel {
  level: ComplaintIntensity;
  weight: number;
  ko: string[];
  en: string[];
}

const LEVELS: CueLevel[] = [
  {
    level: 3,
    weight: 3,
    ko: [
      "소비자원",
      "소비자보호원",
      "소비자 보호원",
      "공정위",
      "공정거래위원회",
      "국민신문고",
      "1372",
      "고소",
      "소송",
      "변호사",
      "경찰에",
      "신고할",
      "신고하겠",
      "신고 할",
      "신고 하겠",
      "신고합니다",
      "신고했",
      "언론에",
      "제보하",
      "법적 조치",
      "법적조치",
      "카드사에 이의",
      "차지백",
      "지급정지",
      "법적으로",
      "법적 대응",
      "법적대응",
      "민원 넣",
      "민원넣",
    ],
    en: [
      "report you",
      "reporting you",
      "reported you",
      "bbb",
      "better business bureau",
      "lawyer",
      "attorney",
      "sue",
      "suing",
      "lawsuit",
      "legal action",
      "chargeback",
      "charge back",
      "dispute the charge",
      "dispute this charge",
      "consumer protection",
      "trading standards",
      "ftc",
      "small claims",
      "file a dispute",
      "my bank to reverse",
      "disputing the charge",
      "dispute with my bank",
      "dispute with paypal",
      "opened a dispute",
    ],
  },
  {
    level: 2,
    weight: 2,
    ko: [
      "씨발",
      "시발",
      "ㅅㅂ",
      "ㅆㅂ",
      "씨바",
      "시바",
      "병신",
      "ㅂㅅ",
      "개같",
      "좆",
      "존나",
      "졸라",
      "미친",
      "미쳤",
      "꺼져",
      "개새",
      "썅",
      "최악",
      "어이없",
      "어이가 없",
      "어이가없",
      "짜증",
      "화가 나",
      "화가나",
      "화납",
      "화나",
      "열받",
      "열 받",
      "빡치",
      "빡쳐",
      "황당",
      "사기",
      "장난하",
      "장난치",
      "뭐하는",
      "말이 됩니까",
      "말이 돼",
      "말이됩니까",
      "말이돼",
      "다시는",
      "두 번 다시",
      "두번 다시",
      "거지같",
      "개판",
      "엉망",
      "환불 안 해주면",
      "환불 안해주면",
      "환불안해주면",
      "책임져",
      "양아치",
      "쓰레기",
      "뭐냐",
      "장난해",
      "ㅡㅡ",
      "-_-",
      "기가 막",
      "기가막",
      "어처구니",
      "너무하",
      "해도 너무",
      "화가 납",
      "화납니",
      "짜증납",
      "짜증 납",
      "어이업",
      "개짜증",
      "빡침",
      "속았",
      "속은 기분",
      "무능",
      "호구",
      "이따위",
      "이딴",
      "형편없",
      "먹튀",
      "양심 없",
      "양심없",
      "기만",
      "우롱",
      "뭐하냐",
      "장난합",
      "사기꾼",
      "거짓말",
      "미치겠",
      "참을 수가 없",
      "못 참",
      "더는 못",
      "분노",
      "정 떨어",
      "돈 아까",
      "돈 날렸",
      "별점 1",
      "별 하나도",
      "읽씹",
      "무시하",
      "다신 안",
      "두번 다시",
    ],
    en: [
      "fuck",
      "fucking",
      "fucked",
      "f*ck",
      "f***",
      "shit",
      "shitty",
      "bullshit",
      "damn",
      "wtf",
      "crap",
      "crappy",
      "pissed",
      "screw you",
      "worst",
      "furious",
      "angry",
      "unacceptable",
      "ridiculous",
      "scam",
      "scammed",
      "scammers",
      "fraud",
      "never again",
      "never buy",
      "never order",
      "disgusting",
      "pathetic",
      "a joke",
      "awful",
      "horrible",
      "terrible",
      "rip off",
      "ripoff",
      "ripped off",
      "useless",
      "incompetent",
      "fed up",
      "sick of",
      "sick and tired",
      "outraged",
      "outrageous",
      "appalling",
      "shameful",
      "disgrace",
      "livid",
      "thieves",
      "stealing my money",
      "waste of money",
      "clowns",
      "cheated",
      "cheat",
      "deceived",
      "liars",
      "lied to",
      "lying",
      "crooks",
      "garbage",
      "trash",
      "sucks",
      "rudest",
      "shocking",
      "dreadful",
      "nightmare",
      "unbelievable",
      "ashamed",
      "shame on you",
      "are you kidding",
      "kidding me",
      "enough is enough",
      "had enough",
      "ruined",
      "zero stars",
      "one star",
      "1 star",
      "lost a customer",
      "lost a loyal customer",
      "go to hell",
      "screw this",
      "hell",
    ],
  },
  {
    level: 1,
    weight: 1.5,
    ko: [
      "불만",
      "항의",
      "컴플레인",
      "클레임",
      "실망",
      "불친절",
      "답답",
      "몇 번째",
      "몇번째",
      "연락이 없",
      "연락도 없",
      "연락이없",
      "연락도없",
      "책임지",
      "무책임",
      "불쾌",
      "기분 나쁘",
      "기분나쁘",
      "성의 없",
      "성의없",
      "이게 뭐",
      "이게뭐",
      "어떻게 된 거",
      "언제까지 기다",
      "아직도",
      "사과 한마디",
      "사과도 없",
      "사과부터",
      "성의 없는",
      "실망스럽",
      "불만족",
      "항의합",
      "민원",
      "책임자",
      "윗사람",
      "기분 나쁩",
      "기분나쁩",
      "반말",
      "불편 사항",
      "불편사항",
      "고객의 소리",
      "기분 나빴",
      "기분나빴",
      "답이 없",
      "답변이 없",
      "답 없",
      "말이 달라",
      "약속을",
      "몇 주째",
      "몇 번을",
    ],
    en: [
      "complaint",
      "complaints",
      "complain",
      "complaining",
      "claim",
      "reclamation",
      "dissatisfied",
      "unhappy",
      "disappointed",
      "disappointing",
      "not happy",
      "not satisfied",
      "poor service",
      "bad service",
      "rude",
      "still waiting",
      "third time",
      "no one replied",
      "nobody answered",
      "no response",
      "ignored",
      "again and again",
      "fed up with",
      "frustrated",
      "frustrating",
      "upset",
      "annoyed",
      "unprofessional",
      "ignoring me",
      "treated badly",
      "further action",
      "my patience",
      "losing patience",
      "run out of patience",
      "escalate",
      "supervisor",
      "manager",
      "negative feedback",
      "not acceptable",
      "very poor",
      "poor quality",
      "lodge",
      "grievance",
      "dissatisfaction",
      "unsatisfied",
      "regret",
      "dispute",
    ],
  },
];

// "No complaints" and "not upset" are praise or reassurance, not complaints.
const NEGATED_EN = /\b(?:no|not|never had any|without)\s+(?:complaints?|complain|claims?|upset|angry|problems?)\b/g;

const MATCHER = compileCues(LEVELS);
const levelCounts = new Int32Array(LEVELS.length);

const isAsciiLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;

/**
 * The detector over a text already bounded and folded ({@link boundedText}): `text` the bounded
 * original (typography is read from it), `lower` its folded lower case.
 *
 * @example
 * const { text, lower } = boundedText(input);
 * complaintCuesOf(text, lower) // same as detectComplaint(input)
 */
export function complaintCuesOf(text: string, lower0: string): ComplaintCues {
  // Only texts with "no", "never had any" or "without" can hold a negated cue.
  const negatable = lower0.includes("no") || lower0.includes("never had any") || lower0.includes("without");
  const lower = negatable ? lower0.replace(NEGATED_EN, " ") : lower0;
  const cues: string[] = [];
  let score = 0;
  let intensity: ComplaintIntensity = 0;
  MATCHER.collect(lower, cues, levelCounts);
  LEVELS.forEach((level, i) => {
    // One addition per cue, in the order they were found, as the score always summed.
    for (let n = 0; n < levelCounts[i]!; n++) score += level.weight;
    if (levelCounts[i]! > 0 && level.level > intensity) intensity = level.level;
  });
  // Shouting and piled-up punctuation: together anger (level 2), one of them alone level 1.
  // One scan for /[a-z]/gi, /[A-Z]/g and the first /[!?]{3,}|!{2,}/ of the original text.
  let letters = 0;
  let upper = 0;
  let piled: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) {
      letters++;
      upper++;
    } else if (isAsciiLower(c)) letters++;
    else if (piled === null && (c === 0x21 || c === 0x3f)) {
      const c1 = text.charCodeAt(i + 1);
      const c2 = text.charCodeAt(i + 2);
      if ((c1 === 0x21 || c1 === 0x3f) && (c2 === 0x21 || c2 === 0x3f)) piled = text.slice(i, i + 3);
      else if (c === 0x21 && c1 === 0x21) piled = "!!";
    }
  }
  const typography: string[] = [];
  if (letters >= 8 && upper / letters > 0.7) typography.push("ALL CAPS");
  if (piled !== null) typography.push(piled);
  if (typography.length > 0) {
    cues.push(...typography);
    score += typography.length;
    // Shouting with piled-up punctuation reads as anger; either alone as raised voice only.
    const level: ComplaintIntensity = typography.length === 2 ? 2 : 1;
    if (level > intensity) intensity = level;
  }
  return { intensity, score, cues };
}

/**
 * Finds complaint cues in Korean and English text: threats to report (소비자원, 공정위, BBB,
 * "report you"), chargebacks, profanity, anger (어이없다, 짜증, "never again"), dissatisfaction
 * ("complaint", 불만), piled-up `!!!`/`???` and all-caps shouting.
 *
 * @example
 * detectComplaint("환불 안 해주면 소비자원에 신고합니다").intensity // 3
 * detectComplaint("Where is my parcel?").intensity // 0
 */
export function detectComplaint(input: string): ComplaintCues {
  // The same bounded start of the text the features read.
  const { text, lower } = boundedText(input);
  return complaintCuesOf(text, lower);
}

/**
 * The priority a complaint of this intensity asks for: escalation is urgent, anger and plain
 * dissatisfaction are high; not a complaint leaves `normal`.
 *
 * @example
 * complaintPriority(3, true) // "urgent"
 */
export function complaintPriority(intensity: ComplaintIntensity, complaint: boolean): Priority {
  if (intensity >= 3) return "urgent";
  return complaint ? "high" : "normal";
}
