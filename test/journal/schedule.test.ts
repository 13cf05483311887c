/**
 * The checkpoint schedule: an interval becomes a croner pattern that every node fires at
 * the same instants, so it must divide a minute, an hour or a day; anything else is refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkpointPattern } from '../../src/journal/schedule.js';

describe('checkpoint schedule', () => {
  it('fires on whole seconds, minutes or hours, counted from the start of the minute, hour or day', () => {
    assert.equal(checkpointPattern(1000), '*/1 * * * * *');
    assert.equal(checkpointPattern(30_000), '*/30 * * * * *');
    assert.equal(checkpointPattern(60_000), '0 */1 * * * *');
    assert.equal(checkpointPattern(120_000), '0 */2 * * * *');
    assert.equal(checkpointPattern(30 * 60_000), '0 */30 * * * *');
    assert.equal(checkpointPattern(3_600_000), '0 0 */1 * * *');
    assert.equal(checkpointPattern(6 * 3_600_000), '0 0 */6 * * *');
    assert.equal(checkpointPattern(86_400_000), '0 0 */24 * * *');
  });

  it('refuses intervals that do not divide a minute, an hour or a day', () => {
    for (const ms of [0, 500, 1500, 7000, 45_000, 90_000, 7 * 60_000, 90 * 60_000, 5 * 3_600_000, 48 * 3_600_000, -60_000]) {
      assert.throws(() => checkpointPattern(ms), (e: unknown) => e instanceof RangeError && e.message === 'a checkpoint interval must divide a minute, an hour or a day evenly', String(ms));
    }
  });
});
