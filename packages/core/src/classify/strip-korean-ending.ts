/**
 * Strips Korean particles (조사) and verb endings (어미) from one eojeol, so 배송이, 배송은,
 * 배송을 and 배송도 share the stem 배송 and 환불해주세요 and 환불했어요 share 환불. A suffix list,
 * not a morphological analyzer: no analyzer for Korean runs in plain JavaScript without a
 * dictionary download, and the syllable bigrams beside it already carry what this misses.
 */

// Longest first, so 에서 is tried before 서 and 했습니다 before 니다.
const ENDINGS = [
  "하고싶습니다",
  "하고싶어요",
  "해주시겠어요",
  "해주실수있나요",
  "해주실수있을까요",
  "해주셨으면",
  "해주십시오",
  "하겠습니다",
  "했었는데요",
  "했었어요",
  "했습니다",
  "됐습니다",
  "되었습니다",
  "해주세요",
  "해주시면",
  "해줘요",
  "해줘",
  "했는데요",
  "했는데",
  "하는데요",
  "하는데",
  "인데요",
  "는데요",
  "은데요",
  "던데요",
  "거든요",
  "잖아요",
  "습니까",
  "습니다",
  "합니다",
  "됩니다",
  "입니다",
  "합니까",
  "됩니까",
  "입니까",
  "했어요",
  "됐어요",
  "해요",
  "돼요",
  "되요",
  "했어",
  "됐어",
  "할게요",
  "할까요",
  "될까요",
  "인가요",
  "는가요",
  "나요",
  "까요",
  "세요",
  "셨나요",
  "셨어요",
  "시나요",
  "주세요",
  "주실",
  "어요",
  "아요",
  "여요",
  "네요",
  "군요",
  "지요",
  "죠",
  "고요",
  "구요",
  "니다",
  "는데",
  "인데",
  "해서",
  "돼서",
  "라서",
  "이라",
  "에서는",
  "에서도",
  "에서",
  "에게",
  "한테",
  "께서",
  "까지",
  "부터",
  "으로는",
  "으로",
  "이랑",
  "이나",
  "처럼",
  "보다",
  "하고",
  "이요",
  "에는",
  "에도",
  "은요",
  "는요",
  "요",
  "은",
  "는",
  "이",
  "가",
  "을",
  "를",
  "에",
  "도",
  "만",
  "의",
  "로",
  "와",
  "과",
  "랑",
  "나",
  "야",
  "냐",
  "니",
  "지",
  "다",
  "해",
  "함",
  "임",
  "음",
].sort((a, b) => b.length - a.length);

/** Endings by their last syllable, longest first: a word is only compared with endings it can have. */
const BY_LAST = new Map<string, string[]>();
for (const e of ENDINGS) {
  const last = e[e.length - 1]!;
  let list = BY_LAST.get(last);
  if (!list) BY_LAST.set(last, (list = []));
  list.push(e);
}

/**
 * The stem of one Korean word: particles and endings removed, at least one syllable kept.
 *
 * @example
 * stripKoreanEnding("배송이") // "배송"
 * stripKoreanEnding("환불해주세요") // "환불"
 * stripKoreanEnding("교환했습니다") // "교환"
 */
export function stripKoreanEnding(word: string): string {
  let w = word;
  // Two passes: an ending often follows a particle (배송이요, 환불은요).
  for (let pass = 0; pass < 2; pass++) {
    const before = w;
    for (const ending of BY_LAST.get(w[w.length - 1]!) ?? []) {
      if (w.length > ending.length && w.endsWith(ending)) {
        w = w.slice(0, -ending.length);
        break;
      }
    }
    if (w === before) break;
  }
  return w;
}
