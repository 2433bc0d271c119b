import { useId, useState, type FormEvent } from 'react';
import type { SchedulerRun, Stats } from '../api/types.ts';
import { BarChart } from '../components/BarChart.tsx';
import { ActionNotice, LoadError, Loaded } from '../components/Notice.tsx';
import { Panel, Stat } from '../components/Panel.tsx';
import {
  connectsLabel,
  formatCents,
  formatConnects,
  formatDateTime,
  formatDayOfMonth,
  formatMonth,
} from '../format.ts';
import { useAction, useApp, useResource } from '../hooks.ts';
import { useRole } from './RoleContext.tsx';
import { can } from './roles.ts';

/** Totals of the whole economy with a chart over time, and the scheduler and clock. */
export function OverviewPage() {
  const role = useRole();
  return (
    <>
      <h1>Operator console</h1>
      <StatsPanels />
      {can(role, 'scheduler') ? <SchedulerPanel /> : null}
    </>
  );
}

function StatsPanels() {
  const { api } = useApp();
  const bucketId = useId();
  const [bucket, setBucket] = useState<'day' | 'month'>('month');
  const stats = useResource(`stats:${bucket}`, () => api.stats(bucket));
  return (
    <>
      <Panel title="Totals">
        <Loaded resource={stats} what="totals">
          {({ totals }) => (
            <dl className="stats" data-testid="totals">
              <Stat label="Issued" value={formatConnects(totals.issued)} hint="Connects, all time" />
              <Stat label="Spent" value={formatConnects(totals.spent)} hint="Connects, all time" />
              <Stat label="Expired" value={formatConnects(totals.expired)} hint="Connects, all time" />
              <Stat label="Outstanding" value={formatConnects(totals.outstanding)} hint="Connects held now" />
              <Stat
                label="Purchase revenue"
                value={formatCents(totals.purchaseRevenueCents)}
                hint="before tax"
              />
              <Stat
                label="Plus revenue"
                value={formatCents(totals.planRevenueCents)}
                hint="upgrades and renewals"
              />
            </dl>
          )}
        </Loaded>
      </Panel>
      {stats.data?.series && stats.data.series.length > 0 ? (
        <>
          <div className="field field-inline">
            <label htmlFor={bucketId}>Chart by</label>
            <select
              id={bucketId}
              value={bucket}
              onChange={(e) => setBucket(e.target.value === 'day' ? 'day' : 'month')}
            >
              <option value="month">Month (last 12)</option>
              <option value="day">Day (last 30)</option>
            </select>
          </div>
          <StatsCharts stats={stats.data} bucket={bucket} />
        </>
      ) : null}
    </>
  );
}

function StatsCharts({ stats, bucket }: { stats: Stats; bucket: 'day' | 'month' }) {
  const series = stats.series;
  const labels = series.map((p, i) => {
    const t = Date.parse(p.at);
    if (bucket === 'month') return formatMonth(t, i === 0 || new Date(t).getUTCMonth() === 0);
    return formatDayOfMonth(t, i === 0 || new Date(t).getUTCDate() === 1);
  });
  return (
    <div className="columns">
      <Panel title="Connects over time">
        <BarChart
          title={`Connects issued, spent and expired per ${bucket} (UTC).`}
          labels={labels}
          unit="Connects"
          series={[
            { meaning: 'issued', values: series.map((p) => p.issued) },
            { meaning: 'spent', values: series.map((p) => p.spent) },
            { meaning: 'expired', values: series.map((p) => p.expired) },
          ]}
          format={connectsLabel}
          formatTick={formatConnects}
        />
      </Panel>
      <Panel title="Revenue over time">
        <BarChart
          title={`Revenue from Connects purchases and Plus memberships per ${bucket} (UTC).`}
          unit="USD"
          labels={labels}
          series={[
            { meaning: 'purchases', values: series.map((p) => p.purchaseRevenueCents) },
            { meaning: 'plus', values: series.map((p) => p.planRevenueCents) },
          ]}
          format={(c) => formatCents(c)}
          formatTick={(c) => `$${formatConnects(Math.round(c / 100))}`}
        />
      </Panel>
    </div>
  );
}

