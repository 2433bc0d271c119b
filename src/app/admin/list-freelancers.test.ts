import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { registerFreelancer } from '../accounts/register-freelancer.ts';
import { testContext, type TestContext } from '../purchases/test-kit.ts';
import { listFreelancers } from './list-freelancers.ts';

const NOW = Date.UTC(2024, 2, 10, 12);

describe.each(testEngines)('listFreelancers on $name', (engine) => {
  let opened: OpenedEngine;
  let ctx: TestContext;
  beforeAll(async () => {
    opened = await engine.open();
    ctx = testContext(opened.store);
    for (const id of ['lf-amy', 'lf-ben', 'lf-cat', 'lf_dot', 'lfxeve']) {
      const r = await registerFreelancer(ctx, { id, name: id.toUpperCase() }, NOW);
      if (!r.ok) throw new Error(r.error.message);
    }
    await opened.store.execute({
      account: 'lf-ben',
      op: { kind: 'hold', holdId: 'h1', amount: 5 },
      now: NOW,
    });
  });
  afterAll(() => opened.cleanup());

  it('pages by id with the balance now, held Connects included', async () => {
    const first = await listFreelancers(ctx, { prefix: 'lf-', limit: 2 }, NOW);
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.freelancers.map((f) => [f.id, f.available, f.held])).toEqual([
      ['lf-amy', 50, 0],
      ['lf-ben', 45, 5],
    ]);
    expect(first.value.freelancers[0]).toMatchObject({ name: 'LF-AMY', plan: 'basic', pendingPlan: null });
    const cursor = first.value.nextCursor ?? undefined;
    expect(cursor).toBe('lf-ben');
    const second = await listFreelancers(
      ctx,
      { prefix: 'lf-', limit: 2, ...(cursor ? { cursor } : {}) },
      NOW,
    );
    if (!second.ok) throw new Error(second.error.message);
    expect(second.value).toEqual({
      freelancers: [expect.objectContaining({ id: 'lf-cat' })],
      nextCursor: null,
    });
  });

  it('treats _ in a prefix as itself, not a wildcard', async () => {
    const page = await listFreelancers(ctx, { prefix: 'lf_' }, NOW);
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.freelancers.map((f) => f.id)).toEqual(['lf_dot']);
  });

  it('counts only Connects spendable now: expired lots drop out before any sweep', async () => {
    const later = Date.UTC(2025, 2, 11);
    const page = await listFreelancers(ctx, { prefix: 'lf-amy' }, later);
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.freelancers[0]).toMatchObject({ available: 0, held: 0 });
  });

  it('refuses a malformed prefix or limit', async () => {
    for (const input of [{ prefix: 'a%' }, { limit: 0 }, { limit: 201 }, { cursor: '' }]) {
      const r = await listFreelancers(ctx, input, NOW);
      expect(r.ok ? 'ok' : r.error.code).toBe('validation_failed');
    }
  });
});
