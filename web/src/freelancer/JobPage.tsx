import { useId, useState, type FormEvent } from 'react';
import { newId } from '../api/http.ts';
import type { Job, ListedProposal, PolicyTimeline } from '../api/types.ts';
import { ActionNotice, Loaded } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import {
  connectsLabel,
  formatCents,
  formatConnects,
  formatDateTime,
  parseCents,
  parseWhole,
} from '../format.ts';
import { useAction, useApp, usePolicy, useResource, type Resource } from '../hooks.ts';
import { Link } from '../router.tsx';
import { budgetText } from './JobBoard.tsx';
import { WalletSummary } from './WalletSummary.tsx';

/** One job: its price, the boosted ranking, the bid range for Plus members, and the proposal form. */
export function JobPage({ jobId, freelancerId }: { jobId: string; freelancerId: string | null }) {
  const { api } = useApp();
  const job = useResource(`job:${jobId}`, () => api.job(jobId));
  const policy = usePolicy();
  // The freelancer's own proposal to this job, from the server: it survives reloads and other devices.
  const mine = useResource(`proposal:${freelancerId ?? ''}:${jobId}`, () =>
    freelancerId === null ? Promise.resolve(null) : api.proposalOn(freelancerId, jobId),
  );
  return (
    <>
      <p>
        <Link to={freelancerId === null ? '/admin/jobs' : '/jobs'}>← All jobs</Link>
      </p>
      <Loaded resource={job} what="the job">
        {(data) => (
          <>
            <h1>{`Job ${data.id}`}</h1>
            <JobFacts job={data} />
            {freelancerId === null ? null : <WalletSummary freelancerId={freelancerId} />}
            <div className="columns">
              {freelancerId === null || policy.data === undefined ? null : (
                <OwnProposal job={data} freelancerId={freelancerId} policy={policy.data} mine={mine} />
              )}
              <RankingPanel job={data} freelancerId={freelancerId} />
            </div>
          </>
        )}
      </Loaded>
    </>
  );
}

function OwnProposal({
  mine,
  ...props
}: {
  job: Job;
  freelancerId: string;
  policy: PolicyTimeline;
  mine: Resource<ListedProposal | null>;
}) {
  return (
    <Loaded resource={mine} what="your proposal">
      {(own) => <ProposalPanel {...props} mine={own} />}
    </Loaded>
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
        <dd data-testid="job-status">{job.status}</dd>
      </div>
      <div>
        <dt>Proposals</dt>
        <dd>{plural(job.proposalCount, 'proposal')}</dd>
      </div>
      <div>
        <dt>{job.auction.closedAt === null ? 'Boosting closes' : 'Boosting closed'}</dt>
        <dd>{formatDateTime(job.auction.closedAt ?? job.auction.closesAt)}</dd>
      </div>
    </dl>
  );
}

