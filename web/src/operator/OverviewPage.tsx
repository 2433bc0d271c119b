import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/http.ts';
import type { Stats } from '../api/types.ts';
import { BarChart } from '../components/BarChart.tsx';
import { ActionNotice, LoadError, Loading } from '../components/Notice.tsx';
import { Panel, Stat } from '../components/Panel.tsx';
import { formatCents, formatConnects, formatDate, formatDateTime } from '../format.ts';
import { useAction, useApp, useResource } from '../hooks.ts';

/** Totals of the whole economy with a chart over time, and the scheduler and clock. */
export function OverviewPage() {
  return (
    <>
      <h1>Operator console</h1>
      <StatsPanels />
      <SchedulerPanel />
    </>
  );
}

function StatsPanels() {
  const { api } = useApp();
  const stats = useResource('stats', () => api.stats());
  const missing = stats.error instanceof ApiError && stats.error.code === 'not_found';
  return (
    <>
      <Panel title="Totals">
        {missing ? <p className="muted">This server does not report totals (GET /v1/admin/stats).</p> : null}
        {stats.error !== undefined && !missing ? (
          <LoadError error={stats.error} retry={stats.reload} />
        ) : null}
        {stats.data === undefined ? (
          missing ? null : (
            <Loading what="totals" />
          )
        ) : (
          <dl className="stats" data-testid="totals">
            <Stat label="Issued" value={formatConnects(stats.data.totals.issued)} hint="Connects" />
            <Stat label="Spent" value={formatConnects(stats.data.totals.spent)} hint="Connects" />
            <Stat label="Expired" value={formatConnects(stats.data.totals.expired)} hint="Connects" />
            <Stat label="Outstanding" value={formatConnects(stats.data.totals.outstanding)} hint="Connects" />
            <Stat label="Purchase revenue" value={formatCents(stats.data.totals.purchaseRevenueCents)} />
          </dl>
        )}
      </Panel>
      {stats.data?.series && stats.data.series.length > 0 ? <StatsCharts stats={stats.data} /> : null}
    </>
  );
}

function StatsCharts({ stats }: { stats: Stats }) {
  const series = stats.series ?? [];
  const labels = series.map((p) => formatDate(p.at));
  return (
    <div className="columns">
      <Panel title="Connects over time">
        <BarChart
          title="Connects issued, spent and expired in each period."
          labels={labels}
          series={[
            { name: 'Issued', className: 'series-a', values: series.map((p) => p.issued) },
            { name: 'Spent', className: 'series-b', values: series.map((p) => p.spent) },
            { name: 'Expired', className: 'series-c', values: series.map((p) => p.expired) },
          ]}
          format={formatConnects}
        />
      </Panel>
      <Panel title="Purchase revenue over time">
        <BarChart
          title="Revenue from Connects purchases in each period."
          labels={labels}
          series={[
            { name: 'Revenue', className: 'series-b', values: series.map((p) => p.purchaseRevenueCents) },
          ]}
          format={(c) => formatCents(c)}
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

  const runTick = (): void => {
    void tick.run(async () => {
      const result = await api.tick();
      return `Scheduler ran${summary(result)}.`;
    });
  };
  const setClock = (event: FormEvent): void => {
    event.preventDefault();
    const t = Date.parse(target.length === 10 ? `${target}T00:00:00Z` : target);
    if (Number.isNaN(t)) {
      move.fail('Enter a date like 2025-06-01 or a date-time with a zone.');
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
              placeholder="2025-06-01"
              onChange={(e) => setTarget(e.target.value)}
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

/** A short "(3 allotments, 2 expiries)" from whatever counts the tick reports. */
function summary(result: unknown): string {
  if (typeof result !== 'object' || result === null) return '';
  const parts = Object.entries(result)
    .filter(([, v]) => typeof v === 'number' && Number.isSafeInteger(v))
    .map(([k, v]) => `${k}: ${formatConnects(v as number)}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}
