/**
 * Knowledge search benchmark: retrieval quality on a labelled set of customer phrasings over a
 * 120-article ko/en shop FAQ, against stock MiniSearch on the same data in the same run, and query
 * latency (p50/p95) through `knowledge.search` at 1,000 and 10,000 articles.
 * Run: npx -y pnpm@12.4.2 bench knowledge
 */
import MiniSearch from "minisearch";
import { memoryStore } from "../packages/core/src/index.js";
import { createKnowledge, type Article, type ArticleInput } from "../packages/knowledge/src/index.js";
import { CUSTOMER_PHRASINGS, type Phrasing } from "../packages/knowledge/test-fixtures/customer-phrasings.js";
import { SHOP_FAQ } from "../packages/knowledge/test-fixtures/shop-faq.js";

/** The FAQ as article inputs: Korean originals, English translations linked to them. */
export function faqInputs(): ArticleInput[] {
  const out: ArticleInput[] = [];
  for (const f of SHOP_FAQ) {
    out.push({
      id: f.id,
      title: f.ko.q,
      body: f.ko.a,
      category: f.category,
      tags: f.tags,
      locale: "ko",
      status: "published",
    });
    out.push({
      id: `${f.id}-en`,
      title: f.en.q,
      body: f.en.a,
      category: f.category,
      tags: [],
      locale: "en",
      status: "published",
      translationOf: f.id,
    });
  }
  return out;
}

/** Small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const KO_PRODUCTS = [
  "린넨 셔츠",
  "울 코트",
  "데님 팬츠",
  "캐시미어 니트",
  "가죽 스니커즈",
  "캔버스 백",
  "실크 스카프",
  "코튼 티셔츠",
  "패딩 점퍼",
  "니트 가디건",
  "세라믹 머그",
  "원목 의자",
  "린넨 침구",
  "향초",
  "디퓨저",
  "수건 세트",
  "유리 화병",
  "스테인리스 텀블러",
  "러그",
  "쿠션 커버",
];
const EN_PRODUCTS = [
  "linen shirt",
  "wool coat",
  "denim pants",
  "cashmere knit",
  "leather sneakers",
  "canvas bag",
  "silk scarf",
  "cotton tee",
  "puffer jacket",
  "knit cardigan",
  "ceramic mug",
  "oak chair",
  "linen bedding",
  "candle",
  "diffuser",
  "towel set",
  "glass vase",
  "steel tumbler",
  "rug",
  "cushion cover",
];
const KO_COLORS = ["네이비", "아이보리", "차콜", "베이지", "블랙", "카키", "버건디", "스카이블루", "올리브", "그레이"];
const EN_COLORS = ["navy", "ivory", "charcoal", "beige", "black", "khaki", "burgundy", "sky blue", "olive", "grey"];
const KO_TOPICS = [
  "소재와 두께",
  "착용감 후기",
  "세탁 시 주의사항",
  "입고 일정",
  "구성품 안내",
  "사용 방법",
  "보관 방법",
  "제품 사양",
  "색상 차이",
  "브랜드 소개",
];
const EN_TOPICS = [
  "material and weight",
  "fit notes",
  "care instructions",
  "restock schedule",
  "what is in the box",
  "how to use",
  "storage",
  "specifications",
  "colour differences",
  "about the brand",
];
const KO_SENTENCES = [
  "촬영 환경에 따라 실제 색상과 차이가 있을 수 있습니다.",
  "두께감은 중간이며 봄가을에 입기 좋습니다.",
  "첫 세탁은 단독으로 찬물에 해 주세요.",
  "구성품은 본품과 더스트백입니다.",
  "직사광선을 피해 서늘한 곳에 보관해 주세요.",
  "모델은 키 178cm에 L 사이즈를 착용했습니다.",
  "국내 공방에서 하나씩 만듭니다.",
  "전자레인지와 식기세척기 사용이 가능합니다.",
  "천연 소재 특성상 작은 옹이가 있을 수 있습니다.",
  "향은 약 40시간 지속됩니다.",
];
const EN_SENTENCES = [
  "Colours may look slightly different depending on lighting.",
  "Mid-weight, good for spring and autumn.",
  "Wash alone in cold water the first time.",
  "Comes with a dust bag.",
  "Store away from direct sunlight.",
  "The model is 178 cm and wears size L.",
  "Made one by one in a local workshop.",
  "Microwave and dishwasher safe.",
  "Natural wood may show small knots.",
  "The scent lasts about 40 hours.",
];

/** Product articles that fill a help center to `total` articles, half Korean, half English. */
export function synthesize(total: number, seed = 7): ArticleInput[] {
  const rnd = prng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)]!;
  const out: ArticleInput[] = [];
  for (let i = 0; out.length < total; i++) {
    const p = Math.floor(rnd() * KO_PRODUCTS.length);
    const c = Math.floor(rnd() * KO_COLORS.length);
    const t = Math.floor(rnd() * KO_TOPICS.length);
    const model = `${String.fromCharCode(65 + (i % 26))}${100 + (i % 900)}`;
    out.push({
      id: `gen-${i}`,
      title: `${KO_COLORS[c]} ${KO_PRODUCTS[p]} ${model} ${KO_TOPICS[t]}`,
      locale: "ko",
      status: "published",
      category: "product",
      body: [pick(KO_SENTENCES), pick(KO_SENTENCES), pick(KO_SENTENCES)].join(" "),
      tags: [KO_PRODUCTS[p]!.split(" ").at(-1)!],
    });
    out.push({
      id: `gen-${i}-en`,
      title: `${EN_COLORS[c]} ${EN_PRODUCTS[p]} ${model}: ${EN_TOPICS[t]}`,
      locale: "en",
      status: "published",
      category: "product",
      body: [pick(EN_SENTENCES), pick(EN_SENTENCES), pick(EN_SENTENCES)].join(" "),
      translationOf: `gen-${i}`,
    });
  }
  return out.slice(0, total);
}

