/**
 * Helpers for this package's tests (not exported from the package).
 */
import iconv from "iconv-lite";

/**
 * ISO-2022-KR bytes of `text`, made from iconv-lite's EUC-KR encoding:
 * iconv-lite cannot encode ISO-2022-KR, but by RFC 1557 it is EUC-KR's
 * two-byte characters shifted to GL (minus 0x80) between SO and SI, after one
 * `ESC $ ) C` designator, and back to ASCII before every line end.
 */
export function encodeIso2022KrForTest(text: string): Buffer {
  const euc = iconv.encode(text, "euc-kr");
  const out: number[] = [0x1b, 0x24, 0x29, 0x43];
  let shifted = false;
  for (const b of euc) {
    if (b >= 0x80) {
      if (!shifted) out.push(0x0e);
      shifted = true;
      out.push(b - 0x80);
    } else {
      if (shifted) out.push(0x0f);
      shifted = false;
      out.push(b);
    }
  }
  if (shifted) out.push(0x0f);
  return Buffer.from(out);
}
