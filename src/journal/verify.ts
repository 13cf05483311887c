/**
 * Verifies the whole journal: every chain link, every stored head, the checkpoint chain
 * (numbers without gaps, each naming its predecessor's digest, signatures, the events they
 * pin), that nothing older than twice the checkpoint interval is left uncheckpointed, and,
 * given an anchor from outside the database, that everything it covered is still there.
 * Reports the first bad event by stream, sequence and id — the thing an auditor needs to
 * start looking.
 *
 * Why the age rule: deleting every checkpoint, the newest events and rewinding the heads
 * leaves chains that link up perfectly. The server checkpoints every interval, so events
 * that stay uncovered for two intervals mean checkpoints were removed (or checkpointing
 * stopped, which needs attention too). Only an anchor catches a rewind of events younger
 * than that, or of the whole journal.
 */
import type { Kysely } from 'kysely';
import type { KeyService } from '../crypto/keys.js';
import type { Database } from '../store/tables.js';
import { type Anchor, anchorProblems } from './anchor.js';
import { type Checkpoint, checkpointDigest, isLegacy, toCheckpoint } from './checkpoint.js';
import { eventHash, GENESIS_HASH } from './journal.js';

export interface JournalProblem {
  /** The stream, or `*` for a problem of the checkpoints or the anchor as a whole. */
  stream: string;
  seq: number;
  eventId: string | null;
  /** The checkpoint the problem is about, when there is one. */
  checkpoint?: number;
  problem: string;
}

export interface VerifyReport {
  ok: boolean;
  streams: number;
  events: number;
  checkpoints: number;
  /** The newest checkpoint's number; null when there is none. */
  latestCheckpoint: number | null;
  /** Present when an anchor was given: whether the journal still holds all it covered. */
  anchor?: { number: number; digest: string; ok: boolean };
  problems: JournalProblem[];
}

export interface VerifyOptions {
  db: Kysely<Database>;
  keys: KeyService;
  /** Epoch ms, from the injected clock. */
  now: number;
  /** The server's checkpoint interval: events older than twice it must be covered by a checkpoint. */
  checkpointIntervalMs: number;
  /** A checkpoint exported earlier (`journal checkpoint --out`, the sink). */
  anchor?: Anchor;
  onProgress?: (events: number) => void;
}

const PAGE = 5000;

