/**
 * ISO 8601 durations (`P1Y`, `P6M`, `P30D`, `PT72H`, `P1Y6M`) as the policy language writes
 * retention terms and consent validity. Years and months are calendar units: adding `P1M`
 * to 31 January gives the last day of February, as a lawyer would count.
 */

export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const PATTERN = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export function parseDuration(text: string): Duration | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const [years, months, weeks, days, hours, minutes, seconds] = m.slice(1).map((v) => (v ? Number(v) : 0));
  return { years, months, weeks, days, hours, minutes, seconds };
}

export function addDuration(epochMs: number, duration: Duration | string): number {
  const d = typeof duration === 'string' ? parseDuration(duration) : duration;
  if (!d) throw new Error(`Not an ISO 8601 duration: ${String(duration)}`);
  const start = new Date(epochMs);
  const targetMonth = start.getUTCMonth() + d.months + d.years * 12;
  const shifted = new Date(Date.UTC(start.getUTCFullYear(), targetMonth, 1, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds(), start.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, 0)).getUTCDate();
  shifted.setUTCDate(Math.min(start.getUTCDate(), lastDay));
  return shifted.getTime() + ((d.weeks * 7 + d.days) * 86_400 + d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000;
}

/** Approximate length in days, for ordering durations (a year counts 365.25 days). */
export function approximateDays(duration: Duration | string): number {
  const d = typeof duration === 'string' ? parseDuration(duration) : duration;
  if (!d) throw new Error(`Not an ISO 8601 duration: ${String(duration)}`);
  return d.years * 365.25 + d.months * 30.44 + d.weeks * 7 + d.days + d.hours / 24 + d.minutes / 1440 + d.seconds / 86400;
}
