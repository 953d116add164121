/**
 * The inbox script's clock part (plain browser JavaScript, spliced into inbox-script.ts's closure
 * before the call-back part): every time the page shows or reads is in the shop's zone, which the
 * server writes on `<html data-time-zone>`, never in the zone of the agent's laptop. A time shown
 * carries its zone ("2026년 12월 4일 14:00 GMT+9"), so nobody misreads a due time.
 */
export const timeScript = String.raw`
  const ZONE = document.documentElement.dataset.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone;
  const LOCALE = document.documentElement.lang === "ko" ? "ko-KR" : "en-US";
  // Korean on the 24-hour clock, as the desk's own due times: "오후 2:00 GMT+9" reads oddly.
  const shownTime = new Intl.DateTimeFormat(LOCALE, { timeZone: ZONE, year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short", ...(LOCALE === "ko-KR" ? { hourCycle: "h23" } : {}) });
  const when = (iso) => shownTime.format(new Date(iso));
  // The zone's short name at an instant ("GMT+9", "EST"): it can change with daylight saving.
  const zoneLabel = (iso) => (shownTime.formatToParts(iso ? new Date(iso) : new Date()).find((p) => p.type === "timeZoneName") || { value: ZONE }).value;
  const wallParts = new Intl.DateTimeFormat("en-US", { timeZone: ZONE, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  // The shop's wall clock at an instant, written as if it were UTC (ms), so the difference is the zone's offset.
  function wallMs(ms) {
    const p = Object.fromEntries(wallParts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  }
  // <input type=datetime-local> has no zone: it shows and is read as the shop's wall time.
  const wallTime = (iso) => new Date(wallMs(iso ? new Date(iso).getTime() : Date.now())).toISOString().slice(0, 16);
  function fromWallTime(value) {
    // Strict: Date.parse reads almost anything as some date.
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
    const asUtc = Date.parse(value.slice(0, 16) + ":00Z");
    if (Number.isNaN(asUtc)) return null;
    const first = asUtc - (wallMs(asUtc) - asUtc);
    // Again with the offset at the instant found: a daylight-saving change can lie between the two.
    return new Date(asUtc - (wallMs(first) - first)).toISOString();
  }
`;
