/**
 * Verifies the whole journal: every chain link, every stored head, every checkpoint
 * signature and every checkpointed head. Reports the first bad event by stream, sequence
 * and id — the thing an auditor needs to start looking.
 */
import type { Kysely } from 'kysely';
import type { KeyService } from '../crypto/keys.js';
import type { Database } from '../store/tables.js';
import { headsDigest, toCheckpoint } from './checkpoint.js';
import { eventHash, GENESIS_HASH } from './journal.js';

export interface JournalProblem {
  stream: string;
  seq: number;
  eventId: string | null;
  problem: string;
}

export interface VerifyReport {
  ok: boolean;
  streams: number;
  events: number;
  checkpoints: number;
  problems: JournalProblem[];
}

const PAGE = 5000;

export async function verifyJournal(db: Kysely<Database>, keys: KeyService, onProgress?: (events: number) => void): Promise<VerifyReport> {
  const problems: JournalProblem[] = [];
  const chainEnds = new Map<string, { seq: number; hash: string }>();
  const checkpoints = (await db.selectFrom('journal_checkpoint').selectAll().orderBy('at').execute()).map(toCheckpoint);
  /** Only the events some checkpoint pins are remembered, so memory stays flat on long journals. */
  const pinned = new Map<string, Set<number>>();
  for (const checkpoint of checkpoints) {
    for (const [stream, [seq]] of Object.entries(checkpoint.heads)) pinned.set(stream, (pinned.get(stream) ?? new Set()).add(seq));
  }
  const hashes = new Map<string, Map<number, string>>();
  let events = 0;

  const streams = (await db.selectFrom('journal_event').select('stream').distinct().execute()).map((r) => r.stream);
  const headRows = await db.selectFrom('journal_head').selectAll().execute();
  const allStreams = [...new Set([...streams, ...headRows.map((h) => h.stream)])].sort();

  for (const stream of allStreams) {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let prevEventId: string | null = null;
    let broken = false;
    const seen = new Map<number, string>();
    hashes.set(stream, seen);
    for (let after = 0; ; ) {
      const page = await db.selectFrom('journal_event').selectAll().where('stream', '=', stream).where('seq', '>', after).orderBy('seq').limit(PAGE).execute();
      for (const row of page) {
        const seq = Number(row.seq);
        events++;
        if (pinned.get(stream)?.has(seq)) seen.set(seq, row.hash);
        if (!broken) {
          const problem =
            seq !== expectedSeq
              ? seq > expectedSeq
                ? `sequence gap: expected ${expectedSeq}, found ${seq} (an event was deleted)`
                : `sequence out of order: expected ${expectedSeq}, found ${seq}`
              : row.prev_hash !== prevHash
                ? `previous-hash link broken: ${prevEventId ? `the event before it (seq ${expectedSeq - 1}, id ${prevEventId}) was inserted, edited or moved, or` : 'an event before it was'} deleted or reordered`
                : eventHash(row) !== row.hash
                  ? 'content does not match its hash (the event was edited)'
                  : undefined;
          if (problem) {
            problems.push({ stream, seq, eventId: row.id, problem });
            broken = true;
          }
        }
        expectedSeq = seq + 1;
        prevHash = row.hash;
        prevEventId = row.id;
      }
      if (page.length > 0) onProgress?.(events);
      if (page.length < PAGE) break;
      after = Number(page[page.length - 1].seq);
    }
    chainEnds.set(stream, { seq: expectedSeq - 1, hash: prevHash });
  }

  for (const head of headRows) {
    const end = chainEnds.get(head.stream);
    if (!end || end.seq !== Number(head.seq) || end.hash !== head.hash) {
      problems.push({
        stream: head.stream,
        seq: Number(head.seq),
        eventId: null,
        problem: `stream head says seq ${head.seq} but the chain ends at seq ${end?.seq ?? 0} (events were deleted or appended outside Custodian)`,
      });
    }
  }

  for (const checkpoint of checkpoints) {
    const digestOk = headsDigest(checkpoint.at, checkpoint.heads) === checkpoint.digest;
    if (checkpoint.keyId !== keys.journalKeyId) {
      problems.push({ stream: '*', seq: 0, eventId: null, problem: `checkpoint ${checkpoint.id} names key ${checkpoint.keyId}, not this journal's signing key ${keys.journalKeyId}` });
      continue;
    }
    if (!digestOk || !keys.verifyJournal(Buffer.from(checkpoint.digest, 'hex'), checkpoint.signature)) {
      problems.push({ stream: '*', seq: 0, eventId: null, problem: `checkpoint ${checkpoint.id} has an invalid signature` });
      continue;
    }
    for (const [stream, [seq, hash]] of Object.entries(checkpoint.heads)) {
      const actual = hashes.get(stream)?.get(seq);
      if (actual !== hash) {
        problems.push({
          stream,
          seq,
          eventId: null,
          problem: actual === undefined ? `event signed by checkpoint ${checkpoint.id} is missing` : `event differs from the one signed by checkpoint ${checkpoint.id}`,
        });
      }
    }
  }

  problems.sort((a, b) => (a.stream === b.stream ? a.seq - b.seq : a.stream < b.stream ? -1 : 1));
  return { ok: problems.length === 0, streams: allStreams.length, events, checkpoints: checkpoints.length, problems: dedupe(problems) };
}

function dedupe(problems: JournalProblem[]): JournalProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.stream}/${p.seq}/${p.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
