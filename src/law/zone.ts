/**
 * Wall-clock arithmetic in an IANA zone, on Node's ICU (`Intl`), without offset tables:
 * which calendar day an instant falls on in a zone, the instant a zone's day ends, and an
 * ISO date-time carrying the zone's offset at that instant.
 */

/** A calendar day, months 1–12. */
export interface LocalDay {
  year: number;
  month: number;
  day: number;
}

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = FORMATTERS.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    FORMATTERS.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA zone this Node knows. */
export function isValidZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

function wallClock(epochMs: number, zone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(epochMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
}

/** The zone's offset from UTC at an instant, in minutes (Almaty +300, Moscow +180). */
export function offsetMinutes(epochMs: number, zone: string): number {
  const w = wallClock(epochMs, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000);
}

/** The calendar day an instant falls on in a zone. */
export function localDay(epochMs: number, zone: string): LocalDay {
  const { year, month, day } = wallClock(epochMs, zone);
  return { year, month, day };
}

/** The first instant of a local day (00:00:00.000 wall clock, or the first existing moment after it). */
export function startOfDay(day: LocalDay, zone: string): number {
  const guess = Date.UTC(day.year, day.month - 1, day.day);
  let t = guess - offsetMinutes(guess, zone) * 60_000;
  t = guess - offsetMinutes(t, zone) * 60_000;
  return t;
}

/** The last millisecond of a local day (23:59:59.999 wall clock). */
export function endOfDay(day: LocalDay, zone: string): number {
  return startOfDay(addDays(day, 1), zone) - 1;
}

/** A day `n` calendar days after `day` (negative goes back). */
export function addDays(day: LocalDay, n: number): LocalDay {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day + n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: LocalDay): number {
  return new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
}

export function dayKey(day: LocalDay): string {
  return `${String(day.year).padStart(4, '0')}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`;
}

export function parseDayKey(text: string): LocalDay | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const day = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return dayKey(addDays(day, 0)) === text ? day : undefined;
}

/**
 * An instant as an ISO 8601 date-time in a zone, with that zone's offset at the instant
 * (`2026-03-10T23:59:59.999+05:00`); an offset of zero is written `Z`.
 */
export function isoInZone(epochMs: number, zone: string): string {
  const offset = offsetMinutes(epochMs, zone);
  const local = new Date(epochMs + offset * 60_000).toISOString().slice(0, 23);
  if (offset === 0) return `${local}Z`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The instant a wall-clock time in a zone names (in a DST gap, the moment after it). */
export function fromWallClock(parts: { year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number }, zone: string): number {
  const guess = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.ms);
  let t = guess - offsetMinutes(guess, zone) * 60_000;
  t = guess - offsetMinutes(t, zone) * 60_000;
  return t;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Parses an ISO 8601 date-time; one without an offset is wall-clock time in `zone`.
 * `undefined` for anything else (a date alone, an impossible day or hour).
 *
 * @example parseDateTime('2026-03-06T22:30', 'Asia/Almaty') // Date.parse('2026-03-06T22:30:00+05:00')
 */
export function parseDateTime(text: string, zone: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const second = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  if (!parseDayKey(`${m[1]}-${m[2]}-${m[3]}`) || hour > 23 || minute > 59 || second > 59) return undefined;
  if (m[8]) {
    const offsetHours = m[8] === 'Z' ? 0 : Number(m[8].slice(1, 3));
    if (offsetHours > 14 || (m[8] !== 'Z' && Number(m[8].slice(4, 6)) > 59)) return undefined;
    const t = Date.parse(text);
    return Number.isFinite(t) ? t : undefined;
  }
  return fromWallClock({ year, month, day, hour, minute, second, ms }, zone);
}
