import { z } from 'zod';
import { assert } from '../../core/errors.ts';

/**
 * Sales tax / VAT on purchases (rules.md 3.3, optional). The operator lists the
 * jurisdictions where it collects tax, each with a rate in basis points
 * (1/100 of a percent: 1900 = 19%). Tax is added on top of the price and
 * recorded separately; a jurisdiction not in the table pays none.
 */

export const BASIS_POINTS_PER_UNIT = 10_000;
/** Bounds the table an operator can configure. */
export const MAX_TAX_JURISDICTIONS = 500;

const JURISDICTION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

/** ISO 3166-1 country, optionally with an ISO 3166-2 subdivision: `DE`, `US-CA`. Case-insensitive. */
export const jurisdictionSchema = z
  .string()
  .trim()
  .max(6)
  .toUpperCase()
  .regex(JURISDICTION, 'must be a country code, optionally with a subdivision (DE, US-CA)');

export const taxTableSchema = z.strictObject({
  rates: z
    .record(
      z.string().regex(JURISDICTION, 'keys are upper-case codes such as DE or US-CA'),
      z.int().min(0).max(10_000),
    )
    .refine((rates) => Object.keys(rates).length <= MAX_TAX_JURISDICTIONS, {
      message: `at most ${MAX_TAX_JURISDICTIONS} jurisdictions`,
    }),
});

/** Example: `{ rates: { DE: 1900, 'US-CA': 725, US: 0 } }`. */
export type TaxTable = z.infer<typeof taxTableSchema>;

export const noTax: TaxTable = Object.freeze({ rates: Object.freeze({}) });

export interface TaxQuote {
  /** The jurisdiction the buyer gave (normalised), or null. */
  readonly jurisdiction: string | null;
  readonly rateBp: number;
  readonly taxCents: number;
}

/** The exact jurisdiction's rate, else its country's (US-CA falls back to US), else 0. */
export function taxRateFor(table: TaxTable, jurisdiction: string): number {
  const exact = table.rates[jurisdiction];
  if (exact !== undefined) return exact;
  const country = table.rates[jurisdiction.slice(0, 2)];
  return country ?? 0;
}

/** Tax on a price, rounded half up to the cent, in integer arithmetic. */
export function taxCentsFor(priceCents: number, rateBp: number): number {
  const scaled = priceCents * rateBp;
  assert(Number.isSafeInteger(scaled), 'tax computation exceeds safe integers');
  return Math.floor((scaled + BASIS_POINTS_PER_UNIT / 2) / BASIS_POINTS_PER_UNIT);
}

export function quoteTax(table: TaxTable, jurisdiction: string | undefined, priceCents: number): TaxQuote {
  if (jurisdiction === undefined) return { jurisdiction: null, rateBp: 0, taxCents: 0 };
  const rateBp = taxRateFor(table, jurisdiction);
  return { jurisdiction, rateBp, taxCents: taxCentsFor(priceCents, rateBp) };
}
