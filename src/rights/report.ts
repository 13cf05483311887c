/**
 * The yearly request metrics CCPA §7102 asks large businesses to publish: per request type,
 * how many were received, completed (complied with in whole or part), refused and
 * withdrawn in the calendar year (UTC), and the median number of days to answer.
 */
import type { Store } from '../store/store.js';
import { REQUEST_TYPES } from './model.js';

export interface RequestReportLine {
  type: string;
  received: number;
  completed: number;
  refused: number;
  withdrawn: number;
  open: number;
  /** Days from receipt to the answer (completed or refused), median; null when none was answered. */
  medianDaysToAnswer: number | null;
}

export async function requestReport(store: Store, year: number): Promise<{ year: number; types: RequestReportLine[]; total: RequestReportLine }> {
  const from = Date.UTC(year, 0, 1);
  const to = Date.UTC(year + 1, 0, 1);
  // Repeats linked to a first request are one request, counted once.
  const rows = await store.db.selectFrom('rights_request').select(['type', 'state', 'received_at', 'closed_at']).where('received_at', '>=', from).where('received_at', '<', to).where('duplicate_of', 'is', null).execute();
  const line = (type: string, of: typeof rows): RequestReportLine => {
    const answered = of.filter((r) => (r.state === 'completed' || r.state === 'refused') && r.closed_at !== null).map((r) => (Number(r.closed_at) - Number(r.received_at)) / 86_400_000);
    return {
      type,
      received: of.length,
      completed: of.filter((r) => r.state === 'completed').length,
      refused: of.filter((r) => r.state === 'refused').length,
      withdrawn: of.filter((r) => r.state === 'withdrawn').length,
      open: of.filter((r) => r.state === 'received' || r.state === 'verifying' || r.state === 'in-progress').length,
      medianDaysToAnswer: median(answered),
    };
  };
  return { year, types: REQUEST_TYPES.map((type) => line(type, rows.filter((r) => r.type === type))), total: line('all', rows) };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return Math.round(value * 10) / 10;
}
