/**
 * A small hand-written reader of the iCalendar (RFC 5545) subset that holiday feeds use:
 * all-day VEVENTs with DTSTART/DTEND or DURATION, SUMMARY, and yearly RRULEs.
 */
import { invalidInput } from "../errors.js";
import type { Holiday } from "./business-calendar.js";
import { DAY_MS, dayNumberOf } from "./compile-calendar.js";

interface ContentLine {
  name: string;
  params: Record<string, string>;
  value: string;
}

function unfold(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r\n|\n|\r/)) {
    if ((line.startsWith(" ") || line.startsWith("\t")) && out.length > 0) out[out.length - 1] += line.slice(1);
    else if (line.length > 0) out.push(line);
  }
  return out;
}

function parseLine(line: string): ContentLine {
  let quoted = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ":" && !quoted) {
      colon = i;
      break;
    }
  }
  const head = colon < 0 ? line : line.slice(0, colon);
  const value = colon < 0 ? "" : line.slice(colon + 1);
  const [name = "", ...rawParams] = head.split(";");
  const params: Record<string, string> = {};
  for (const p of rawParams) {
    const eq = p.indexOf("=");
    if (eq > 0) params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"|"$/g, "");
  }
  return { name: name.toUpperCase(), params, value };
}

function unescapeText(v: string): string {
  return v.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Local day number of a DATE or DATE-TIME value and whether it had a time of day after midnight. */
function parseDateValue(v: string, eventNo: number, prop: string): { day: number; afterMidnight: boolean } {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/.exec(v.trim());
  if (!m) throw invalidInput(`iCalendar event #${eventNo}: ${prop} "${v}" is not a date`, ["vevent", eventNo, prop]);
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const day = dayNumberOf(iso);
  if (isoOfDay(day) !== iso)
    throw invalidInput(`iCalendar event #${eventNo}: ${prop} "${v}" is not a real date`, ["vevent", eventNo, prop]);
  return { day, afterMidnight: m[4] !== undefined && `${m[4]}${m[5]}${m[6]}` !== "000000" };
}

function durationDays(v: string): number | null {
  const m = /^\+?P(?:(\d+)W|(\d+)D(?:T.*)?)$/.exec(v.trim());
  if (!m) return null;
  return m[1] !== undefined ? Number(m[1]) * 7 : Number(m[2]);
}

function addYears(day: number, years: number): number | null {
  const d = new Date(day * DAY_MS);
  const t = new Date(Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()));
  return t.getUTCDate() === d.getUTCDate() ? Math.round(t.getTime() / DAY_MS) : null; // Feb 29 in a common year
}

function toHoliday(from: number, to: number, name: string | undefined): Holiday {
  const named = name !== undefined && name !== "" ? { name } : {};
  return from === to ? { date: isoOfDay(from), ...named } : { from: isoOfDay(from), to: isoOfDay(to), ...named };
}

/**
 * Reads holidays from an iCalendar text (a `.ics` holiday feed). Each VEVENT becomes a holiday:
 * `DTSTART;VALUE=DATE` with an exclusive `DTEND` (or `DURATION`) gives a date or a date range,
 * `SUMMARY` the name, and `RRULE:FREQ=YEARLY` yearly `MM-DD` entries (one per day of the event;
 * with `COUNT` or `UNTIL`, the listed years as dates instead). Long lines are unfolded.
 * Cancelled events are skipped; other recurrence kinds keep only their first occurrence, and a
 * DATE-TIME start is taken by its written date (no time-zone conversion).
 *
 * @throws StoredeskError `INVALID_INPUT` for an event without a readable DTSTART.
 * @example
 * importICalHolidays("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20251225\r\nDTEND;VALUE=DATE:20251226\r\nSUMMARY:Christmas\r\nEND:VEVENT\r\nEND:VCALENDAR");
 * // → [{ date: "2025-12-25", name: "Christmas" }]
 */
export function importICalHolidays(icsText: string): Holiday[] {
  const out: Holiday[] = [];
  let event: ContentLine[] | null = null;
  let nested = 0;
  let eventNo = 0;
  for (const raw of unfold(icsText)) {
    const line = parseLine(raw);
    const v = line.value.trim().toUpperCase();
    if (line.name === "BEGIN") {
      if (event !== null) nested++;
      else if (v === "VEVENT") {
        event = [];
        eventNo++;
      }
    } else if (line.name === "END") {
      if (event !== null && nested > 0) nested--;
      else if (event !== null && v === "VEVENT") {
        out.push(...holidaysOfEvent(event, eventNo));
        event = null;
      }
    } else if (event !== null && nested === 0) event.push(line);
  }
  return out;
}

function holidaysOfEvent(lines: ContentLine[], eventNo: number): Holiday[] {
  const prop = (n: string): ContentLine | undefined => lines.find((l) => l.name === n);
  if (prop("STATUS")?.value.trim().toUpperCase() === "CANCELLED") return [];
  const dtstart = prop("DTSTART");
  if (dtstart === undefined)
    throw invalidInput(`iCalendar event #${eventNo} has no DTSTART`, ["vevent", eventNo, "DTSTART"]);
  const from = parseDateValue(dtstart.value, eventNo, "DTSTART").day;
  let to = from;
  const dtend = prop("DTEND");
  const duration = prop("DURATION");
  if (dtend !== undefined) {
    const end = parseDateValue(dtend.value, eventNo, "DTEND");
    to = Math.max(from, end.afterMidnight ? end.day : end.day - 1); // DTEND is exclusive
  } else if (duration !== undefined) {
    const days = durationDays(duration.value);
    if (days !== null && days > 0) to = from + days - 1;
  }
  const summary = prop("SUMMARY");
  const name = summary === undefined ? undefined : unescapeText(summary.value).trim();

  const rrule = prop("RRULE");
  if (rrule === undefined) return [toHoliday(from, to, name)];
  const rule = new Map(
    rrule.value.split(";").map((kv) => {
      const [k = "", val = ""] = kv.split("=");
      return [k.trim().toUpperCase(), val.trim().toUpperCase()] as const;
    }),
  );
  const interval = Number(rule.get("INTERVAL") ?? "1");
  if (rule.get("FREQ") !== "YEARLY" || !(interval >= 1)) return [toHoliday(from, to, name)];
  const count = rule.get("COUNT");
  const until = rule.get("UNTIL");
  if (count === undefined && until === undefined && interval === 1) {
    const named = name !== undefined && name !== "" ? { name } : {};
    const out: Holiday[] = [];
    for (let d = from; d <= to; d++) out.push({ yearly: isoOfDay(d).slice(5), ...named });
    return out;
  }
  // A bounded or every-n-years rule: list its occurrences (up to 200 years for an unbounded one).
  const maxOccurrences = count !== undefined ? Number(count) : 200;
  const untilDay = until !== undefined ? parseDateValue(until, eventNo, "RRULE UNTIL").day : Number.POSITIVE_INFINITY;
  const out: Holiday[] = [];
  for (let n = 0, years = 0; n < maxOccurrences; years += interval) {
    const f = addYears(from, years);
    if (f === null) continue;
    if (f > untilDay) break;
    out.push(toHoliday(f, f + (to - from), name));
    n++;
  }
  return out;
}
