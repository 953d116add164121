import { describe, expect, it } from "vitest";
import { compileCues, isRegexSpace } from "./cue-matcher.js";

describe("compileCues", () => {
  it("tests \\s exactly as the regex engine does, for every code unit", () => {
    const differ: number[] = [];
    for (let c = 0; c < 65536; c++) if (isRegexSpace(c) !== /\s/.test(String.fromCharCode(c))) differ.push(c);
    expect(differ).toEqual([]);
  });

  it("reports Korean cues in list order, then English ones left to right, per level", () => {
    const m = compileCues([
      { ko: ["소비자원"], en: ["lawyer"] },
      { ko: ["최악", "짜증"], en: ["worst", "never again"] },
    ]);
    const out: string[] = [];
    const counts = new Int32Array(2);
    m.collect("never\t again, worst. 짜증 최악 lawyers 소비자원", out, counts);
    expect(out).toEqual(["소비자원", "lawyers", "최악", "짜증", "never again", "worst"]);
    expect([...counts]).toEqual([2, 4]);
  });

  it("keeps the regex's word edges: no cue inside a word, suffixes only on long single words", () => {
    const m = compileCues([{ ko: [], en: ["sue", "disgrace", "fed up", "fed up with"] }]);
    const out: string[] = [];
    m.collect("suede sue disgraceful fed  up withx fed up with", out, new Int32Array(1));
    expect(out).toEqual(["sue", "disgraceful", "fed up", "fed up with"]);
  });

  it("refuses an English cue it cannot match like the regex did", () => {
    expect(() => compileCues([{ ko: [], en: ["fed  up"] }])).toThrow(/bad English cue/);
    expect(() => compileCues([{ ko: [], en: ["ab"] }])).toThrow(/bad English cue/);
  });
});
