import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { IDEMPOTENCY_RETENTION_MS, pruneStoredAnswers } from './prune-stored-answers.ts';

describe.each(testEngines)('pruning stored responses on $name', (engine) => {
  let opened: OpenedEngine;
  beforeAll(async () => {
    opened = await engine.open();
  });
  afterAll(() => opened.cleanup());

  it('removes answers older than the retention, a bounded number per call', async () => {
    const { store } = opened;
    const now = Date.UTC(2024, 5, 1);
    for (const [key, age] of [
      ['old-1', IDEMPOTENCY_RETENTION_MS + 1],
      ['old-2', IDEMPOTENCY_RETENTION_MS + 2],
      ['old-3', IDEMPOTENCY_RETENTION_MS + 3],
      ['fresh', IDEMPOTENCY_RETENTION_MS],
    ] as const) {
      await store.query(
        `INSERT INTO http_idempotency (scope, key, request_hash, status, body, created_at)
         VALUES ('ada', $1, 'h', 201, '{}', $2)`,
        [key, now - age],
      );
    }
    expect(await pruneStoredAnswers(store, now, 2)).toBe(2);
    expect(await pruneStoredAnswers(store, now, 2)).toBe(1);
    expect(await pruneStoredAnswers(store, now, 2)).toBe(0);
    const left = await store.query<{ key: string }>('SELECT key FROM http_idempotency');
    expect(left.rows.map((r) => r.key)).toEqual(['fresh']);
  });
});
