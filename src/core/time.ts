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
  return Number.isNaN(t) ? undefined : t;
}
