import { useId, useState, type FormEvent } from 'react';
import { newId } from '../api/http.ts';
import type { Job, PolicyTimeline } from '../api/types.ts';
import { ActionNotice, LoadError, Loading } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import {
  connectsLabel,
  formatCents,
  formatConnects,
  formatDateTime,
  parseCents,
  parseWhole,
} from '../format.ts';
import { useAction, useApp, usePolicy, useResource } from '../hooks.ts';
import { Link } from '../router.tsx';
import { budgetText } from './JobBoard.tsx';
import { WalletSummary } from './WalletSummary.tsx';

/** One job: its price, the boosted ranking, the bid range for Plus members, and the proposal form. */
export function JobPage({ jobId, freelancerId }: { jobId: string; freelancerId: string | null }) {
  const { api } = useApp();
  const job = useResource(`job:${jobId}`, () => api.job(jobId));
  const policy = usePolicy();
  return (
    <>
      <p>
        <Link to={freelancerId === null ? '/admin/jobs' : '/jobs'}>← All jobs</Link>
      </p>
      {job.error !== undefined ? <LoadError error={job.error} retry={job.reload} /> : null}
      {job.data === undefined ? (
        job.error === undefined ? (
          <Loading what="the job" />
        ) : null
      ) : (
        <>
          <h1>{job.data.title ?? `Job ${job.data.id}`}</h1>
          <JobFacts job={job.data} />
          {freelancerId === null ? null : <WalletSummary freelancerId={freelancerId} />}
          <div className="columns">
            {freelancerId === null || policy.data === undefined ? null : (
              <ProposalPanel job={job.data} freelancerId={freelancerId} policy={policy.data} />
            )}
            <RankingPanel job={job.data} freelancerId={freelancerId} />
          </div>
        </>
      )}
    </>
  );
}

function JobFacts({ job }: { job: Job }) {
  return (
    <dl className="facts">
      <div>
        <dt>Applying costs</dt>
        <dd data-testid="job-price">
          {job.connectsRequired === 0 ? 'Free' : connectsLabel(job.connectsRequired)}
        </dd>
      </div>
      <div>
        <dt>Budget</dt>
        <dd>{budgetText(job)}</dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd data-testid="job-status">{job.status ?? 'open'}</dd>
      </div>
      {job.auctionClosesAt ? (
        <div>
          <dt>Boosting closes</dt>
          <dd>{formatDateTime(job.auctionClosesAt)}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function RankingPanel({ job, freelancerId }: { job: Job; freelancerId: string | null }) {
  const ranking = job.ranking ?? [];
  return (
    <Panel title="Boosted proposals">
      {job.bidRange ? (
        <p data-testid="bid-range">
          Competitors’ bids: low <strong>{formatCents(job.bidRange.lowCents)}</strong>, average{' '}
          <strong>{formatCents(job.bidRange.averageCents)}</strong>, high{' '}
          <strong>{formatCents(job.bidRange.highCents)}</strong>.
        </p>
      ) : (
        <p className="muted">Freelancer Plus members see the range of competitors’ bids here.</p>
      )}
      {ranking.length === 0 ? (
        <p className="muted">No boosted proposals yet. The top boosts are shown first to the client.</p>
      ) : (
        <ol className="ranking" data-testid="ranking">
          {ranking.map((r) => (
            <li key={r.proposalId} className={r.freelancerId === freelancerId ? 'mine' : undefined}>
              <span className="rank">#{r.rank}</span>
              <span className="who-bid">
                {freelancerId === null
                  ? (r.freelancerId ?? 'A freelancer')
                  : r.freelancerId === freelancerId
                    ? 'Your proposal'
                    : 'Another freelancer'}
              </span>
              <span className="num">{connectsLabel(r.bidConnects)}</span>
              {r.boosted === false ? null : <span className="tag tag-boost">Boosted</span>}
              {r.status === 'charged' ? <span className="tag">charged</span> : null}
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}

function ProposalPanel({
  job,
  freelancerId,
  policy,
}: {
  job: Job;
  freelancerId: string;
  policy: PolicyTimeline;
}) {
  const { api } = useApp();
  const action = useAction();
  const bidId = useId();
  const boostId = useId();
  const [bid, setBid] = useState('');
  const [boost, setBoost] = useState('');
  const { minBidConnects, maxBidConnects } = policy.current.boost;
  const boostConnects = boost.trim() === '' ? 0 : parseWhole(boost, minBidConnects, maxBidConnects);
  const total = boostConnects === undefined ? undefined : job.connectsRequired + boostConnects;
  const closed = job.status !== undefined && job.status !== 'open';

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    const bidCents = parseCents(bid);
    if (bidCents === undefined || bidCents <= 0) {
      action.fail('Enter your bid as an amount of money, for example 250 or 250.00.');
      return;
    }
    if (boostConnects === undefined) {
      action.fail(
        `A boost is a whole number of Connects from ${minBidConnects} to ${maxBidConnects}, or empty for none.`,
      );
      return;
    }
    void action.run(async () => {
      const result = await api.propose(job.id, {
        proposalId: newId('prop'),
        freelancerId,
        bidCents,
        ...(boostConnects > 0 ? { boostConnects } : {}),
      });
      const boost = result?.boost ?? null;
      if (boost === null) return 'Proposal sent.';
      if (boost.status === 'released') {
        return `Proposal sent. Your boost of ${connectsLabel(boost.bidConnects)} did not reach the top ${policy.current.boost.slots}, so it was released and cost nothing.`;
      }
      return `Proposal sent with a boost of ${connectsLabel(boost.bidConnects)}${boost.rank === null ? '' : `, ranked #${boost.rank}`} (held until the client interacts or the auction closes).`;
    });
  };

  return (
    <Panel title="Submit a proposal">
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={bidId}>Your bid (USD)</label>
          <input
            id={bidId}
            inputMode="decimal"
            value={bid}
            onChange={(e) => setBid(e.target.value)}
            placeholder="250.00"
          />
        </div>
        <div className="field">
          <label htmlFor={boostId}>Boost (optional, Connects)</label>
          <input
            id={boostId}
            inputMode="numeric"
            value={boost}
            onChange={(e) => setBoost(e.target.value)}
            aria-describedby={`${boostId}-hint`}
          />
          <p id={`${boostId}-hint`} className="hint">
            Bid extra Connects to be shown among the top {policy.current.boost.slots}. Outbid boosts are
            released and cost nothing.
          </p>
        </div>
        <p className="total">
          Cost now:{' '}
          <strong data-testid="proposal-cost">{total === undefined ? '—' : connectsLabel(total)}</strong>
          {boostConnects !== undefined && boostConnects > 0
            ? ` (${formatConnects(job.connectsRequired)} to apply + ${formatConnects(boostConnects)} boost)`
            : ''}
        </p>
        <button type="submit" className="button" disabled={action.busy || closed}>
          {closed ? 'This job is closed' : 'Submit proposal'}
        </button>
        <ActionNotice state={action.state} />
      </form>
    </Panel>
  );
}
