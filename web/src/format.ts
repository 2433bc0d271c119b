/**
 * Numbers and dates for people. Everything is shown in UTC: billing cycles,
 * expiry and the ledger are defined in UTC, so a lot never seems to expire a
 * day early or late depending on where the reader sits.
 */
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' });
const monthYearFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

export function formatConnects(n: number): string {
  return integer.format(n);
}

/** "12 Connects", "1 Connect". */
export function connectsLabel(n: number): string {
  return `${formatConnects(n)} ${Math.abs(n) === 1 ? 'Connect' : 'Connects'}`;
}

/**
 * Integer cents as money. The amount goes to Intl as an exact decimal string,
 * so no binary fraction ever appears between the ledger and the screen.
 */
export function formatCents(cents: number, currency = 'USD'): string {
  const abs = Math.abs(cents);
  const decimal = `${cents < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  const money = new Intl.NumberFormat(undefined, { style: 'currency', currency });
  return money.format(decimal as `${number}`);
}

export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

export function formatDateTime(iso: string): string {
  // dateStyle cannot be combined with timeZoneName, so the zone is appended.
  return `${dateTimeFormat.format(new Date(iso))} UTC`;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', timeZone: 'UTC' });
const dayMonthFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});

/** "14", or "Mar 1" when `withMonth` (the first bar of a chart and every 1st). */
export function formatDayOfMonth(t: number, withMonth = false): string {
  return (withMonth ? dayMonthFormat : dayFormat).format(new Date(t));
}

/** "Mar", or "Mar 2030" when `withYear` (the first bar of a chart and every January). */
export function formatMonth(t: number, withYear = false): string {
  return (withYear ? monthYearFormat : monthFormat).format(new Date(t));
}

/** Parses "12.34", "12", "$1,234.5" into integer cents without floating point. */
export function parseCents(text: string): number | undefined {
  const match = /^\s*\$?\s*(\d{1,9}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (match === null) return undefined;
  const whole = Number((match[1] ?? '').replaceAll(',', ''));
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  const cents = whole * 100 + fraction;
  return Number.isSafeInteger(cents) ? cents : undefined;
}

/** A whole number in [min, max] from a text field, or undefined. */
export function parseWhole(text: string, min: number, max: number): number | undefined {
  if (!/^\s*\d{1,12}\s*$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
}