export async function verifyJournal({ db, keys, now, checkpointIntervalMs, anchor, onProgress }: VerifyOptions): Promise<VerifyReport> {
  const problems: JournalProblem[] = [];
  const checkpoints = (await db.selectFrom('journal_checkpoint').selectAll().orderBy('number').execute()).map(toCheckpoint);
  const trusted = checkChain(checkpoints, keys, problems);
  const anchorTrusted = anchor ? checkAnchorItself(anchor, keys, problems) : false;

  /** How far a trusted signature covers each stream: events beyond it must be young. */
  const covered = new Map<string, number>();
  /** Only the events some checkpoint pins are remembered, so memory stays flat on long journals. */
  const pinned = new Map<string, Set<number>>();
  const signers = anchor && anchorTrusted ? [...trusted, anchor] : trusted;
  for (const signed of signers) {
    for (const [stream, [seq]] of Object.entries(signed.heads)) {
      pinned.set(stream, (pinned.get(stream) ?? new Set()).add(seq));
      covered.set(stream, Math.max(covered.get(stream) ?? 0, seq));
    }
  }
  const oldest = now - 2 * checkpointIntervalMs;

  const hashes = new Map<string, Map<number, string>>();
  const chainEnds = new Map<string, { seq: number; hash: string }>();
  let events = 0;
  const streams = (await db.selectFrom('journal_event').select('stream').distinct().execute()).map((r) => r.stream);
  const headRows = await db.selectFrom('journal_head').selectAll().execute();
  const allStreams = [...new Set([...streams, ...headRows.map((h) => h.stream)])].sort();

  for (const stream of allStreams) {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let prevEventId: string | null = null;
    let broken = false;
    let uncoveredReported = false;
    const seen = new Map<number, string>();
    hashes.set(stream, seen);
    // From below 1: an event slipped in before the first (seq 0 or less) is read and reported too.
    for (let after = Number.MIN_SAFE_INTEGER; ; ) {
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
                : `sequence out of order: expected ${expectedSeq}, found ${seq} (an event was inserted)`
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
        if (!uncoveredReported && seq > (covered.get(stream) ?? 0) && Number(row.at) < oldest) {
          problems.push({
            stream,
            seq,
            eventId: row.id,
            problem: `written at ${new Date(Number(row.at)).toISOString()}, more than twice the checkpoint interval (${checkpointIntervalMs / 1000} s) ago, yet no checkpoint covers it: checkpoints were deleted (the journal may have been rewound), or none has been written since (is the server checkpointing? \`custodian journal checkpoint\` writes one)`,
          });
          uncoveredReported = true;
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

  for (const checkpoint of trusted) {
    for (const [stream, [seq, hash]] of Object.entries(checkpoint.heads)) {
      const actual = hashes.get(stream)?.get(seq);
      if (actual !== hash) {
        problems.push({
          stream,
          seq,
          eventId: null,
          checkpoint: checkpoint.number,
          problem: actual === undefined ? `event signed by checkpoint ${checkpoint.number} is missing` : `event differs from the one signed by checkpoint ${checkpoint.number}`,
        });
      }
    }
  }

  let anchorOk = anchorTrusted;
  if (anchor && anchorTrusted) {
    for (const [stream, [seq, hash]] of Object.entries(anchor.heads)) {
      const actual = hashes.get(stream)?.get(seq);
      if (actual === hash) continue;
      const end = chainEnds.get(stream)?.seq ?? 0;
      anchorOk = false;
      problems.push({
        stream,
        seq,
        eventId: null,
        checkpoint: anchor.number,
        problem:
          actual !== undefined
            ? `event differs from the one the anchor (checkpoint ${anchor.number}) covered: the journal was rewritten`
            : end < seq
              ? `the journal is shorter than the anchor: the stream ends at seq ${end}, the anchor (checkpoint ${anchor.number}) covered up to seq ${seq} (events were deleted)`
              : `event covered by the anchor (checkpoint ${anchor.number}) is missing`,
      });
    }
    const stored = checkpoints.find((c) => c.number === anchor.number);
    if (!stored || stored.digest !== anchor.digest) {
      anchorOk = false;
      problems.push({
        stream: '*',
        seq: 0,
        eventId: null,
        checkpoint: anchor.number,
        problem: stored
          ? `checkpoint ${anchor.number} in the database is not the anchored one (digest ${stored.digest.slice(0, 12)}…, anchor ${anchor.digest.slice(0, 12)}…)`
          : `the anchored checkpoint ${anchor.number} is not in the database (checkpoints were deleted)`,
      });
    }
  }

  problems.sort((a, b) => (a.stream === b.stream ? a.seq - b.seq : a.stream < b.stream ? -1 : 1));
  return {
    ok: problems.length === 0,
    streams: allStreams.length,
    events,
    checkpoints: checkpoints.length,
    latestCheckpoint: checkpoints.at(-1)?.number ?? null,
    ...(anchor ? { anchor: { number: anchor.number, digest: anchor.digest, ok: anchorOk } } : {}),
    problems: dedupe(problems),
  };
}

/**
 * Checks the checkpoints as a chain, in number order, and returns those whose signatures
 * hold (only they may vouch for events). Legacy checkpoints (from before numbering) may
 * only start the chain.
 */
function checkChain(checkpoints: Checkpoint[], keys: KeyService, problems: JournalProblem[]): Checkpoint[] {
  const trusted: Checkpoint[] = [];
  const report = (checkpoint: number, problem: string) => problems.push({ stream: '*', seq: 0, eventId: null, checkpoint, problem });
  let previous: Checkpoint | undefined;
  let signedNumbers = false;
  for (const checkpoint of checkpoints) {
    const { number } = checkpoint;
    const expected = (previous?.number ?? 0) + 1;
    if (number > expected) report(number, expected === number - 1 ? `checkpoint ${expected} is missing (deleted)` : `checkpoints ${expected}–${number - 1} are missing (deleted)`);
    else if (number < expected) report(number, `checkpoint ${number} is out of order after checkpoint ${previous?.number ?? 0}`);
    else if (checkpoint.prevDigest !== (previous?.digest ?? null)) {
      report(number, previous ? `checkpoint ${number} names a previous digest that is not checkpoint ${previous.number}'s (a checkpoint was replaced)` : `checkpoint 1 names a previous checkpoint, so the chain's start is missing`);
    }

    const legacy = isLegacy(checkpoint);
    if (checkpoint.keyId !== keys.journalKeyId) report(number, `checkpoint ${number} names key ${checkpoint.keyId}, not this journal's signing key ${keys.journalKeyId}`);
    else if (!keys.verifyJournal(Buffer.from(checkpoint.digest, 'hex'), checkpoint.signature)) report(number, `checkpoint ${number} has an invalid signature`);
    else if (!legacy && checkpointDigest(checkpoint) !== checkpoint.digest) report(number, `checkpoint ${number}'s digest does not match its number, time, previous digest and heads (it was edited)`);
    else if (legacy && signedNumbers) report(number, `checkpoint ${number} is a legacy (unnumbered) checkpoint after numbered ones (it was copied in)`);
    else {
      signedNumbers ||= !legacy;
      const last = trusted.at(-1);
      for (const [stream, [seq]] of Object.entries(last?.heads ?? {})) {
        const covers = checkpoint.heads[stream]?.[0] ?? 0;
        if (covers < seq) report(number, `checkpoint ${number} covers stream ${stream} only to seq ${covers}, below the seq ${seq} checkpoint ${last!.number} covered (it signed a rewound journal)`);
      }
      trusted.push(checkpoint);
    }
    previous = checkpoint;
  }
  return trusted;
}

/** The anchor's own signature, and that it is this journal's key: otherwise it vouches for nothing. */
function checkAnchorItself(anchor: Anchor, keys: KeyService, problems: JournalProblem[]): boolean {
  const own = anchorProblems(anchor);
  if (anchor.publicKey !== keys.journalPublicKey) own.push(`the anchor was signed by key ${anchor.keyId}, not this journal's signing key ${keys.journalKeyId}`);
  for (const problem of own) problems.push({ stream: '*', seq: 0, eventId: null, checkpoint: anchor.number, problem });
  return own.length === 0;
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
