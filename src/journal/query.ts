/**
 * Reading the journal, for auditors and for a subject's own processing history (which an
 * access answer includes). Events hold no personal-data values, so what is read is what
 * was written: ids, operations, purposes, category ids, codes and counts.
 *
 * Pages are in a stable order — time, then stream and sequence — and a cursor names the
 * last event of a page, so appends while someone pages never shift or repeat what they see.
 *
 * @example
 * const page = await new JournalQuery({ db }).list({ operation: 'transfer', from: Date.parse('2026-01-01') }, { limit: 500 });
 * const more = page.next ? await new JournalQuery({ db }).list({ operation: 'transfer' }, { cursor: page.next }) : undefined;
 */
import type { Kysely } from 'kysely';
import { CustodianError } from '../errors.js';
import type { Database } from '../store/tables.js';
import { type JournalEvent, toEvent } from './journal.js';

export interface JournalFilter {
  subjectId?: string;
  operation?: string;
  purpose?: string;
  /** Inclusive, epoch ms. */
  from?: number;
  /** Exclusive, epoch ms. */
  to?: number;
}

export interface PageRequest {
  /** Default 100, at most 1000. */
  limit?: number;
  /** `next` of the previous page. */
  cursor?: string;
}

export interface JournalPage {
  events: JournalEvent[];
  /** Pass as `cursor` for the next page; null on the last one. */
  next: string | null;
}

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

export class JournalQuery {
  constructor(private readonly deps: { db: Kysely<Database> }) {}

  async list(filter: JournalFilter, page: PageRequest = {}): Promise<JournalPage> {
    const limit = page.limit ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw invalid('limit', `must be a whole number from 1 to ${MAX_PAGE}`);
    if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) throw invalid('to', 'must be after from');
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);

    let query = this.deps.db.selectFrom('journal_event').selectAll();
    if (filter.subjectId !== undefined) query = query.where('subject_id', '=', filter.subjectId);
    if (filter.operation !== undefined) query = query.where('operation', '=', filter.operation);
    if (filter.purpose !== undefined) query = query.where('purpose', '=', filter.purpose);
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<', filter.to);
    if (after) {
      const [at, stream, seq] = after;
      // A row-value comparison, so both engines seek the (subject_id, at, stream, seq) index to the cursor.
      query = query.where((eb) => eb(eb.refTuple('at', 'stream', 'seq'), '>', eb.tuple(at, stream, seq)));
    }
    const rows = await query.orderBy('at').orderBy('stream').orderBy('seq').limit(limit + 1).execute();
    const events = rows.slice(0, limit).map(toEvent);
    const last = events.at(-1);
    return { events, next: rows.length > limit && last ? encodeCursor([last.at, last.stream, last.seq]) : null };
  }

  /**
   * One subject's processing history. A subject with no event at all is unknown here
   * (creating a subject is journaled), which is a 404 rather than an empty history.
   */
  async subjectHistory(subjectId: string, filter: Omit<JournalFilter, 'subjectId'>, page: PageRequest = {}): Promise<JournalPage> {
    const result = await this.list({ ...filter, subjectId }, page);
    if (result.events.length === 0 && page.cursor === undefined) {
      const any = await this.deps.db.selectFrom('journal_event').select('id').where('subject_id', '=', subjectId).limit(1).executeTakeFirst();
      if (!any) throw new CustodianError('not_found', 'The journal holds no events for this subject', [{ path: 'id', message: 'no journal events for this subject' }]);
    }
    return result;
  }
}

type Position = [at: number, stream: string, seq: number];

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeCursor(cursor: string): Position {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('cursor', 'is not a cursor this API returned');
  }
  const ok = Array.isArray(value) && value.length === 3 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string' && Number.isSafeInteger(value[2]);
  if (!ok) throw invalid('cursor', 'is not a cursor this API returned');
  return value as Position;
}

function invalid(field: string, message: string): CustodianError {
  return new CustodianError('validation_failed', `The query is invalid: ${field} ${message}`, [{ path: `querystring.${field}`, message }]);
}