interface Quality {
  n: number;
  top1: number;
  top3: number;
  mrr: number;
}

function score(phrasings: Phrasing[], rank: (p: Phrasing) => string[]): Quality & { ranks: number[] } {
  let top1 = 0;
  let top3 = 0;
  let mrr = 0;
  const ranks: number[] = [];
  for (const p of phrasings) {
    const ids = rank(p);
    const r = ids.indexOf(p.expected);
    ranks.push(r);
    if (r === 0) top1++;
    if (r >= 0 && r < 3) top3++;
    if (r >= 0) mrr += 1 / (r + 1);
  }
  const n = phrasings.length;
  return { n, top1: top1 / n, top3: top3 / n, mrr: mrr / n, ranks };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const groupOf = (id: string) => id.replace(/-en$/, "");

/** Stock MiniSearch: its own tokenizer and term processing, title boosted, results in the asked locale. */
function stockSearch(articles: Article[], tuned: boolean) {
  const mini = new MiniSearch<{ id: string; title: string; body: string; locale: string }>({
    fields: ["title", "body"],
    storeFields: ["locale"],
  });
  mini.addAll(articles.map((a) => ({ id: a.id, title: a.title, body: a.body, locale: a.locale })));
  return (p: Phrasing) =>
    mini
      .search(p.text, {
        boost: { title: 2 },
        filter: (r) => r.locale === p.locale,
        ...(tuned ? { fuzzy: 0.2, prefix: true } : {}),
      })
      .slice(0, 10)
      .map((r) => groupOf(r.id as string));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function latency(total: number): Promise<{
  p50: number;
  p95: number;
  cpuP95: number;
  bestP95: number;
  stockP95: number;
  build: number;
  top1: number;
}> {
  const store = memoryStore();
  const kb = createKnowledge({ store });
  const inputs = [...faqInputs(), ...synthesize(total - SHOP_FAQ.length * 2)];
  const t0 = performance.now();
  await kb.articles.importMany(inputs, "bench");
  const build = performance.now() - t0;
  // A fresh instance builds its index from the store, as a new process does at start.
  const fresh = createKnowledge({ store });
  await fresh.ready();
  const all = await fresh.articles.list();
  const stock = new MiniSearch<{ id: string; title: string; body: string }>({ fields: ["title", "body"] });
  stock.addAll(all.map((a) => ({ id: a.id, title: a.title, body: a.body })));
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const stockTimes: number[] = [];
  let hits = 0;
  // Per phrasing, its fastest of the timed rounds: what a query costs when it is not preempted
  // (the machine is shared; a wall p95 there measures the scheduler as much as the search).
  const best = new Map<string, number>();
  for (let round = 0; round < 4; round++) {
    for (const p of CUSTOMER_PHRASINGS) {
      const cpu = process.cpuUsage();
      const s = performance.now();
      const res = await fresh.search(p.text, { locale: p.locale, limit: 5 });
      const e = performance.now() - s;
      const c = process.cpuUsage(cpu);
      const s2 = performance.now();
      stock.search(p.text, { boost: { title: 2 } });
      const e2 = performance.now() - s2;
      if (round === 0) {
        if (res[0] && groupOf(res[0].articleId) === p.expected) hits++;
        continue; // warm-up round
      }
      times.push(e);
      best.set(p.text + p.locale, Math.min(best.get(p.text + p.locale) ?? Infinity, e));
      cpuTimes.push((c.user + c.system) / 1000);
      stockTimes.push(e2);
    }
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  stockTimes.sort((a, b) => a - b);
  const bestTimes = [...best.values()].sort((a, b) => a - b);
  return {
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    cpuP95: percentile(cpuTimes, 0.95),
    bestP95: percentile(bestTimes, 0.95),
    stockP95: percentile(stockTimes, 0.95),
    build,
    top1: hits / CUSTOMER_PHRASINGS.length,
  };
}

export async function run(): Promise<void> {
  const store = memoryStore();
  const kb = createKnowledge({ store });
  await kb.articles.importMany(faqInputs(), "bench");
  const articles = await kb.articles.list();
  const koreanEntries = SHOP_FAQ.length;
  const byLocale = {
    ko: CUSTOMER_PHRASINGS.filter((p) => p.locale === "ko"),
    en: CUSTOMER_PHRASINGS.filter((p) => p.locale === "en"),
  };
  console.log(
    `FAQ: ${koreanEntries} entries, ${articles.length} articles (ko + en); phrasings: ${byLocale.ko.length} ko, ${byLocale.en.length} en`,
  );

  const results = new Map<string, Array<{ ids: string[]; top: number }>>();
  for (const p of CUSTOMER_PHRASINGS) {
    const hits = await kb.search(p.text, { locale: p.locale, limit: 10 });
    results.set(p.text + p.locale, [{ ids: hits.map((h) => groupOf(h.articleId)), top: hits[0]?.score ?? 0 }]);
  }
  const ours = (p: Phrasing) => results.get(p.text + p.locale)![0]!.ids;
  const stock = stockSearch(articles, false);
  const tuned = stockSearch(articles, true);

  console.log("\nlocale  engine                          n    top-1   top-3   MRR");
  const summary: Record<string, Quality> = {};
  for (const [locale, set] of Object.entries(byLocale)) {
    for (const [name, rank] of [
      ["storedesk knowledge", ours],
      ["stock MiniSearch", stock],
      ["MiniSearch fuzzy 0.2 + prefix", tuned],
    ] as const) {
      const q = score(set, rank);
      summary[`${locale}:${name}`] = q;
      console.log(
        `${locale.padEnd(8)}${name.padEnd(32)}${String(q.n).padEnd(5)}${pct(q.top1).padEnd(8)}${pct(q.top3).padEnd(8)}${q.mrr.toFixed(3)}`,
      );
    }
  }
  const koOurs = summary["ko:storedesk knowledge"]!;
  const koStock = summary["ko:stock MiniSearch"]!;
  console.log(
    `\nKorean top-1: ${pct(koOurs.top1)} vs stock ${pct(koStock.top1)} (+${((koOurs.top1 - koStock.top1) * 100).toFixed(1)} points); goal ≥ 80% and ≥ +20 points: ${koOurs.top1 >= 0.8 && koOurs.top1 - koStock.top1 >= 0.2 ? "met" : "NOT met"}`,
  );

  console.log("\nKorean top-1 by style (ours / stock):");
  for (const style of ["colloquial", "spacing", "typo", "choseong", "synonym"] as const) {
    const set = byLocale.ko.filter((p) => p.style === style);
    if (set.length === 0) continue;
    console.log(
      `  ${style.padEnd(11)} n=${String(set.length).padEnd(4)} ${pct(score(set, ours).top1).padEnd(7)} / ${pct(score(set, stock).top1)}`,
    );
  }

  // Calibration: how often the top hit is right, by its confidence.
  console.log("\ncalibration of the top hit's score (all phrasings): bucket  n  correct");
  const buckets = [
    [0, 0.3],
    [0.3, 0.5],
    [0.5, 0.7],
    [0.7, 0.9],
    [0.9, 1.01],
  ] as const;
  for (const [lo, hi] of buckets) {
    const inB = CUSTOMER_PHRASINGS.filter((p) => {
      const s = results.get(p.text + p.locale)![0]!.top;
      return s >= lo && s < hi;
    });
    const ok = inB.filter((p) => ours(p)[0] === p.expected).length;
    console.log(
      `  [${lo.toFixed(1)}, ${Math.min(hi, 1).toFixed(1)})  ${String(inB.length).padEnd(4)} ${inB.length ? pct(ok / inB.length) : "-"}`,
    );
  }
  const threshold = kb.confidentAt;
  const answered = CUSTOMER_PHRASINGS.filter((p) => results.get(p.text + p.locale)![0]!.top >= threshold);
  const right = answered.filter((p) => ours(p)[0] === p.expected).length;
  console.log(
    `bot threshold ${threshold}: answers ${pct(answered.length / CUSTOMER_PHRASINGS.length)} of questions, ${pct(right / Math.max(1, answered.length))} of those correctly`,
  );

  console.log("\nlatency of knowledge.search (memory store, version check included), 3 rounds of every phrasing:");
  // Wall time on a shared machine includes waiting for a core; CPU time (process-wide, GC threads
  // included) is what one query costs. Both are printed, with the load average.
  const { loadavg, cpus } = await import("node:os");
  console.log(`load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
  console.log(
    "articles   build (import)   p50 wall   p95 wall   p95 CPU    p95 best-of-3   stock p95 wall   top-1 (all phrasings)",
  );
  for (const total of [1_000, 10_000]) {
    const l = await latency(total);
    console.log(
      `${String(total).padEnd(11)}${`${(l.build / 1000).toFixed(1)} s`.padEnd(17)}${`${l.p50.toFixed(3)} ms`.padEnd(11)}${`${l.p95.toFixed(3)} ms`.padEnd(11)}${`${l.cpuP95.toFixed(3)} ms`.padEnd(11)}${`${l.bestP95.toFixed(3)} ms`.padEnd(16)}${`${l.stockP95.toFixed(3)} ms`.padEnd(17)}${pct(l.top1)}`,
    );
    if (total === 10_000) {
      console.log(
        `p95 goal ≤ 2 ms at 10,000 articles: wall ${l.p95 <= 2 ? "met" : "NOT met"}, CPU ${l.cpuP95 <= 2 ? "met" : "NOT met"}, best-of-3 ${l.bestP95 <= 2 ? "met" : "NOT met"}`,
      );
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