function SchedulerPanel() {
  const { api } = useApp();
  const clock = useResource('clock', () => api.clock());
  const tick = useAction();
  const move = useAction();
  const nowId = useId();
  const [target, setTarget] = useState('');
  // An example one day after the service's time, so following it works.
  const example =
    clock.data === undefined
      ? 'YYYY-MM-DD'
      : new Date(Date.parse(clock.data.now) + 86_400_000).toISOString().slice(0, 10);

  const runTick = (): void => {
    void tick.run(async () => {
      return describeRun(await api.tick());
    });
  };
  const setClock = (event: FormEvent): void => {
    event.preventDefault();
    const t = Date.parse(target.length === 10 ? `${target}T00:00:00Z` : target);
    if (Number.isNaN(t)) {
      move.fail(`Enter a date like ${example} or a date-time with a zone.`);
      return;
    }
    void move.run(async () => {
      const c = await api.setClock(new Date(t).toISOString());
      return `The clock is now ${formatDateTime(c.now)}.`;
    });
  };

  return (
    <Panel title="Scheduler and clock">
      {clock.error !== undefined ? <LoadError error={clock.error} retry={clock.reload} /> : null}
      {clock.data === undefined ? null : (
        <p>
          Service time: <strong data-testid="clock">{formatDateTime(clock.data.now)}</strong>{' '}
          {clock.data.manual ? (
            <span className="tag">manual clock</span>
          ) : (
            <span className="tag">real clock</span>
          )}
        </p>
      )}
      <p className="muted">
        The scheduler issues monthly allotments, materialises expiries, closes boost auctions and charges
        badges. It runs by itself on the real clock; run it now to catch up at once.
      </p>
      <button type="button" className="button" onClick={runTick} disabled={tick.busy}>
        Run the scheduler now
      </button>
      <ActionNotice state={tick.state} />
      {clock.data?.manual ? (
        <form className="form form-inline" onSubmit={setClock} noValidate>
          <div className="field">
            <label htmlFor={nowId}>Move the clock to (UTC)</label>
            <input
              id={nowId}
              value={target}
              placeholder={example}
              onChange={(e) => {
                setTarget(e.target.value);
                move.clear();
              }}
            />
          </div>
          <button type="submit" className="button" disabled={move.busy}>
            Set clock
          </button>
          <ActionNotice state={move.state} />
        </form>
      ) : null}
    </Panel>
  );
}

const runParts: readonly [key: string, one: string, many: string][] = [
  ['allotments', 'allotment', 'allotments'],
  ['connects', 'Connect allotted', 'Connects allotted'],
  ['charged', 'Plus renewal charged', 'Plus renewals charged'],
  ['downgraded', 'account downgraded', 'accounts downgraded'],
  ['paymentFailures', 'payment failure', 'payment failures'],
  ['expired', 'expiry', 'expiries'],
  ['badgeConnectsCharged', 'Connect charged for badges', 'Connects charged for badges'],
  ['auctionsClosed', 'auction closed', 'auctions closed'],
  ['expiringSoonNotices', 'expiring-soon notice', 'expiring-soon notices'],
];

/** "Scheduler ran: 3 allotments, 30 Connects allotted, 2 expiries." from the run's counts. */
export function describeRun(run: Partial<SchedulerRun> | undefined): string {
  const parts = runParts.flatMap(([key, one, many]) => {
    const n = (run as Record<string, unknown> | undefined)?.[key];
    return typeof n === 'number' && Number.isSafeInteger(n) && n > 0
      ? [`${formatConnects(n)} ${n === 1 ? one : many}`]
      : [];
  });
  const more = run?.complete === false ? ' More work is waiting: run it again.' : '';
  return `Scheduler ran: ${parts.length === 0 ? 'nothing was due' : parts.join(', ')}.${more}`;
}