function RankingPanel({ job, freelancerId }: { job: Job; freelancerId: string | null }) {
  const ranking = job.ranking;
  return (
    <Panel title="Boosted proposals">
      <BidRangeText job={job} freelancerId={freelancerId} />
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

/** The range of bids: a freelancer sees its competitors' (the server leaves its own out); the operator every bid. */
function BidRangeText({ job, freelancerId }: { job: Job; freelancerId: string | null }) {
  const range = job.bidRange;
  if (range === null) {
    return <p className="muted">Freelancer Plus members see the range of bids on this job here.</p>;
  }
  const whose = freelancerId === null ? 'Bids on this job' : "Competitors' bids";
  if (range.proposals === 0 || range.averageCents === null) {
    return (
      <p data-testid="bid-range">
        {freelancerId === null ? 'No bids on this job yet.' : 'No competitors have bid on this job yet.'}
      </p>
    );
  }
  return (
    <p data-testid="bid-range">
      {whose} ({plural(range.proposals, 'proposal')}): low <strong>{formatCents(range.lowCents ?? 0)}</strong>
      , average <strong>{formatCents(range.averageCents)}</strong>, high{' '}
      <strong>{formatCents(range.highCents ?? 0)}</strong>.
    </p>
  );
}

function ProposalPanel({
  job,
  freelancerId,
  policy,
  mine,
}: {
  job: Job;
  freelancerId: string;
  policy: PolicyTimeline;
  mine: ListedProposal | null;
}) {
  const { api } = useApp();
  const action = useAction();
  const withdrawal = useAction();
  const bidId = useId();
  const boostId = useId();
  const [bid, setBid] = useState('');
  const [boost, setBoost] = useState('');
  const { minBidConnects, maxBidConnects } = policy.current.boost;
  const boostConnects = boost.trim() === '' ? 0 : parseWhole(boost, minBidConnects, maxBidConnects);
  const total = boostConnects === undefined ? undefined : job.connectsRequired + boostConnects;
  const closed = job.status !== 'open';
  const boostClosed =
    job.auction.closedAt !== null || Date.parse(policy.now) >= Date.parse(job.auction.closesAt);

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
      // A fresh id per attempt; a retry after a network failure that did apply is refused as a duplicate.
      const result = await api.propose(job.id, {
        proposalId: newId('prop'),
        freelancerId,
        bidCents,
        ...(boostConnects > 0 && !boostClosed ? { boostConnects } : {}),
      });
      const spent = `${connectsLabel(result.proposal.costConnects)} to apply`;
      const b = result.boost;
      if (b === null) return `Proposal sent: ${spent}.`;
      if (b.status === 'released') {
        return `Proposal sent: ${spent}. Your boost of ${connectsLabel(b.bidConnects)} did not reach the top ${policy.current.boost.slots}, so it was released and cost nothing.`;
      }
      return `Proposal sent with a boost of ${connectsLabel(b.bidConnects)}${b.rank === null ? '' : `, ranked #${b.rank}`} (held until the client interacts or the auction closes): ${spent}.`;
    });
  };

  const withdraw = (proposalId: string): void => {
    void withdrawal.run(async () => {
      await api.withdraw(proposalId);
      return 'Proposal withdrawn. Connects spent on applying are not refunded; a held boost is released.';
    });
  };

  if (mine !== null) {
    return (
      <Panel title="Your proposal">
        <p data-testid="applied">{appliedText(mine)}</p>
        {mine.status !== 'active' || closed ? null : (
          <button
            type="button"
            className="button-quiet"
            onClick={() => withdraw(mine.proposalId)}
            disabled={withdrawal.busy}
          >
            Withdraw proposal
          </button>
        )}
        <ActionNotice state={action.state} />
        <ActionNotice state={withdrawal.state} />
      </Panel>
    );
  }

  return (
    <Panel title="Submit a proposal">
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={bidId}>Your bid (USD)</label>
          <input
            id={bidId}
            inputMode="decimal"
            value={bid}
            disabled={closed}
            onChange={(e) => {
              setBid(e.target.value);
              action.clear();
            }}
            aria-describedby={`${bidId}-hint`}
          />
          <p id={`${bidId}-hint`} className="hint">
            An amount of money, for example 250 or 250.50.
          </p>
        </div>
        <div className="field">
          <label htmlFor={boostId}>Boost (optional, Connects)</label>
          <input
            id={boostId}
            inputMode="numeric"
            value={boostClosed ? '' : boost}
            disabled={closed || boostClosed}
            onChange={(e) => {
              setBoost(e.target.value);
              action.clear();
            }}
            aria-describedby={`${boostId}-hint`}
          />
          <p id={`${boostId}-hint`} className="hint">
            {boostClosed
              ? 'Boosting has closed for this job; you can still apply without a boost.'
              : `Bid extra Connects to be shown among the top ${policy.current.boost.slots}. Outbid boosts are released and cost nothing.`}
          </p>
        </div>
        <p className="total">
          Cost now:{' '}
          <strong data-testid="proposal-cost">{total === undefined ? '—' : connectsLabel(total)}</strong>
          {boostConnects !== undefined && boostConnects > 0 && !boostClosed
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

function plural(n: number, noun: string): string {
  return `${formatConnects(n)} ${n === 1 ? noun : `${noun}s`}`;
}

/** "You applied to this job on Mar 10, 2030 at 12:00 PM: 6 Connects, bid $150.00, a boost of 5 Connects (held)." */
function appliedText(p: ListedProposal): string {
  const when = formatDateTime(p.submittedAt);
  if (p.status === 'withdrawn') return `You withdrew your proposal to this job. You had applied on ${when}.`;
  const boost =
    p.boost === null ? '' : `, a boost of ${connectsLabel(p.boost.bidConnects)} (${p.boost.status})`;
  const facts = `${connectsLabel(p.costConnects)}, bid ${formatCents(p.bidCents)}${boost}`;
  return `${p.status === 'hired' ? 'You were hired for this job' : 'You applied to this job'} on ${when}: ${facts}.`;
}
