/**
 * The months the ledger report can be asked for, by the service's clock in
 * UTC: the current month (so far) and the ones before it, newest first. The
 * default is the last full month, the one a finance team closes.
 */
export function monthKey(year: number, month0: number): string {
  const d = new Date(Date.UTC(year, month0, 1));
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function reportMonths(now: number, count = 24): string[] {
  const d = new Date(now);
  const year = d.getUTCFullYear();
  const month0 = d.getUTCMonth();
  return Array.from({ length: count }, (_, i) => monthKey(year, month0 - i));
}

/** The month before the one `now` falls in: the last month that has closed. */
export function lastFullMonth(now: number): string {
  const d = new Date(now);
  return monthKey(d.getUTCFullYear(), d.getUTCMonth() - 1);
}

const monthName = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "February 2030" for "2030-02". */
export function monthLabel(month: string): string {
  return monthName.format(new Date(`${month}-01T00:00:00Z`));
}
