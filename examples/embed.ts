/**
 * Connects embedded in-process: the composition root the server and the CLI
 * use, on the embedded store, calling the same use cases the HTTP API calls.
 * Run with `npx tsx examples/embed.ts`.
 */
import { getBalance } from '../src/app/accounts/get-balance.ts';
import { registerFreelancer } from '../src/app/accounts/register-freelancer.ts';
import { postJob } from '../src/app/jobs/post-job.ts';
import { submitProposal } from '../src/app/proposals/submit-proposal.ts';
import { createConnects } from '../src/connects.ts';
import { openStore } from '../src/store/open-store.ts';

const store = await openStore({ dataDir: 'memory://' }); // or { dataDir: './data/pglite' }, or { url: DATABASE_URL }
const connects = createConnects({ store }); // options: timeline, payments, taxRates, clock
const { ctx } = connects;
const now = connects.clock.now(); // every use case takes the time as an argument

await registerFreelancer(ctx, { id: 'fl-1', name: 'Ada' }, now);
await postJob(ctx, { id: 'job-1', clientId: 'client-1', budgetCents: 75_000 }, now);
const proposal = await submitProposal(
  ctx,
  { proposalId: 'p-1', jobId: 'job-1', freelancerId: 'fl-1', bidCents: 70_000, boostConnects: 5 },
  now,
);
if (!proposal.ok) console.error(proposal.error.code, proposal.error.message);

const view = await getBalance(ctx, { freelancerId: 'fl-1' }, now); // or { freelancerId, asOf }
if (!view.ok) throw new Error(view.error.message);
const { balance, available, held, expiringSoon } = view.value;
console.log('balance after a boosted proposal:', { balance, available, held, expiringSoon });

// The server's scheduler, run once: allotments, expiries, badge charges, auction closes, notices.
const run = await connects.runScheduler();
console.log('scheduler run:', {
  cycles: run.tick.cycles,
  auctionsClosed: run.tick.auctionsClosed,
  complete: run.complete,
});
await store.close();
