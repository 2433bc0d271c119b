import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { completeCertification } from './complete-certification.ts';
import { registerFreelancer } from './register-freelancer.ts';
import { allEntries, at, freshId, lotTuples, testContext, type TestContext } from './test-kit.ts';

describe.each(testEngines)('completeCertification on $name', (engine) => {
  let opened: OpenedEngine;
  let ctx: TestContext;
  beforeAll(async () => {
    opened = await engine.open();
    ctx = testContext(opened.store);
  });
  afterAll(async () => {
    expect(await checkInvariants(opened.client)).toEqual([]);
    await opened.cleanup();
  });

  async function register(): Promise<string> {
    const id = freshId();
    expect((await registerFreelancer(ctx, { id }, at('2026-02-03T08:00:00Z'))).ok).toBe(true);
    return id;
  }

  it('grants the one-time bonus of 10 with a one-year lot', async () => {
    const id = await register();
    const now = at('2026-02-10T15:00:00Z');
    const r = await completeCertification(ctx, { freelancerId: id, certificationId: 'upwork-ready' }, now);
    expect(r).toEqual({
      ok: true,
      value: {
        reward: { reward: 'certification', ref: 'upwork-ready', connects: 10, grantedAt: now },
        replayed: false,
      },
    });
    expect(lotTuples(await ctx.store.lots(id)).slice(2)).toEqual([
      ['certification', 10, 10, '2026-02-10T15:00:00.000Z', '2027-02-10T15:00:00.000Z'],
    ]);
    const last = (await allEntries(ctx.store, id)).at(-1);
    expect(last).toMatchObject({
      type: 'grant',
      amount: 10,
      balanceAfter: 60,
      ref: 'certification:upwork-ready',
    });
  });

  it('replays the same certification and refuses another one with already_granted', async () => {
    const id = await register();
    const now = at('2026-02-10T15:00:00Z');
    await completeCertification(ctx, { freelancerId: id, certificationId: 'upwork-ready' }, now);
    const again = await completeCertification(
      ctx,
      { freelancerId: id, certificationId: 'upwork-ready' },
      now + 5,
    );
    expect(again).toMatchObject({ ok: true, value: { replayed: true, reward: { grantedAt: now } } });
    const other = await completeCertification(
      ctx,
      { freelancerId: id, certificationId: 'sql-basics' },
      now + 5,
    );
    expect(other).toMatchObject({
      ok: false,
      error: { code: 'already_granted', details: { certificationId: 'upwork-ready' } },
    });
    expect(await ctx.store.balance(id, now + 5)).toMatchObject({ balance: 60 });
  });

  it('grants once when two calls race', async () => {
    const id = await register();
    const now = at('2026-02-11T00:00:00Z');
    const results = await Promise.all(
      ['a', 'a', 'b'].map((cert) =>
        completeCertification(ctx, { freelancerId: id, certificationId: cert }, now),
      ),
    );
    expect(results.filter((r) => r.ok && !r.value.replayed)).toHaveLength(1);
    expect((await ctx.store.lots(id)).filter((lot) => lot.source === 'certification')).toHaveLength(1);
  });

  it('refuses unknown freelancers and bad ids', async () => {
    const now = at('2026-02-11T00:00:00Z');
    const unknown = await completeCertification(ctx, { freelancerId: freshId(), certificationId: 'x' }, now);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'freelancer_not_found' } });
    const bad = await completeCertification(
      ctx,
      { freelancerId: await register(), certificationId: '' },
      now,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
  });
});
