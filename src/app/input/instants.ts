import { z } from 'zod';
import { parseInstant, type Instant } from '../../core/time.ts';

/** Latest instant a Date can hold (year 275760), in milliseconds. */
const MAX_INSTANT = 8_640_000_000_000_000;

/** Clock fields in range: Date.parse would take 24:00 or a 60th second. */
function clockInRange(text: string): boolean {
  const m = /T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (m === null) return true;
  return Number(m[1]) < 24 && Number(m[2]) < 60 && Number(m[3] ?? 0) < 60;
}

/**
 * An instant as text: an ISO-8601 date (midnight UTC) or date-time with an
 * explicit zone, e.g. 2024-03-10T12:00:00.000Z, yielding integer milliseconds.
 * Impossible dates (2024-02-30) are refused, never rolled over.
 */
export const instantSchema = z
  .string()
  .max(40)
  .transform((text, ctx): Instant => {
    const t = parseInstant(text);
    if (t === undefined || !clockInRange(text)) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 date or date-time with a zone' });
      return z.NEVER;
    }
    return t;
  });

/** An instant as integer milliseconds since the epoch (what the core calls an Instant). */
export const instantMillisSchema = z.int('must be an integer instant').min(0).max(MAX_INSTANT);

/**
 * What every use case takes for an instant: text (above) or integer
 * milliseconds. The HTTP layer's bodies and queries take the text form.
 */
export const instantOrMillisSchema = z.union([instantMillisSchema, instantSchema]);
