import { z } from 'zod';
import { ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import { lotSources, type LotSource } from '../../core/types.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../input/parse-input.ts';
import { ledgerReportSql, type ReportRow } from './ledger-report-sql.ts';
import { reportMonth, reportMonthSchema } from './report-month.ts';

export const getLedgerReportInputSchema = z.strictObject({ month: reportMonthSchema });
export type GetLedgerReportInput = z.input<typeof getLedgerReportInputSchema>;

/** Connects and their value at cost, in cents. */
export interface Amount {
  readonly connects: number;
  readonly cents: number;
}

/** One line of the report: paid and free Connects apart, and both together. */
export interface Split {
  readonly paid: Amount;
  readonly free: Amount;
  readonly total: Amount;
}

/** What spent Connects paid for. */
export const spendUses = ['proposals', 'boosts', 'badge', 'other'] as const;
export type SpendUse = (typeof spendUses)[number];

/**
 * The month's roll-forward (docs/finance.md): closing = opening + issued
 * - spent - expired + refunds + chargebacks + adjustments, the last three
 * signed. `check` is closing minus that roll-forward and is always zero.
 */
export interface LedgerReport {
  readonly month: string;
  readonly from: Instant;
  readonly until: Instant;
  readonly asOf: Instant;
  readonly currency: 'USD';
  readonly opening: Split;
  readonly issued: { readonly bySource: Readonly<Record<LotSource, Split>>; readonly total: Split };
  readonly spent: { readonly byUse: Readonly<Record<SpendUse, Split>>; readonly total: Split };
  /** Breakage: Connects that expired unspent. */
  readonly expired: Split;
  /** Spent Connects given back (a job cancelled): into their lots or fresh ones. */
  readonly refunds: Split;
  /** Unspent purchased Connects removed when the purchase was refunded (negative). */
  readonly chargebacks: Split;
  /** Operators' corrections: added lots (positive), removals and voids (negative). */
  readonly adjustments: Split;
  readonly closing: Split;
  readonly check: Amount;
  /** The part of the opening and closing balances held by active boost bids. */
  readonly held: { readonly opening: Split; readonly closing: Split };
  /** Unspent paid Connects at cost: money received for Connects not yet used. */
  readonly deferredRevenue: { readonly openingCents: number; readonly closingCents: number };
  /** Recognised in the month: paid Connects spent, less those refunded, plus paid breakage. */
  readonly revenue: {
    readonly spendCents: number;
    readonly refundedCents: number;
    readonly breakageCents: number;
    readonly totalCents: number;
  };
  readonly memo: {
    /** Connects never credited (the part of a grant above a holding cap): not in any balance. */
    readonly forfeitedConnects: number;
    /** Entries effective in the month. */
    readonly entries: number;
    /** Of those, entries recorded after the month ended (e.g. expiries swept late). */
    readonly lateEntries: number;
  };
}

type Category = 'paid' | 'free';
interface Acc {
  paid: { connects: number; cents: number };
  free: { connects: number; cents: number };
}

const zero = (): Acc => ({ paid: { connects: 0, cents: 0 }, free: { connects: 0, cents: 0 } });

function add(acc: Acc, category: string, connects: number, cents: number, sign = 1): void {
  const side = acc[category === 'paid' ? 'paid' : 'free'];
  side.connects += sign * connects;
  side.cents += sign * cents;
}

function split(acc: Acc, sign = 1, totalConnects?: number): Split {
  // 0 - x, not -1 * x: a zero stays 0, never -0.
  const s = (x: number) => (sign === 1 ? x : 0 - x);
  const paid = { connects: s(acc.paid.connects), cents: s(acc.paid.cents) };
  const free = { connects: s(acc.free.connects), cents: s(acc.free.cents) };
  return {
    paid,
    free,
    total: { connects: totalConnects ?? paid.connects + free.connects, cents: paid.cents + free.cents },
  };
}

const sumSplits = (splits: readonly Split[]): Acc => {
  const acc = zero();
  for (const s of splits) {
    add(acc, 'paid', s.paid.connects, s.paid.cents);
    add(acc, 'free', s.free.connects, s.free.cents);
  }
  return acc;
};

/** Folds the statement's rows into the report's lines. */
function build(
  rows: readonly ReportRow[],
  month: { month: string; from: Instant; until: Instant },
  now: Instant,
) {
  const n = (v: number | string) => Number(v);
  const lines = new Map<string, Acc>();
  const line = (key: string): Acc => {
    const acc = lines.get(key) ?? zero();
    lines.set(key, acc);
    return acc;
  };
  const nowState = zero();
  const nowHeld = zero();
  const sinceStart = zero();
  const sinceEnd = zero();
  const heldSinceStart = zero();
  const heldSinceEnd = zero();
  let book = { now: 0, inMonth: 0, after: 0, entries: 0, late: 0, forfeited: 0 };
  for (const r of rows) {
    const cat = r.category as Category;
    if (r.part === 'lots' || r.part === 'held') {
      add(nowState, cat, n(r.n1), n(r.n2));
      if (r.part === 'held') add(nowHeld, cat, n(r.n1), n(r.n2));
    } else if (r.part === 'book') {
      book = {
        now: n(r.n1),
        inMonth: n(r.n2),
        after: n(r.n3),
        entries: n(r.n4),
        late: n(r.n5),
        forfeited: n(r.n6),
      };
    } else {
      add(line(`${r.line}:${r.item}`), cat, n(r.n1), n(r.n2));
      add(sinceStart, cat, n(r.n1) + n(r.n5), n(r.n2) + n(r.n6));
      add(sinceEnd, cat, n(r.n5), n(r.n6));
      add(heldSinceStart, cat, n(r.n3) + n(r.n7), n(r.n4) + n(r.n8));
      add(heldSinceEnd, cat, n(r.n7), n(r.n8));
    }
  }
  const minus = (a: Acc, b: Acc): Acc => {
    const acc = zero();
    add(acc, 'paid', a.paid.connects - b.paid.connects, a.paid.cents - b.paid.cents);
    add(acc, 'free', a.free.connects - b.free.connects, a.free.cents - b.free.cents);
    return acc;
  };
  const get = (key: string, sign = 1) => split(lines.get(key) ?? zero(), sign);
  return {
    get,
    minus,
    nowState,
    nowHeld,
    sinceStart,
    sinceEnd,
    heldSinceStart,
    heldSinceEnd,
    book,
    month,
    now,
  };
}

function report(
  rows: readonly ReportRow[],
  month: { month: string; from: Instant; until: Instant },
  now: Instant,
) {
  const b = build(rows, month, now);
  const bookOpening = b.book.now - b.book.inMonth - b.book.after;
  const bookClosing = b.book.now - b.book.after;
  const opening = split(b.minus(b.nowState, b.sinceStart), 1, bookOpening);
  const closing = split(b.minus(b.nowState, b.sinceEnd), 1, bookClosing);
  const bySource = Object.fromEntries(lotSources.map((s) => [s, b.get(`issued:${s}`)])) as Record<
    LotSource,
    Split
  >;
  const byUse = Object.fromEntries(spendUses.map((u) => [u, b.get(`spent:${u}`, -1)])) as Record<
    SpendUse,
    Split
  >;
  const issued = split(sumSplits(Object.values(bySource)));
  const spent = split(sumSplits(Object.values(byUse)));
  const expired = b.get('expired:', -1);
  const refunds = b.get('refunds:');
  const chargebacks = b.get('chargebacks:');
  const adjustments = b.get('adjustments:');
  const rolled = (pick: (s: Split) => number) =>
    pick(opening) +
    pick(issued) -
    pick(spent) -
    pick(expired) +
    pick(refunds) +
    pick(chargebacks) +
    pick(adjustments);
  const revenue = {
    spendCents: spent.paid.cents,
    refundedCents: refunds.paid.cents,
    breakageCents: expired.paid.cents,
    totalCents: spent.paid.cents - refunds.paid.cents + expired.paid.cents,
  };
  return {
    ...b.month,
    asOf: now,
    currency: 'USD' as const,
    opening,
    issued: { bySource, total: issued },
    spent: { byUse, total: spent },
    expired,
    refunds,
    chargebacks,
    adjustments,
    closing,
    check: {
      connects: closing.total.connects - rolled((s) => s.total.connects),
      cents: closing.total.cents - rolled((s) => s.total.cents),
    },
    held: {
      opening: split(b.minus(b.nowHeld, b.heldSinceStart)),
      closing: split(b.minus(b.nowHeld, b.heldSinceEnd)),
    },
    deferredRevenue: { openingCents: opening.paid.cents, closingCents: closing.paid.cents },
    revenue,
    memo: { forfeitedConnects: b.book.forfeited, entries: b.book.entries, lateEntries: b.book.late },
  };
}

/**
 * The ledger report of one calendar month in UTC, by the entries' effective
 * time (docs/finance.md): what the Connects were at the month's start and
 * end, and what moved them, in Connects and in cents at cost, paid and free
 * apart. Reads only; a month that has not started is report_month_in_future.
 */
export async function getLedgerReport(
  ctx: AppContext,
  request: GetLedgerReportInput,
  now: Instant,
): Promise<Result<LedgerReport>> {
  const parsed = parseInput(getLedgerReportInputSchema, request);
  if (!parsed.ok) return parsed;
  const month = reportMonth(parsed.value.month, now);
  if (!month.ok) return month;
  const { rows } = await ctx.store.query<ReportRow>(ledgerReportSql, [month.value.from, month.value.until]);
  return ok(report(rows, month.value, now));
}
