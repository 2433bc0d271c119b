import type { Entry } from '../api/types.ts';
import { formatConnects, formatDate } from '../format.ts';
import { sourceName } from './expiry.ts';

/**
 * Ledger entries as lines a person reads ("Applied to job-101", "Expired:
 * welcome bonus from Jan 10, 2030") instead of internal references, newest
 * first by time, with the many 1-Connect charges of the availability badge
 * grouped by week.
 */
export interface HistoryLine {
  readonly key: string;
  readonly at: string;
  readonly type: Entry['type'];
  readonly text: string;
  /** The job the line is about, to link to. */
  readonly jobId: string | null;
  readonly change: string;
  readonly balanceAfter: number;
  /** How many entries the line stands for (badge charges of one week). */
  readonly count: number;
  /** The operator who wrote the entry through the API, "sam (support)"; null for the freelancer, the scheduler, the CLI. */
  readonly actor: string | null;
}

const DAY_MS = 86_400_000;
const BADGE = 'availability_badge';

const afterColon = (ref: string | null, prefix: string): string | null =>
  ref !== null && ref.startsWith(`${prefix}:`) ? ref.slice(prefix.length + 1) : null;

/** The job the entry's proposal was for, as the history route names it. */
function jobOf(entry: Entry): { jobId: string | null; job: string } {
  return { jobId: entry.jobId, job: entry.jobId ?? 'a job' };
}

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

/** What one entry was for, in words. */
export function describeEntry(entry: Entry): string {
  const { job } = jobOf(entry);
  const reason = entry.reason;
  const source = entry.lot?.source;
  switch (entry.type) {
    case 'grant': {
      if (reason?.startsWith('plan:')) {
        return `Monthly allotment, Freelancer ${reason === 'plan:plus' ? 'Plus' : 'Basic'}`;
      }
      const code = afterColon(entry.ref, 'promo');
      if (code !== null) return `Promo code ${code}`;
      if (source === 'purchase') return `Bought ${formatConnects(entry.amount)} Connects`;
      if (source === 'proration') return 'Upgrade to Plus: the rest of this cycle';
      if (source === 'admin') return reason === null ? 'Granted by the marketplace' : `Granted: ${reason}`;
      if (source !== undefined) return sourceName(source);
      return reason ?? 'Credit';
    }
    case 'debit':
      if (reason === 'proposal') return `Applied to ${job}`;
      if (reason === BADGE) return 'Available-now badge';
      if (reason === 'chargeback') return 'Purchase refunded: unspent Connects removed';
      return reason ?? 'Spent';
    case 'hold':
      return `Boost on ${job} reserved`;
    case 'hold_release':
      return `Boost on ${job} released`;
    case 'hold_capture':
      return `Boost on ${job} charged`;
    case 'refund':
      if (reason === 'job_cancelled') return `Refund: ${job} was cancelled`;
      if (reason === 'job_removed') return `Refund: ${job} was removed`;
      return reason === null ? 'Refund' : `Refund: ${reason}`;
    case 'expiry': {
      const what = source === undefined ? 'Connects' : lowerFirst(sourceName(source));
      const from = entry.lot === undefined ? '' : ` from ${formatDate(entry.lot.issuedAt)}`;
      if (reason === 'rollover') return `Expired above the rollover cap: ${what}${from}`;
      return `Expired: ${what}${from}`;
    }
    case 'forfeit':
      return 'Forfeited: above the holding cap';
    case 'adjustment': {
      if (entry.ref?.startsWith('purchase:') === true) return 'Purchase refunded: unspent Connects removed';
      // A lot's expiry extended: no Connects move, the entry carries the lot with its new expiry.
      if (entry.amount === 0 && entry.lot !== undefined) {
        const what = lowerFirst(sourceName(entry.lot.source));
        const because = reason === null ? '' : `: ${reason}`;
        return `Expiry extended to ${formatDate(entry.lot.expiresAt)} (${what} from ${formatDate(entry.lot.issuedAt)})${because}`;
      }
      const by = entry.balanceAfter >= entry.balanceBefore ? 'Added' : 'Taken back';
      return `${by} by the marketplace${reason === null ? '' : `: ${reason}`}`;
    }
  }
}

const signedNumber = (n: number): string => (n > 0 ? `+${formatConnects(n)}` : `\u2212${formatConnects(-n)}`);

/**
 * The change, signed: to the balance when it moved; otherwise to the
 * available balance (a hold reserves Connects without spending them, a
 * release gives them back), marked as such.
 */
export function signed(
  entry: Pick<Entry, 'balanceBefore' | 'balanceAfter' | 'availableBefore' | 'availableAfter'>,
): string {
  const balance = entry.balanceAfter - entry.balanceBefore;
  if (balance !== 0) return signedNumber(balance);
  const available = entry.availableAfter - entry.availableBefore;
  return available === 0 ? '0' : `${signedNumber(available)} available`;
}

/** Monday 00:00 UTC of the week holding `t`. */
function weekStart(t: number): number {
  const day = new Date(t).getUTCDay();
  const midnight = t - (t % DAY_MS);
  return midnight - ((day + 6) % 7) * DAY_MS;
}

export function historyLines(entries: readonly Entry[]): HistoryLine[] {
  const byTime = [...entries].sort(
    (a, b) => Date.parse(b.effectiveAt) - Date.parse(a.effectiveAt) || b.seq - a.seq,
  );
  const lines: HistoryLine[] = [];
  for (const entry of byTime) {
    const at = Date.parse(entry.effectiveAt);
    const previous = lines.at(-1);
    if (entry.type === 'debit' && entry.reason === BADGE && previous?.key.startsWith('badge:')) {
      const week = weekStart(at);
      if (previous.key === `badge:${week}`) {
        const total =
          entry.balanceAfter - entry.balanceBefore + Number(previous.change.replace('\u2212', '-'));
        lines[lines.length - 1] = { ...previous, change: signedNumber(total), count: previous.count + 1 };
        continue;
      }
    }
    if (entry.type === 'debit' && entry.reason === BADGE) {
      const week = weekStart(at);
      lines.push({
        key: `badge:${week}`,
        at: entry.effectiveAt,
        type: entry.type,
        text: `Available-now badge, week of ${formatDate(new Date(week).toISOString())}`,
        jobId: null,
        change: signed(entry),
        balanceAfter: entry.balanceAfter,
        count: 1,
        actor: null,
      });
      continue;
    }
    lines.push({
      key: `seq:${entry.seq}`,
      at: entry.effectiveAt,
      type: entry.type,
      text: describeEntry(entry),
      jobId: jobOf(entry).jobId,
      change: signed(entry),
      balanceAfter: entry.balanceAfter,
      count: 1,
      actor: entry.actor ? `${entry.actor.id} (${entry.actor.role})` : null,
    });
  }
  return lines;
}
