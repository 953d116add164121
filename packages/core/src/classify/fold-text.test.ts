import { describe, expect, it } from "vitest";
import { foldText, isNfcSafe } from "./tokenize-text.js";

describe("foldText", () => {
  it("skips NFC only where V8's NFC leaves the text alone", () => {
    const safe: number[] = [];
    for (let c = 0; c < 65536; c++) if (isNfcSafe(c)) safe.push(c);
    const differ: number[] = [];
    // Every safe unit alone and after a spread of other safe units (Latin, jamo, syllables).
    const before = safe.filter((_, i) => i % 97 === 0);
    for (const c of safe) {
      const ch = String.fromCharCode(c);
      if (ch.normalize("NFC") !== ch) differ.push(c);
      for (const b of before) {
        const pair = String.fromCharCode(b) + ch;
        if (pair.normalize("NFC") !== pair) differ.push(c);
      }
    }
    expect(differ).toEqual([]);
  });

  it("folds width and composes decomposed Hangul as before", () => {
    expect(foldText("ＲＥＦＵＮＤ\u3000ㅠㅠ")).toBe("REFUND ㅠㅠ");
    expect(foldText("\u1107\u1161\u11bc\u1109\u1169\u11bc")).toBe("방송");
    expect(foldText("cafe\u0301")).toBe("café");
  });
});
