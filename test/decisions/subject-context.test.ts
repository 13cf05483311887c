import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_PREFERENCES, type SubjectContext, SubjectContextCache } from '../../src/decisions/subject-context.js';

const context = (blockedAll: boolean): SubjectContext => ({
  subjectId: 's',
  version: 0,
  state: 'active',
  jurisdiction: null,
  blockedAll,
  blockedCategories: new Set(),
  retentionDue: new Map(),
  preferences: NO_PREFERENCES,
});

describe('subject context cache', () => {
  it('does not cache a load that began before an invalidation', () => {
    const cache = new SubjectContextCache(60_000);
    const seen = cache.generation('s');
    // …a load starts, then a block commits and invalidates…
    cache.invalidate('s');
    cache.set('s', context(false), seen);
    assert.equal(cache.get('s'), null, 'the stale, unblocked context was not cached');
    cache.set('s', context(true), cache.generation('s'));
    assert.equal(cache.get('s')?.blockedAll, true);
  });

  it('expires entries after the TTL and evicts the oldest past capacity', async () => {
    const cache = new SubjectContextCache(5, 2);
    cache.set('a', context(false));
    cache.set('b', context(false));
    cache.set('c', context(false));
    assert.equal(cache.get('a'), null);
    assert.notEqual(cache.get('c'), null);
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(cache.get('c'), null);
  });
});
