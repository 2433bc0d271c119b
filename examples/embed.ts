/**
 * Connects embedded in-process: the same use cases the HTTP API calls, on
 * the embedded store. Run with `npx tsx examples/embed.ts`.
 */
import { registerFreelancer } from '../src/app/accounts/register-freelancer.ts';
import { postJob } from '../src/app/jobs/post-job.ts';
import { TestPaymentProvider } from '../src/app/payments/test-provider.ts';
import { submitProposal } from '../src/app/proposals/submit-proposal.ts';
import { defaultTimeline } from '../src/core/policy/timeline.ts';
import { openStore } from '../src/store/open-store.ts';

const store = await openStore({ dataDir: 'memory://' }); // or { dataDir: './data/pglite' }, or { url: DATABASE_URL }
const ctx = { store, timeline: defaultTimeline, payments: new TestPaymentProvider() };
const now = Date.now(); // every use case takes the time as an argument

await registerFreelancer(ctx, { id: 'fl-1', name: 'Ada' }, now);
await postJob(ctx, { id: 'job-1', clientId: 'client-1', budgetCents: 75_000 }, now);
const proposal = await submitProposal(
  ctx,
  { proposalId: 'p-1', jobId: 'job-1', freelancerId: 'fl-1', bidCents: 70_000, boostConnects: 5 },
  now,
);
if (!proposal.ok) console.error(proposal.error.code, proposal.error.message);
console.log('balance after a boosted proposal:', await store.balance('fl-1', now));
await store.close();
