/**
 * ISO-2022-KR (RFC 1557) decoding. iconv-lite, which mailparser decodes
 * through, has no ISO-2022-KR codec, so mailparser leaves such text as its
 * raw 7-bit bytes (ESC $ ) C, SO … SI). The format is simple enough to decode
 * here: inside SO … SI each byte pair is KS X 1001 in GL, i.e. EUC-KR minus 0x80.
 */
import iconv from "iconv-lite";

const ESC = 0x1b;
const SO = 0x0e;
const SI = 0x0f;
const DESIGNATOR = "\x1b$)C";

/** True when `text` still holds undecoded ISO-2022-KR (its designator and a shift-out). */
export function looksLikeIso2022Kr(text: string): boolean {
  return text.includes(DESIGNATOR) && text.includes("\x0e");
}

/**
 * Decodes ISO-2022-KR bytes (or a string whose code points are those bytes)
 * to Unicode. Bytes outside SO … SI are ASCII; the state returns to ASCII at
 * each line end, as RFC 1557 requires.
 *
 * @example
 * decodeIso2022Kr(Buffer.from("\x1b$)C\x0eGQ1[\x0f", "latin1")) // "한글"
 */
export function decodeIso2022Kr(input: Uint8Array | string): string {
  const bytes = typeof input === "string" ? Buffer.from(input, "latin1") : input;
  let out = "";
  let ascii: number[] = [];
  let korean: number[] = [];
  let shifted = false;
  const flushAscii = () => {
    if (ascii.length) out += Buffer.from(ascii).toString("latin1");
    ascii = [];
  };
  const flushKorean = () => {
    if (korean.length) out += iconv.decode(Buffer.from(korean), "euc-kr");
    korean = [];
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === ESC && bytes[i + 1] === 0x24 && bytes[i + 2] === 0x29 && bytes[i + 3] === 0x43) {
      i += 3; // the designator only announces the character set
    } else if (b === SO) {
      flushAscii();
      shifted = true;
    } else if (b === SI) {
      flushKorean();
      shifted = false;
    } else if (b === 0x0a || b === 0x0d) {
      flushKorean();
      shifted = false;
      ascii.push(b);
    } else if (shifted && b >= 0x21 && b <= 0x7e) {
      korean.push(b | 0x80);
    } else {
      if (shifted) flushKorean();
      ascii.push(b);
    }
  }
  flushKorean();
  flushAscii();
  return out;
}

/** Decodes `text` when it still holds raw ISO-2022-KR; returns it unchanged otherwise. */
export function fixIso2022Kr(text: string): string;
export function fixIso2022Kr(text: string | null | undefined): string | null | undefined;
export function fixIso2022Kr(text: string | null | undefined): string | null | undefined {
  return typeof text === "string" && looksLikeIso2022Kr(text) ? decodeIso2022Kr(text) : text;
}
