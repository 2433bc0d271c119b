/**
 * Instants are integer milliseconds since the Unix epoch, UTC. The core never
 * reads a clock: every operation receives `now` as an argument.
 */
export type Instant = number;

export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60 * MS_PER_SECOND;
export const MS_PER_HOUR = 60 * MS_PER_MINUTE;
export const MS_PER_DAY = 24 * MS_PER_HOUR;

export function isInstant(value: unknown): value is Instant {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function toIso(t: Instant): string {
  return new Date(t).toISOString();
}

/**
 * Parses an ISO-8601 date (midnight UTC) or date-time with an explicit zone;
 * returns undefined for anything else, so local time never leaks in.
 */
export function parseInstant(text: string): Instant | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text))
    return undefined;
  const t = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(t)) return undefined;
  // Date.parse rolls impossible dates over (Feb 30 -> Mar 2); refuse them instead.
  const [year, month, day] = text.slice(0, 10).split('-').map(Number);
  const calendar = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0));
  const valid =
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() + 1 === month &&
    calendar.getUTCDate() === day;
  return valid ? t : undefined;
}
