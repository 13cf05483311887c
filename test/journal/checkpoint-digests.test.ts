/**
 * The digests a verifier outside Custodian recomputes: the legacy (v1) construction of
 * checkpoints written before numbering, from its documented form, streams in order.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { legacyCheckpointDigest } from '../../src/journal/checkpoint.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('legacy checkpoint digests', () => {
  it('are SHA-256 of ["custodian/checkpoint/v1", at, [[stream, seq, hash], …]] with streams in order', () => {
    const at = 1_767_225_600_000;
    const heads = { p07: [3, 'c'.repeat(64)], p01: [2, 'a'.repeat(64)] } as Record<string, [number, string]>;
    const documented = sha256(JSON.stringify(['custodian/checkpoint/v1', at, [['p01', 2, 'a'.repeat(64)], ['p07', 3, 'c'.repeat(64)]]]));
    assert.equal(legacyCheckpointDigest(at, heads), documented);
  });
});
