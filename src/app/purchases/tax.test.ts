import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  jurisdictionSchema,
  quoteTax,
  taxCentsFor,
  taxRateFor,
  taxTableSchema,
  type TaxTable,
} from './tax.ts';

const table: TaxTable = { rates: { DE: 1900, 'US-CA': 725, US: 0, GB: 2000 } };

describe('tax by jurisdiction', () => {
  it('uses the exact jurisdiction, then its country, then no tax', () => {
    expect(taxRateFor(table, 'US-CA')).toBe(725);
    expect(taxRateFor(table, 'US-NY')).toBe(0);
    expect(taxRateFor(table, 'DE-BY')).toBe(1900);
    expect(taxRateFor(table, 'FR')).toBe(0);
  });

  it('rounds half up to the cent in integer arithmetic', () => {
    // 150 cents at 7.25% = 10.875 cents -> 11; at 19% = 28.5 -> 29; at 20% = 30 exactly.
    expect(taxCentsFor(150, 725)).toBe(11);
    expect(taxCentsFor(150, 1900)).toBe(29);
    expect(taxCentsFor(150, 2000)).toBe(30);
    expect(taxCentsFor(149, 1)).toBe(0);
    expect(taxCentsFor(0, 1900)).toBe(0);
  });

  it('quotes nothing without a jurisdiction and records the rate with one', () => {
    expect(quoteTax(table, undefined, 300)).toEqual({ jurisdiction: null, rateBp: 0, taxCents: 0 });
    expect(quoteTax(table, 'DE', 300)).toEqual({ jurisdiction: 'DE', rateBp: 1900, taxCents: 57 });
  });

  it('never charges more than the rate allows, nor less than it by a cent or more', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 150_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (price, bp) => {
          const tax = taxCentsFor(price, bp);
          expect(Number.isSafeInteger(tax)).toBe(true);
          // |tax * 10000 - price * bp| <= 5000 (half a cent, scaled)
          expect(Math.abs(tax * 10_000 - price * bp)).toBeLessThanOrEqual(5_000);
        },
      ),
    );
  });

  it('normalises jurisdiction input and refuses malformed codes and tables', () => {
    expect(jurisdictionSchema.parse(' us-ca ')).toBe('US-CA');
    expect(jurisdictionSchema.safeParse('California').success).toBe(false);
    expect(jurisdictionSchema.safeParse('U').success).toBe(false);
    expect(taxTableSchema.safeParse({ rates: { de: 1900 } }).success).toBe(false);
    expect(taxTableSchema.safeParse({ rates: { DE: 10_001 } }).success).toBe(false);
    expect(taxTableSchema.safeParse({ rates: { DE: 19.5 } }).success).toBe(false);
    expect(taxTableSchema.safeParse(table).success).toBe(true);
  });
});
