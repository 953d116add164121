/**
 * Finds the complaint detector's cue phrases in folded lower-case text in one scan. Hand-written
 * tries rather than one `includes` per Korean cue (about 190) and a regex alternation per level
 * for English: the detector runs on every message and those passes were a fifth of the
 * classifier's time. It finds exactly what they found, in the same order (the equivalence test
 * pins it): Korean cues as plain substrings, English cues as
 * /(?<![a-z])(?:cue|…)(?![a-z])/g with spaces as \s+ and a [a-z]* suffix on single words of five
 * letters or more, the alternation longest first.
 */

/** The cue phrases of one level, Korean and English. */
export interface CueTerms {
  ko: string[];
  en: string[];
}

/** Finds cues; see {@link compileCues}. */
export interface CueMatcher {
  /**
   * Appends the cues found in `lower` to `out`, level by level in the order the levels were given
   * (each level's Korean cues in list order, then its English cues left to right), and sets
   * `counts[level]` to how many each level had.
   */
  collect(lower: string, out: string[], counts: Int32Array): void;
}

/**
 * A trie over code units. Edges are kept in a Map while building, then frozen into an
 * open-addressing table of typed arrays (a Map lookup per character was most of the scan).
 */
interface Trie {
  edges: Map<number, number>;
  /** What ends at each node: for Korean a term id, for English (level, rank, suffix) triples. */
  ends: number[][];
  /** Frozen edges: slot → edge key + 1 (0 empty), and slot → child node. */
  keys: Int32Array;
  children: Int32Array;
  shift: number;
}

function newTrie(): Trie {
  return { edges: new Map(), ends: [[]], keys: new Int32Array(0), children: new Int32Array(0), shift: 0 };
}

/** The key of the edge from `node` by code unit `c` (nodes stay below 32,768: checked when frozen). */
const edgeKey = (node: number, c: number): number => node * 65536 + c;

function insert(trie: Trie, term: string): number {
  let node = 0;
  for (let i = 0; i < term.length; i++) {
    const key = edgeKey(node, term.charCodeAt(i));
    let child = trie.edges.get(key);
    if (child === undefined) {
      child = trie.ends.push([]) - 1;
      trie.edges.set(key, child);
    }
    node = child;
  }
  return node;
}

function freeze(trie: Trie): void {
  if (trie.ends.length >= 32768) throw new Error("too many cue trie nodes");
  let bits = 4;
  while (1 << bits < trie.edges.size * 2) bits++;
  trie.keys = new Int32Array(1 << bits);
  trie.children = new Int32Array(1 << bits);
  trie.shift = 32 - bits;
  const mask = (1 << bits) - 1;
  for (const [key, child] of trie.edges) {
    let slot = Math.imul(key, 0x9e3779b1) >>> trie.shift;
    while (trie.keys[slot] !== 0) slot = (slot + 1) & mask;
    trie.keys[slot] = key + 1;
    trie.children[slot] = child;
  }
}

/** The child of `node` by code unit `c`, or -1. */
function step(trie: Trie, node: number, c: number): number {
  const key = edgeKey(node, c) + 1;
  const { keys } = trie;
  const mask = keys.length - 1;
  for (let slot = Math.imul(key - 1, 0x9e3779b1) >>> trie.shift; ; slot = (slot + 1) & mask) {
    const k = keys[slot]!;
    if (k === key) return trie.children[slot]!;
    if (k === 0) return -1;
  }
}

const isAsciiLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;

/** JavaScript's \s, by code unit (checked against /\s/ over all 65,536 in the tests). */
export function isRegexSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

const SPACE = 0x20;

/**
 * Compiles the cue lists of the levels (strongest first, as the detector reports them) into one
 * matcher. Throws on an English cue the matcher cannot take (spaces doubled or at an end).
 *
 * @example
 * const m = compileCues([{ ko: ["최악"], en: ["worst"] }]);
 * const out: string[] = [];
 * m.collect("worst ever, 최악", out, new Int32Array(1)); // out: ["최악", "worst"]
 */
