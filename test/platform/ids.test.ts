import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uuidSource, uuidV7 } from '../../src/clock.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('ids are version-7 UUIDs: the millisecond first, then random bits', () => {
  const at = Date.UTC(2026, 11, 1, 12, 0, 0, 123);
  const id = uuidV7(at);
  assert.match(id, UUID);
  assert.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), at);
  assert.match(uuidSource.next(), UUID);
});

test('ids sort by creation time, so new rows land at the end of an id index', () => {
  const earlier = uuidV7(1_700_000_000_000);
  const later = uuidV7(1_700_000_000_001);
  assert.ok(earlier < later);
  const sameMs = Array.from({ length: 10_000 }, () => uuidV7(1_700_000_000_000));
  assert.equal(new Set(sameMs).size, sameMs.length, 'ids of one millisecond differ');
  assert.ok(sameMs.every((id) => id < later));
});
