import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../store/store.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import type { AppContext } from '../context.ts';
import { listJobs } from './list-jobs.ts';
import { postJob, postJobInputSchema } from './post-job.ts';
import { code, DAY, freshId, jobsContext, T0, value } from './test-kit.ts';

describe.each(testEngines)('post-job and list-jobs on $name', (engine) => {
  let opened: OpenedEngine;
  let store: LedgerStore;
  let ctx: AppContext;
  beforeAll(async () => {
    opened = await engine.open();
    store = opened.store;
    ctx = jobsContext(store);
  });
  afterAll(async () => {
    await opened.cleanup();
  });

  it('prices a job from the rate card of the policy in force and opens a 7-day auction', async () => {
    const cases: [Record<string, unknown>, number][] = [
      [{ budgetCents: 4_999 }, 2],
      [{ budgetCents: 5_000 }, 4],
      [{ budgetCents: 49_999 }, 4],
      [{ budgetCents: 50_000 }, 6],
      [{ budgetCents: 100_000 }, 8],
      [{ hourly: true }, 8],
      [{}, 8],
      [{ budgetCents: 100, connectsRequired: 0 }, 0],
      [{ budgetCents: 100, connectsRequired: 12 }, 12],
      [{ budgetCents: 100_000, enterprise: true }, 0],
    ];
    for (const [fields, price] of cases) {
      const id = freshId('job');
      const posted = value(await postJob(ctx, { id, clientId: 'client-1', ...fields }, T0));
      expect(posted.job).toMatchObject({
        jobId: id,
        connectsRequired: price,
        status: 'open',
        postedAt: T0,
        auction: { closesAt: T0 + 7 * DAY, closedAt: null },
      });
    }
  });

  it('uses the rate card of the era in force at posting', async () => {
    const posted = value(
      await postJob(ctx, { id: freshId('job'), clientId: 'c', budgetCents: 100 }, Date.UTC(2020, 0, 1)),
    );
    expect(posted.job.connectsRequired).toBe(2);
    const row = await store.query<{ policy_id: string }>('SELECT policy_id FROM jobs WHERE job_id = $1', [
      posted.job.jobId,
    ]);
    expect(row.rows[0]?.policy_id).toBe('era-2019');
  });

  it('is idempotent by job id: the same details replay, different ones are job_exists', async () => {
    const id = freshId('job');
    const input = { id, clientId: 'client-1', budgetCents: 20_000 };
    const first = value(await postJob(ctx, input, T0));
    const again = value(await postJob(ctx, input, T0 + DAY));
    expect(again).toEqual({ ...first, replayed: true });
    expect(code(await postJob(ctx, { ...input, budgetCents: 20_001 }, T0))).toBe('job_exists');
    expect(code(await postJob(ctx, { ...input, hourly: true }, T0))).toBe('job_exists');
  });

  it('validates input strictly', () => {
    expect(postJobInputSchema.safeParse({ id: 'j', clientId: 'c', budgetCents: 1.5 }).success).toBe(false);
    expect(postJobInputSchema.safeParse({ id: 'j', clientId: 'c', price: 3 }).success).toBe(false);
    expect(postJobInputSchema.safeParse({ id: 'has space', clientId: 'c' }).success).toBe(false);
    expect(postJobInputSchema.safeParse({ id: 'j', clientId: 'c', connectsRequired: -1 }).success).toBe(
      false,
    );
  });

  it('lists open jobs newest first in bounded pages', async () => {
    const later = T0 + 400 * DAY;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = freshId('listed');
      ids.push(id);
      value(await postJob(ctx, { id, clientId: 'c', budgetCents: 100 }, later + i));
    }
    const first = value(await listJobs(ctx, { limit: 3 }, later + 10));
    expect(first.jobs.map((j) => j.jobId)).toEqual([ids[4], ids[3], ids[2]]);
    expect(first.nextCursor).not.toBeNull();
    const second = value(await listJobs(ctx, { limit: 3, cursor: first.nextCursor ?? '' }, later + 10));
    expect(second.jobs.slice(0, 2).map((j) => j.jobId)).toEqual([ids[1], ids[0]]);
    expect(code(await listJobs(ctx, { cursor: 'not-a-cursor' }, later))).toBe('validation_failed');
  });
});
