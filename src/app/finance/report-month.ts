import { z } from 'zod';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import { monthIndex, monthStart } from '../admin/stats-buckets.ts';

/** A calendar month as the reports name it: YYYY-MM, from 2000-01 to 9999-12. */
export const reportMonthSchema = z
  .string()
  .regex(/^(?:[2-9]\d{3})-(?:0[1-9]|1[0-2])$/, 'A month is written YYYY-MM, e.g. 2026-11.');

/** One calendar month in UTC: [from, until). */
export interface ReportMonth {
  readonly month: string;
  readonly from: Instant;
  readonly until: Instant;
}

/** The month's bounds, refused when it has not started by `now` (the future has no figures yet). */
export function reportMonth(month: string, now: Instant): Result<ReportMonth> {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + mm - 1;
  const from = monthStart(index);
  if (from > now) {
    const message = `The month ${month} has not started yet (the service clock says ${new Date(now).toISOString()}).`;
    return err(connectsError('report_month_in_future', message, { month, now }));
  }
  return ok({ month, from, until: monthStart(index + 1) });
}

/** YYYY-MM of the month holding t (UTC). */
export function monthOf(t: Instant): string {
  const index = monthIndex(t);
  const month = (index % 12) + 1;
  return `${String((index - (month - 1)) / 12).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}
