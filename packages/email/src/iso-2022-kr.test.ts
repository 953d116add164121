import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeIso2022Kr, fixIso2022Kr, looksLikeIso2022Kr } from "./iso-2022-kr.js";
import { encodeIso2022KrForTest } from "./test-support.js";

describe("decodeIso2022Kr", () => {
  it("decodes the RFC 1557 byte form (designator, SO, KS X 1001 in GL, SI)", () => {
    // 한 = EUC-KR C7 D1, 글 = B1 DB → GL bytes 47 51 31 5B.
    const bytes = Uint8Array.from([0x1b, 0x24, 0x29, 0x43, 0x0e, 0x47, 0x51, 0x31, 0x5b, 0x0f, 0x20, 0x41, 0x42]);
    expect(decodeIso2022Kr(bytes)).toBe("한글 AB");
  });

  it("decodes text encoded from iconv-lite's EUC-KR bytes back to the original", () => {
    const original = "주문번호 20261125-0001, 사이즈 교환 요청드립니다.\r\n감사합니다 (Thanks)";
    expect(iconv.encode(original, "euc-kr").length).toBeGreaterThan(0);
    expect(decodeIso2022Kr(encodeIso2022KrForTest(original))).toBe(original);
  });

  it("returns to ASCII at a line end even without SI", () => {
    const bytes = Uint8Array.from([0x1b, 0x24, 0x29, 0x43, 0x0e, 0x47, 0x51, 0x0a, 0x47, 0x51]);
    expect(decodeIso2022Kr(bytes)).toBe("한\nGQ");
  });

  it("leaves text without the designator unchanged", () => {
    expect(looksLikeIso2022Kr("plain\x0etext")).toBe(false);
    expect(fixIso2022Kr("안녕하세요")).toBe("안녕하세요");
  });
});
