import { describe, expect, it } from 'vitest';
import { promoStatus } from './PromoCodesPage.tsx';

const promo = {
  code: 'SPRING',
  connects: 20,
  validFrom: '2030-03-01T00:00:00.000Z',
  validUntil: '2030-04-01T00:00:00.000Z',
  maxRedemptions: 2,
  lotLifetimeDays: null,
  createdAt: '2030-02-01T00:00:00.000Z',
  redeemed: 0,
};

describe('promoStatus', () => {
  it('tells active codes from not-yet-valid, expired (until is exclusive) and used-up ones', () => {
    expect(promoStatus(promo, Date.UTC(2030, 2, 10))).toBe('active');
    expect(promoStatus(promo, Date.UTC(2030, 1, 28))).toBe('not yet valid');
    expect(promoStatus(promo, Date.UTC(2030, 3, 1))).toBe('expired');
    expect(promoStatus({ ...promo, redeemed: 2 }, Date.UTC(2030, 2, 10))).toBe('used up');
  });
});
