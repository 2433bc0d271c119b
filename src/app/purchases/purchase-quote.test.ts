import { describe, expect, it } from 'vitest';
import { policyAt, defaultTimeline } from '../../core/policy/timeline.ts';
import { defaultPolicy } from '../../core/policy/eras.ts';
import { parseInstant } from '../../core/time.ts';
import { quotePurchase } from './purchase-quote.ts';
import { noTax } from './tax.ts';

const legacy = policyAt(defaultTimeline, parseInstant('2018-06-01') as number);

describe('purchase quote', () => {
  it('prices any whole amount in range at the unit price, bundle or not', () => {
    for (const connects of [10, 25, 80, 1000]) {
      const quote = quotePurchase(defaultPolicy, 'basic', connects, noTax, undefined);
      expect(quote).toEqual({
        ok: true,
        value: {
          connects,
          unitPriceCents: 15,
          priceCents: connects * 15,
          taxJurisdiction: null,
          taxRateBp: 0,
          taxCents: 0,
          totalCents: connects * 15,
        },
      });
    }
  });

  it('refuses amounts below the minimum, above the maximum or not whole', () => {
    for (const connects of [9, 1001, 0, -10, 10.5, Number.NaN]) {
      const quote = quotePurchase(defaultPolicy, 'plus', connects, noTax, undefined);
      expect(quote.ok ? 'ok' : quote.error.code).toBe('purchase_out_of_range');
    }
  });

  it('adds tax on top and records it separately', () => {
    const quote = quotePurchase(defaultPolicy, 'basic', 25, { rates: { DE: 1900 } }, 'DE');
    // 25 * 15 = 375 cents; 19% = 71.25 -> 71
    expect(quote.ok && quote.value).toMatchObject({
      priceCents: 375,
      taxRateBp: 1900,
      taxCents: 71,
      totalCents: 446,
    });
  });

  it('lets only Plus buy under the legacy era, at $1.00 from 5 Connects', () => {
    const basic = quotePurchase(legacy, 'basic', 10, noTax, undefined);
    expect(basic.ok ? 'ok' : basic.error.code).toBe('purchase_not_allowed');
    const plus = quotePurchase(legacy, 'plus', 5, noTax, undefined);
    expect(plus.ok && plus.value.totalCents).toBe(500);
  });
});
