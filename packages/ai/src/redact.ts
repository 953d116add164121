/**
 * Masks personal data in text before it leaves for a language model. Every function of this
 * package runs its prompt text through a {@link Redactor}; {@link redactPersonalData} is the default.
 */
import { findPhoneNumbersInText, type CountryCode } from "libphonenumber-js/max";

/**
 * Turns text into text that is safe to send to a model. Must be pure and idempotent
 * (running it on its own output changes nothing): it is applied to every field separately.
 */
export type Redactor = (text: string) => string;

/** What {@link redactPersonalData} masks; every kind is on by default. */
export interface RedactOptions {
  emails?: boolean;
  phones?: boolean;
  /** Payment card numbers, recognised by length (13–19 digits) and the Luhn check digit. */
  cards?: boolean;
  /** Korean resident registration numbers (주민등록번호, YYMMDD-NNNNNNN with a valid date). */
  residentNumbers?: boolean;
  /** Street addresses where recognisable: Korean road-name and lot-number forms, English "12 Main Street". */
  addresses?: boolean;
  /**
   * Countries whose national phone formats are recognised without a `+` prefix.
   * Default `["KR", "US"]`; numbers written with `+` are recognised for every country.
   */
  phoneCountries?: CountryCode[];
}

/** Placeholders that replace masked data, in square brackets so a model can tell them apart. */
export const REDACTION_MARKS = {
  email: "[email]",
  phone: "[phone]",
  card: "[card]",
  residentNumber: "[resident-number]",
  address: "[address]",
} as const;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
// YYMMDD-[1-8]NNNNNN: the 7th digit encodes century and sex, so 9 and 0 never start the second half.
const RESIDENT_NUMBER = /(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s?[-–]?\s?[1-8]\d{6}(?!\d)/g;
const CARD_CANDIDATE = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;
const KO_PROVINCE =
  "(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주)" +
  "(?:특별시|광역시|특별자치시|특별자치도|도|시)?";
// Province (optional), one or two of 시/군/구, then a road (…로/…길 + number) or a lot (…동/읍/면/리 + number),
// then an optional building/unit part (101동 1002호, (역삼동)).
const KO_ADDRESS = new RegExp(
  `(?:${KO_PROVINCE}\\s+)?(?:[가-힣]{1,10}(?:시|군|구)\\s+){1,2}` +
    "(?:[가-힣0-9.]{1,20}(?:로|길)\\s*\\d{1,5}(?:-\\d{1,5})?" +
    "|[가-힣0-9]{1,10}(?:동|읍|면|리|가)\\s*\\d{1,5}(?:-\\d{1,5})?(?:번지)?)" +
    "(?:,?\\s*\\d{1,4}동)?(?:\\s*\\d{1,5}호)?(?:\\s*\\([가-힣0-9,.\\s]{1,30}\\))?",
  "g",
);
const EN_STREET_TYPES =
  "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Parkway|Pkwy";
const EN_ADDRESS = new RegExp(
  `\\b\\d{1,6}\\s+(?:[A-Z][\\w'-]*\\s+){1,4}(?:${EN_STREET_TYPES})\\b\\.?` +
    "(?:,?\\s*(?:Apt|Apartment|Suite|Unit|#)\\.?\\s*[\\w-]+)?",
  "g",
);

/**
 * The Luhn (mod 10) check digit test. Written here because it is eight lines and the npm
 * packages for it ship no types or are unmaintained.
 */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

function maskPhones(text: string, countries: CountryCode[]): string {
  const spans: Array<[number, number]> = [];
  for (const country of countries) {
    for (const found of findPhoneNumbersInText(text, { defaultCountry: country })) {
      spans.push([found.startsAt, found.endsAt]);
    }
  }
  if (spans.length === 0) return text;
  // Replace from the end so earlier offsets stay valid; overlapping spans (KR and US both matched) merge.
  spans.sort((a, b) => b[0] - a[0]);
  let out = text;
  let lastStart = Infinity;
  for (const [start, end] of spans) {
    if (end > lastStart) continue;
    out = out.slice(0, start) + REDACTION_MARKS.phone + out.slice(end);
    lastStart = start;
  }
  return out;
}

/**
 * Masks emails, phone numbers (Korean 010-1234-5678, 02-123-4567, international +82/+1…), payment
 * card numbers (Luhn-checked, so order numbers stay), Korean resident registration numbers and
 * recognisable street addresses. Order names (`#1001`), ticket refs (`SD-12`) and dates stay.
 *
 * @example
 * redactPersonalData("연락처 010-1234-5678, minsu@example.com")
 * // "연락처 [phone], [email]"
 */
export function redactPersonalData(text: string, options: RedactOptions = {}): string {
  let out = text;
  if (options.emails !== false) out = out.replace(EMAIL, REDACTION_MARKS.email);
  // Resident numbers and cards before phones: a phone matcher could take a piece of a longer number.
  if (options.residentNumbers !== false) out = out.replace(RESIDENT_NUMBER, REDACTION_MARKS.residentNumber);
  if (options.cards !== false) {
    out = out.replace(CARD_CANDIDATE, (m) => {
      const digits = m.replace(/\D/g, "");
      return digits.length >= 13 && digits.length <= 19 && passesLuhn(digits) ? REDACTION_MARKS.card : m;
    });
  }
  if (options.addresses !== false)
    out = out.replace(KO_ADDRESS, REDACTION_MARKS.address).replace(EN_ADDRESS, REDACTION_MARKS.address);
  if (options.phones !== false) out = maskPhones(out, options.phoneCountries ?? ["KR", "US"]);
  return out;
}

/**
 * A {@link Redactor} with some kinds switched off or other phone countries.
 *
 * @example
 * const redact = createRedactor({ addresses: false, phoneCountries: ["KR", "JP"] });
 * await draftReply({ ticket, messages, model, redact });
 */
export function createRedactor(options: RedactOptions): Redactor {
  return (text) => redactPersonalData(text, options);
}

/** The default {@link Redactor}: {@link redactPersonalData} with every kind on. */
export const defaultRedactor: Redactor = (text) => redactPersonalData(text);
