import { describe, expect, it } from 'vitest';
import { testCards, TestPaymentProvider } from './test-provider.ts';

const request = (card: string, key = 'k1', amountCents = 150) =>
  ({ idempotencyKey: key, amountCents, currency: 'USD', card, description: 'test' }) as const;

describe('test payment provider (the contract a real adapter keeps)', () => {
  it('succeeds, declines or fails transiently by test card', async () => {
    const p = new TestPaymentProvider();
    expect((await p.charge(request(testCards.succeeds, 'a'))).status).toBe('succeeded');
    expect(await p.charge(request(testCards.declined, 'b'))).toEqual({
      status: 'declined',
      reason: 'card declined',
    });
    expect(await p.charge(request(testCards.transientFailure, 'c'))).toMatchObject({
      status: 'failed',
      retryable: true,
    });
    expect((await p.charge(request('4111111111111111', 'd'))).status).toBe('declined');
  });

  it('replays the first outcome for the same idempotency key', async () => {
    const p = new TestPaymentProvider();
    const first = await p.charge(request(testCards.succeeds, 'same'));
    const again = await p.charge(request(testCards.succeeds, 'same'));
    const other = await p.charge(request(testCards.succeeds, 'other'));
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('refunds at most what was charged, idempotently', async () => {
    const p = new TestPaymentProvider();
    const charge = await p.charge(request(testCards.succeeds, 'c1', 300));
    if (charge.status !== 'succeeded') throw new Error('charge failed');
    const r1 = await p.refund({ idempotencyKey: 'r1', chargeId: charge.chargeId, amountCents: 200 });
    expect(r1.status).toBe('succeeded');
    expect(await p.refund({ idempotencyKey: 'r1', chargeId: charge.chargeId, amountCents: 200 })).toEqual(r1);
    const r2 = await p.refund({ idempotencyKey: 'r2', chargeId: charge.chargeId, amountCents: 200 });
    expect(r2.status).toBe('failed');
  });
});
