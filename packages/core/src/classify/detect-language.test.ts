import { describe, expect, it } from "vitest";
import { detectLanguage } from "./detect-language.js";

describe("detectLanguage", () => {
  // The regex version it replaced, as the reference.
  const reference = (text: string, hint?: string | null): string => {
    const hangul = text.match(/[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/g)?.length ?? 0;
    const latin = text.match(/[a-z]/gi)?.length ?? 0;
    if (hangul + latin < 2) return hint ?? "en";
    return hangul / (hangul + latin) >= 0.3 ? "ko" : latin > 0 ? "en" : (hint ?? "en");
  };

  it("counts Hangul and Latin letters as the regexes did, for every code unit", () => {
    const differ: number[] = [];
    for (let c = 0; c < 65536; c++) {
      const ch = String.fromCharCode(c);
      for (const text of [ch + ch, `${ch}a`, `${ch}가가`, `${ch}abc`]) {
        if (detectLanguage(text, "ja") !== reference(text, "ja")) differ.push(c);
      }
    }
    expect(differ).toEqual([]);
  });
});
