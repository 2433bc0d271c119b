import { useState } from 'react';
import type { Lot } from '../api/types.ts';
import { BarChart } from '../components/BarChart.tsx';
import { LoadError, Loading } from '../components/Notice.tsx';
import { Panel, Stat } from '../components/Panel.tsx';
import { formatConnects, formatDate, formatMonth } from '../format.ts';
import { useApp, usePolicy, useResource } from '../hooks.ts';
import { expiringByMonth, isSpendable, sourceName } from './expiry.ts';

/** Balance, what expires when, and the lots behind it. Shared by the freelancer's wallet and the operator's lookup. */
export function WalletPanels({
  freelancerId,
  heading = 'Your wallet',
}: {
  freelancerId: string;
  heading?: string;
}) {
  const { api } = useApp();
  const policy = usePolicy();
  const balance = useResource(`balance:${freelancerId}`, () => api.balance(freelancerId));
  // Spendable lots by default; every lot ever issued when the reader asks for used and expired ones too.
  const [showAll, setShowAll] = useState(false);
  const status = showAll ? 'all' : 'active';
  const lots = useResource(`lots:${freelancerId}:${status}`, () => api.lots(freelancerId, status));
  const now = policy.data === undefined ? undefined : Date.parse(policy.data.now);

  return (
    <>
      <h1>{heading}</h1>
      <Panel title="Balance">
        {balance.error !== undefined ? <LoadError error={balance.error} retry={balance.reload} /> : null}
        {balance.data === undefined ? (
          <Loading what="the balance" />
        ) : (
          <dl className="stats" data-testid="balance">
            <Stat label="Balance" value={formatConnects(balance.data.balance)} hint="Connects" />
            <Stat label="Available" value={formatConnects(balance.data.available)} hint="to spend now" />
            <Stat label="Held" value={formatConnects(balance.data.held)} hint="reserved for boosts" />
            <Stat
              label="Expiring in 30 days"
              value={formatConnects(balance.data.expiringWithin30Days)}
              hint="use them first"
            />
          </dl>
        )}
      </Panel>
      <Panel title="Connects expiring by month">
        {lots.error !== undefined ? <LoadError error={lots.error} retry={lots.reload} /> : null}
        {lots.data === undefined || now === undefined ? (
          <Loading what="the expiry calendar" />
        ) : (
          <ExpiryChart lots={lots.data.lots} now={now} />
        )}
      </Panel>
      <Panel title="Lots">
        {lots.data === undefined || now === undefined ? (
          <Loading what="the lots" />
        ) : (
          <LotTable lots={lots.data.lots} now={now} showAll={showAll} setShowAll={setShowAll} />
        )}
      </Panel>
    </>
  );
}

function ExpiryChart({ lots, now }: { lots: readonly Lot[]; now: number }) {
  const buckets = expiringByMonth(lots, now);
  const total = buckets.reduce((sum, b) => sum + b.connects, 0);
  return (
    <BarChart
      title={`${formatConnects(total)} Connects expire over the next year, by month of expiry (UTC).`}
      labels={buckets.map((b, i) => formatMonth(b.start, i === 0 || new Date(b.start).getUTCMonth() === 0))}
      series={[{ name: 'Connects expiring', className: 'series-a', values: buckets.map((b) => b.connects) }]}
      format={formatConnects}
    />
  );
}

function LotTable({
  lots,
  now,
  showAll,
  setShowAll,
}: {
  lots: readonly Lot[];
  now: number;
  showAll: boolean;
  setShowAll: (value: boolean) => void;
}) {
  const sorted = [...lots].sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt));
  const shown = showAll ? sorted : sorted.filter((lot) => isSpendable(lot, now));
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> Show used
        and expired lots
      </label>
      {shown.length === 0 ? (
        <p className="muted">No spendable Connects.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-stack" data-testid="lots">
            <caption className="visually-hidden">
              Lots, soonest expiry first (they are spent in this order)
            </caption>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Issued</th>
                <th scope="col">Expires</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col" className="num">
                  Remaining
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((lot) => (
                <tr key={lot.lotId} className={isSpendable(lot, now) ? undefined : 'dim'}>
                  <td data-label="Source">
                    {sourceName(lot.source)}
                    {lot.category === 'paid' ? <span className="tag">paid</span> : null}
                  </td>
                  <td data-label="Issued">{formatDate(lot.issuedAt)}</td>
                  <td data-label="Expires">
                    {formatDate(lot.expiresAt)}
                    {Date.parse(lot.expiresAt) <= now ? <span className="tag tag-warn">expired</span> : null}
                  </td>
                  <td className="num" data-label="Amount">
                    {formatConnects(lot.amount)}
                  </td>
                  <td className="num" data-label="Remaining">
                    {formatConnects(lot.remaining)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
