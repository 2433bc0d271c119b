import { useState } from 'react';
import type { Freelancer, Lot } from '../api/types.ts';
import { BarChart } from '../components/BarChart.tsx';
import { Loaded } from '../components/Notice.tsx';
import { Panel, Stat } from '../components/Panel.tsx';
import { connectsLabel, formatConnects, formatDate, formatMonth } from '../format.ts';
import { useApp, usePolicy, useResource } from '../hooks.ts';
import { expiringByMonth, isSpendable, recentNews, sourceName } from './expiry.ts';

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
  const profile = useResource(`freelancer:${freelancerId}`, () => api.freelancer(freelancerId));
  // Every lot, so the wallet can say what just expired; the table shows spendable ones unless asked.
  const lots = useResource(`lots:${freelancerId}:all`, () => api.lots(freelancerId, 'all'));
  const [showAll, setShowAll] = useState(false);
  const now = policy.data === undefined ? undefined : Date.parse(policy.data.now);

  return (
    <>
      <h1>{heading}</h1>
      <Panel title="Balance">
        <Loaded resource={balance} what="the balance">
          {(b) => (
            <dl className="stats" data-testid="balance">
              <Stat label="Balance" value={formatConnects(b.balance)} hint="Connects" />
              <Stat label="Available" value={formatConnects(b.available)} hint="to spend now" />
              <Stat label="Held" value={formatConnects(b.held)} hint="reserved for boosts" />
              <Stat
                label="Expiring in 30 days"
                value={formatConnects(b.expiringWithin30Days)}
                hint="use them first"
              />
            </dl>
          )}
        </Loaded>
        {profile.data === undefined || now === undefined ? null : (
          <NextAllotment freelancer={profile.data} now={now} />
        )}
        {lots.data === undefined || now === undefined ? null : <News lots={lots.data.lots} now={now} />}
      </Panel>
      <Panel title="Connects expiring by month">
        <Loaded resource={lots} what="the expiry calendar">
          {(data) => (now === undefined ? null : <ExpiryChart lots={data.lots} now={now} />)}
        </Loaded>
      </Panel>
      <Panel title="Lots">
        <Loaded resource={lots} what="the lots">
          {(data) =>
            now === undefined ? null : (
              <LotTable lots={data.lots} now={now} showAll={showAll} setShowAll={setShowAll} />
            )
          }
        </Loaded>
      </Panel>
    </>
  );
}

function NextAllotment({ freelancer, now }: { freelancer: Freelancer; now: number }) {
  const plan = freelancer.plan === 'plus' ? 'Freelancer Plus' : 'Freelancer Basic';
  const at = formatDate(freelancer.nextAllotmentAt);
  // Allotments are issued by the scheduler: one can be due before its run catches up.
  return (
    <p className="muted" data-testid="next-allotment">
      {Date.parse(freelancer.nextAllotmentAt) <= now ? (
        <>
          Monthly allotment due since <strong>{at}</strong> ({plan}): it is added at the scheduler’s next run.
        </>
      ) : (
        <>
          Next monthly allotment: <strong>{at}</strong> ({plan}).
        </>
      )}
    </p>
  );
}

/** What a freelancer should know now: Connects about to expire (the scheduler's notices) and ones that just did. */
function News({ lots, now }: { lots: readonly Lot[]; now: number }) {
  const { expiringSoon, justExpired } = recentNews(lots, now);
  if (expiringSoon.length === 0 && justExpired.length === 0) return null;
  return (
    <ul className="plain news" data-testid="wallet-news">
      {expiringSoon.map((n) => (
        <li key={`soon-${n.at}`} className="notice notice-warn">
          Expiring soon: {connectsLabel(n.connects)} expire on {formatDate(new Date(n.at).toISOString())}.
          Spend them first.
        </li>
      ))}
      {justExpired.map((n) => (
        <li key={`gone-${n.at}`} className="notice">
          Just expired: {connectsLabel(n.connects)} on {formatDate(new Date(n.at).toISOString())}.
        </li>
      ))}
    </ul>
  );
}

function ExpiryChart({ lots, now }: { lots: readonly Lot[]; now: number }) {
  const buckets = expiringByMonth(lots, now);
  const total = buckets.reduce((sum, b) => sum + b.connects, 0);
  return (
    <BarChart
      title={`${formatConnects(total)} Connects expire over the next year, by month of expiry (UTC).`}
      unit="Connects"
      labels={buckets.map((b, i) => formatMonth(b.start, i === 0 || new Date(b.start).getUTCMonth() === 0))}
      series={[{ meaning: 'expiring', values: buckets.map((b) => b.connects) }]}
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
                <tr key={lot.lotNo} className={isSpendable(lot, now) ? undefined : 'dim'}>
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