export function compileCues(levels: CueTerms[]): CueMatcher {
  const ko = newTrie();
  const koTerms: string[] = [];
  const koIds = new Map<string, number>();
  /** Per level, the Korean term ids in list order (repeats kept: each one counts). */
  const koByLevel: number[][] = levels.map((l) =>
    l.ko.map((term) => {
      let id = koIds.get(term);
      if (id === undefined) {
        id = koTerms.push(term) - 1;
        koIds.set(term, id);
        ko.ends[insert(ko, term)]!.push(id);
      }
      return id;
    }),
  );
  freeze(ko);
  const koFirst = new Uint8Array(65536);
  for (const t of koTerms) koFirst[t.charCodeAt(0)] = 1;

  const en = newTrie();
  /** (first, second) code units some English cue starts with, a space standing for any \s. */
  const enPairs = new Uint8Array(128 * 128);
  levels.forEach((l, level) => {
    // The regex alternation's order: longest first, stable, so a longer cue wins where both match.
    [...l.en]
      .sort((a, b) => b.length - a.length)
      .forEach((t, rank) => {
        if (t.length < 3 || t.split(" ").some((w) => w === "") || !/^[\x21-\x7e ]+$/.test(t)) {
          throw new Error(`bad English cue "${t}"`);
        }
        // One-word cues of five letters or more take suffixes (disgrace → disgraceful, complain →
        // complained); short ones do not ("sue" must not match "suede").
        en.ends[insert(en, t)]!.push(level, rank, /^[a-z]{5,}$/.test(t) ? 1 : 0);
        enPairs[t.charCodeAt(0) * 128 + t.charCodeAt(1)] = 1;
      });
  });

  freeze(en);
  const found = new Uint8Array(koTerms.length);
  const enOut: string[][] = levels.map(() => []);
  const cursor = new Int32Array(levels.length);
  const bestRank = new Int32Array(levels.length);
  const bestEnd = new Int32Array(levels.length);

  /** Marks the Korean terms occurring anywhere in `s` (each once, like includes). */
  function markKorean(s: string): boolean {
    let any = false;
    for (let i = 0; i < s.length; i++) {
      if (koFirst[s.charCodeAt(i)] === 0) continue;
      let node = 0;
      for (let j = i; j < s.length; j++) {
        const child = step(ko, node, s.charCodeAt(j));
        if (child === -1) break;
        node = child;
        for (const id of ko.ends[node]!) {
          found[id] = 1;
          any = true;
        }
      }
    }
    return any;
  }

  /** The English cues at `p` (a position not after a letter), into each level whose scan is not past p. */
  function matchEnglishAt(s: string, p: number): void {
    for (let level = 0; level < levels.length; level++) bestRank[level] = -1;
    let node = 0;
    let q = p;
    while (q < s.length) {
      const c = s.charCodeAt(q);
      let child: number;
      if (isRegexSpace(c)) {
        // A cue's space is \s+: before a letter or digit greedy is the only way, no backtracking.
        child = step(en, node, SPACE);
        if (child === -1) break;
        while (q < s.length && isRegexSpace(s.charCodeAt(q))) q++;
      } else {
        child = step(en, node, c);
        if (child === -1) break;
        q++;
      }
      node = child;
      const ends = en.ends[node]!;
      for (let e = 0; e < ends.length; e += 3) {
        const level = ends[e]!;
        const rank = ends[e + 1]!;
        if (cursor[level]! > p || (bestRank[level] !== -1 && bestRank[level]! < rank)) continue;
        let end = q;
        if (ends[e + 2] === 1) while (end < s.length && isAsciiLower(s.charCodeAt(end))) end++;
        else if (q < s.length && isAsciiLower(s.charCodeAt(q))) continue;
        bestRank[level] = rank;
        bestEnd[level] = end;
      }
    }
    for (let level = 0; level < levels.length; level++) {
      if (bestRank[level] === -1) continue;
      enOut[level]!.push(s.slice(p, bestEnd[level]).replace(/\s+/g, " "));
      cursor[level] = bestEnd[level]!;
    }
  }

  return {
    collect(lower, out, counts) {
      const korean = markKorean(lower);
      for (let level = 0; level < levels.length; level++) cursor[level] = 0;
      for (let p = 0; p < lower.length; p++) {
        const c = lower.charCodeAt(p);
        if (c >= 128 || (p > 0 && isAsciiLower(lower.charCodeAt(p - 1)))) continue;
        // Every cue has three characters or more: its first two rule out most word starts.
        let c1 = lower.charCodeAt(p + 1);
        if (isRegexSpace(c1)) c1 = SPACE;
        if (c1 < 128 && enPairs[c * 128 + c1] === 1) matchEnglishAt(lower, p);
      }
      for (let level = 0; level < levels.length; level++) {
        let n = 0;
        if (korean)
          for (const id of koByLevel[level]!) {
            if (found[id] === 1) {
              out.push(koTerms[id]!);
              n++;
            }
          }
        const fromEnglish = enOut[level]!;
        for (const cue of fromEnglish) out.push(cue);
        n += fromEnglish.length;
        // Setting length is a runtime call in V8: only when there is something to drop.
        if (fromEnglish.length > 0) fromEnglish.length = 0;
        counts[level] = n;
      }
      if (korean) found.fill(0);
    },
  };
}
