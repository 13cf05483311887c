/**
 * Where an undelivered checkpoint is reported by default: one line on standard error
 * with the checkpoint's number and the failure's code, and that it is retried.
 */
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { stderrSinkLog } from '../../src/journal/sink.js';

describe('the default sink failure log', () => {
  it('writes the number and the reason to standard error, saying it will retry', () => {
    const write = mock.method(process.stderr, 'write', () => true);
    try {
      stderrSinkLog({ number: 7, reason: 'ECONNREFUSED' });
      assert.deepEqual(
        write.mock.calls.map((c) => c.arguments[0]),
        ['custodian: checkpoint 7 was not delivered to the checkpoint sink (ECONNREFUSED); it is retried with the next checkpoint\n'],
      );
    } finally {
      write.mock.restore();
    }
  });
});
