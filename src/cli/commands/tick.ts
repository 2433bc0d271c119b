import type { TickOptions, TickProgress } from '../../app/scheduler/tick.ts';
import type { SchedulerRun } from '../../connects.ts';
import { toIso } from '../../core/time.ts';
import { defineCommand, EXIT_BUSINESS } from '../command.ts';
import { createProgress, formatFields, printJson, type Progress } from '../output.ts';
import type { CliIo } from '../command.ts';
import { nowArg, wholeArg } from './support/args.ts';
import { withApp } from './support/open-app.ts';

/** A progress bar over the accounts due, drawn once the tick knows how many there are. */
function renewalBar(io: CliIo) {
  let bar: Progress | undefined;
  return {
    onProgress(p: TickProgress): void {
      if (p.due === 0) return;
      bar ??= createProgress(io, 'Renewing', p.due);
      bar.update(Math.min(p.accounts, p.due));
    },
    finish(): void {
      bar?.finish();
    },
  };
}

function humanSummary(run: SchedulerRun, location: string): string {
  const s = run.tick;
  return (
    `Tick at ${toIso(run.now)} on ${location} (${Math.round(run.seconds * 1000)} ms, ${s.batches} batches)\n` +
    formatFields([
      [
        'Accounts renewed',
        `${s.accounts} (${s.cycles} cycles, ${s.connects} Connects in ${s.allotments} lots)`,
      ],
      ['Plus renewals', `${s.charged} charged, ${s.downgraded} dropped to Basic, ${s.deferred} deferred`],
      ['Expired', `${s.expired} entries on ${s.sweptAccounts} accounts`],
      ['Badges charged', `${s.badgesCharged} (${s.badgeConnectsCharged} Connects)`],
      ['Auctions closed', String(s.auctionsClosed)],
      ['Expiring soon', `${run.expiringSoonNotices} notices`],
      ['Pruned', `${run.pruned} old events and stored answers`],
      ['Skipped (busy)', String(s.skipped)],
      ['Failures', String(s.failures.length)],
    ])
  );
}

export const tickCommand = defineCommand({
  name: 'tick',
  summary: 'Run the scheduler once: expiries, monthly allotments, badge charges, auction closes.',
  details: [
    "Does the same work as the server's scheduler, on the configured store. Safe to run while the",
    'server runs on PostgreSQL (each piece of work is done once); with the embedded store stop the',
    'server first, or use POST /v1/admin/tick. A missed tick catches up: each missed cycle is issued',
    'at its own start.',
    '',
    'Examples:',
    '  connects tick',
    '  connects tick --now 2025-01-01T00:00:00Z --json',
  ].join('\n'),
  options: {
    now: {
      type: 'string',
      description: 'Run as of this instant instead of the real clock.',
      placeholder: 'ISO',
    },
    'batch-size': {
      type: 'string',
      description: 'Accounts per allotment batch (1-50000, default 10000).',
      placeholder: 'N',
    },
  },
  async run({ io, json, values }) {
    const now = nowArg(values.now);
    const batchSize =
      values['batch-size'] === undefined
        ? undefined
        : wholeArg('--batch-size', values['batch-size'], 1, 50_000);
    const bar = renewalBar(io);
    const tickOptions: TickOptions = {
      onProgress: (p) => bar.onProgress(p),
      ...(batchSize === undefined ? {} : { batchSize }),
    };
    const { run, location } = await withApp(io, async (app) => ({
      // The server's scheduler run (tick, expiring-soon notices, pruning), to completion.
      run: await app.connects.runScheduler({ ...tickOptions, now }),
      location: app.location,
    }));
    bar.finish();
    const summary = run.tick;
    if (json) {
      const { now: _now, ...counts } = summary;
      printJson(io, {
        now: toIso(run.now),
        ...counts,
        expiringSoonNotices: run.expiringSoonNotices,
        pruned: run.pruned,
        complete: run.complete,
      });
    } else io.stdout(humanSummary(run, location));
    if (summary.failures.length === 0) return;
    for (const f of summary.failures) io.stderr(`connects: renewal of ${f.account} failed: ${f.message}\n`);
    return EXIT_BUSINESS;
  },
});
