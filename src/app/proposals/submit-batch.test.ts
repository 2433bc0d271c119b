import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedgerStore } from '../../store/ledger-store.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import type { ActorScope } from '../../store/actor-store.ts';
import { countingClient } from '../../store/testing/counting-client.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { registerFreelancer } from '../accounts/register-freelancer.ts';
import type { AppContext } from '../context.ts';
import { postJob } from '../jobs/post-job.ts';
import { code, DAY, freshId, fund, jobsContext, T0, value } from '../jobs/test-kit.ts';
import { submitProposal, type SubmitProposalInput } from './submit-proposal.ts';

/**
 * Proposals arriving together are decided in one transaction (submit-batch.ts):
 * seven statements in two round trips for the lot, each proposal answered as the single path
 * answers it alone, a refused one failing alone.
 */
describe.each(testEngines)('proposals in one batch on $name', (engine) => {
  let opened: OpenedEngine;
  let counting: ReturnType<typeof countingClient>;
  let ctx: AppContext;
  beforeAll(async () => {
    opened = await engine.open();
    counting = countingClient(opened.client);
    ctx = jobsContext(createLedgerStore(counting));
  });
  afterAll(async () => {
    expect(await checkInvariants(opened.client)).toEqual([]);
    await opened.cleanup();
  });

  const NOW = T0 + DAY;

  async function job(): Promise<string> {
    const id = freshId('job');
    value(await postJob(ctx, { id, clientId: 'client', budgetCents: 60_000 }, T0));
    return id;
  }

  /** Registered at T0, so no capped renewal is due before NOW (the batch path is taken). */
  async function funded(connects: number): Promise<string> {
    const id = freshId('fl');
    value(await registerFreelancer(ctx, { id }, T0));
    if (connects > 0) await fund(ctx.store, id, connects, T0);
    return id;
  }

  /** Registered, with every Connect the registration gave spent. */
  async function broke(): Promise<string> {
    const id = await funded(0);
    const amount = await available(id);
    if (amount > 0) value(await ctx.store.execute({ account: id, op: { kind: 'debit', amount }, now: T0 }));
    return id;
  }

  const proposal = (jobId: string, freelancerId: string, more: Partial<SubmitProposalInput> = {}) => ({
    proposalId: freshId('prop'),
    jobId,
    freelancerId,
    bidCents: 50_000,
    ...more,
  });

  const available = async (id: string) => (await ctx.store.balance(id, NOW)).available;

  it('decides twenty proposals in seven statements and two round trips, each debited once', async () => {
    const jobs = await Promise.all(Array.from({ length: 4 }, () => job()));
    const freelancers = await Promise.all(Array.from({ length: 20 }, () => funded(100)));
    const before = await Promise.all(freelancers.map(available));
    const inputs = freelancers.map((fl, n) => proposal(jobs[n % 4] as string, fl));
    counting.reset();
    const outs = await Promise.all(inputs.map((input) => submitProposal(ctx, input, NOW)));
    const { statements, roundTrips } = counting.count;
    expect(outs.map(code)).toEqual(inputs.map(() => 'ok'));
    expect(statements, counting.count.log.join('\n---\n')).toBe(7);
    expect(roundTrips).toBe(2);
    const after = await Promise.all(freelancers.map(available));
    const cost = value(outs[0] as NonNullable<(typeof outs)[0]>).proposal.costConnects;
    expect(cost).toBeGreaterThan(0);
    expect(after).toEqual(before.map((b) => b - cost));
    const counts = await ctx.store.query<{ job_id: string; proposal_count: number }>(
      'SELECT job_id, proposal_count FROM jobs WHERE job_id IN ($1, $2, $3, $4) ORDER BY job_id',
      jobs,
    );
    expect(counts.rows.map((r) => r.proposal_count)).toEqual([5, 5, 5, 5]);
    // The stored proposal carries the debit's draws, for a refund.
    const stored = await ctx.store.query<{ cost_draws: unknown[] }>(
      'SELECT cost_draws FROM proposals WHERE proposal_id = $1',
      [inputs[0]?.proposalId as string],
    );
    expect(stored.rows[0]?.cost_draws).toHaveLength(1);
  });

  it('answers each proposal of a mixed batch as the single path answers it alone', async () => {
    const jobId = await job();
    const otherJob = await job();
    const [rich, poor, again, twin] = [
      await funded(100),
      await broke(),
      await funded(100),
      await funded(100),
    ];
    const start = { rich: await available(rich), twin: await available(twin) };
    const earlier = proposal(otherJob, again);
    value(await submitProposal(ctx, earlier, NOW));
    const same = proposal(jobId, twin);
    const cases: [string, SubmitProposalInput][] = [
      ['ok', proposal(jobId, rich)],
      ['insufficient_connects', proposal(jobId, poor)],
      ['job_not_found', proposal(freshId('job'), rich)],
      ['freelancer_not_found', proposal(jobId, freshId('fl'))],
      ['duplicate_proposal', proposal(otherJob, again)],
      ['ok', earlier],
      ['proposal_exists', { ...earlier, bidCents: 1 }],
      ['ok', same],
      ['ok', same],
      ['duplicate_proposal', proposal(jobId, rich)],
      ['ok', proposal(otherJob, rich, { via: 'invitation' })],
    ];
    const outs = await Promise.all(cases.map(([, input]) => submitProposal(ctx, input, NOW)));
    expect(outs.map(code)).toEqual(cases.map(([expected]) => expected));
    // The replays: the earlier proposal, and the twin of the same request.
    expect(outs.map((o) => (o.ok ? o.value.replayed : null))).toEqual([
      false,
      null,
      null,
      null,
      null,
      true,
      null,
      false,
      true,
      null,
      false,
    ]);
    expect(await available(poor)).toBe(0);
    const cost = value(outs[0] as NonNullable<(typeof outs)[0]>).proposal.costConnects;
    expect(await available(rich)).toBe(start.rich - cost);
    expect(await available(twin)).toBe(start.twin - cost);
    const counts = await ctx.store.query<{ job_id: string; proposal_count: number; n: number }>(
      `SELECT j.job_id, j.proposal_count, (SELECT count(*)::int FROM proposals p WHERE p.job_id = j.job_id) AS n
         FROM jobs j WHERE j.job_id IN ($1, $2)`,
      [jobId, otherJob],
    );
    for (const row of counts.rows) expect(row.proposal_count).toBe(row.n);
  });

  it.skipIf(engine.name !== 'postgres')(
    'lets one of two servers win a freelancer-job pair both batch at once; the other is a duplicate',
    async () => {
      const other = jobsContext(await opened.another());
      for (let round = 0; round < 5; round++) {
        const jobId = await job();
        const fl = await funded(100);
        const start = await available(fl);
        const outs = await Promise.all([
          submitProposal(ctx, proposal(jobId, fl), NOW),
          submitProposal(other, proposal(jobId, fl), NOW),
          // More proposals on the job meanwhile, from both servers.
          submitProposal(ctx, proposal(jobId, await funded(10)), NOW),
          submitProposal(other, proposal(jobId, await funded(10)), NOW),
        ]);
        expect(outs.slice(0, 2).map(code).sort()).toEqual(['duplicate_proposal', 'ok']);
        const cost = value(outs.find((o) => o.ok) as NonNullable<(typeof outs)[0]>).proposal.costConnects;
        expect(await available(fl)).toBe(start - cost);
      }
    },
  );

  it('answers the same as the single path for each refusal', async () => {
    const jobId = await job();
    const poor = await broke();
    const alone = await submitProposal(ctx, proposal(jobId, poor), NOW, { batch: false });
    const batched = await submitProposal(ctx, proposal(jobId, poor), NOW);
    expect(alone.ok).toBe(false);
    expect(batched.ok ? null : batched.error).toEqual(alone.ok ? null : alone.error);
  });

  it("batches an operator's proposals with that operator's only, each row and scope naming its actor", async () => {
    const jobId = await job();
    const freelancers = await Promise.all(Array.from({ length: 15 }, () => funded(100)));
    const scopes: (ActorScope | undefined)[] = [
      { actor: { id: 'mkt', role: 'marketplace' }, written: [] },
      { actor: { id: 'admin', role: 'owner' }, written: [] },
      undefined,
    ];
    const sentBy = freelancers.map((_, n) => scopes[n % 3]);
    const inputs = freelancers.map((fl) => proposal(jobId, fl));
    // One tick: every proposal is queued before the first batch starts.
    const outs = await Promise.all(
      inputs.map((input, n) => submitProposal(ctx, input, NOW, { scope: sentBy[n] })),
    );
    expect(outs.map(code)).toEqual(inputs.map(() => 'ok'));
    const rows = await ctx.store.query<{
      proposal_id: string;
      created_by: string | null;
      tx: string;
      actor: string | null;
      seq: number;
    }>(
      `SELECT p.proposal_id, p.created_by, p.xmin::text AS tx, e.actor, e.seq FROM proposals p
         JOIN entries e ON e.account = p.freelancer_id AND e.type = 'debit'
        WHERE p.job_id = $1`,
      [jobId],
    );
    const byId = new Map(rows.rows.map((r) => [r.proposal_id, r]));
    const txOf = new Map<string, Set<string>>();
    inputs.forEach((input, n) => {
      const row = byId.get(input.proposalId);
      const actor = sentBy[n]?.actor?.id ?? null;
      expect(row?.created_by).toBe(actor);
      expect(row?.actor).toBe(actor);
      const key = actor ?? '';
      txOf.set(key, (txOf.get(key) ?? new Set()).add(row?.tx ?? ''));
    });
    // Each actor's five proposals shared one transaction, and no actor shared another's.
    const transactions = [...txOf.values()];
    expect(transactions.map((t) => t.size)).toEqual([1, 1, 1]);
    expect(new Set(transactions.flatMap((t) => [...t])).size).toBe(3);
    // The scopes collected their own debits, for their audit rows.
    for (const scope of scopes.slice(0, 2)) {
      const expected = inputs
        .filter((_, n) => sentBy[n] === scope)
        .map((input) => ({ account: input.freelancerId, seq: byId.get(input.proposalId)?.seq }));
      expect(scope?.written).toEqual(expected);
    }
  });
});
