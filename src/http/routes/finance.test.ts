import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReceipt } from '../receipts/receipt-page.ts';
import { testEngines } from '../../store/testing/test-engines.ts';
import { openTestApi, type TestApi } from '../testing/test-api.ts';

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe.each(testEngines)('finance routes on $name', (engine) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await openTestApi(engine);
    for (const id of ['fin-ada', 'fin-bob']) {
      expect((await api.call('/v1/freelancers', json({ id }))).status).toBe(201);
    }
    const buy = await api.call(
      '/v1/freelancers/fin-ada/purchases',
      json({ purchaseId: 'fin-p1', connects: 40, card: '4242424242424242' }),
    );
    expect(buy.status).toBe(201);
  });
  afterAll(() => api.close());

  it('reports the month with a zero check, as JSON and as CSV', async () => {
    const res = await api.call('/v1/admin/reports/ledger?month=2024-03');
    expect(res.status).toBe(200);
    const report = (await res.json()) as {
      check: unknown;
      issued: { bySource: { purchase: { paid: unknown } } };
      closing: { paid: unknown };
      from: string;
    };
    expect(report.check).toEqual({ connects: 0, cents: 0 });
    expect(report.issued.bySource.purchase.paid).toEqual({ connects: 40, cents: 600 });
    expect(report.closing.paid).toEqual({ connects: 40, cents: 600 });
    expect(report.from).toBe('2024-03-01T00:00:00.000Z');
    const csv = await api.call('/v1/admin/reports/ledger?month=2024-03&format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe(
      'month,section,item,paid_connects,paid_cents,free_connects,free_cents,total_connects,total_cents',
    );
    expect(lines).toContain('2024-03,check,,0,0,0,0,0,0');
    expect(lines).toContain('2024-03,issued,purchase,40,600,0,0,40,600');
  });

  it('refuses a malformed month (400) and one not started by the service clock (422)', async () => {
    const bad = await api.call('/v1/admin/reports/ledger?month=2024-3');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    const future = await api.call('/v1/admin/reports/ledger?month=2024-04');
    expect(future.status).toBe(422);
    expect(((await future.json()) as { error: { code: string } }).error.code).toBe('report_month_in_future');
  });

  it('keeps the report to operators', async () => {
    expect((await api.call('/v1/admin/reports/ledger?month=2024-03', { token: null })).status).toBe(401);
    const token = await api.freelancerToken('fin-ada');
    expect((await api.call('/v1/admin/reports/ledger?month=2024-03', { token })).status).toBe(403);
  });

  it('shows each lot’s cost basis', async () => {
    const res = await api.call('/v1/freelancers/fin-ada/lots');
    const { lots } = (await res.json()) as { lots: { category: string; unitCostCents: number }[] };
    expect(lots.map((l) => [l.category, l.unitCostCents]).sort()).toEqual([
      ['free', 0],
      ['free', 0],
      ['paid', 15],
    ]);
  });

  it('prints a receipt for the freelancer’s own purchase, and 404 for anyone else’s', async () => {
    const token = await api.freelancerToken('fin-ada');
    const res = await api.call('/v1/freelancers/fin-ada/purchases/fin-p1/receipt', { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    for (const text of [
      'Connects Marketplace',
      'fin-p1',
      '40 Connects &times; $0.15',
      '$6.00',
      '2024-03-10',
    ]) {
      expect(html).toContain(text);
    }
    const other = await api.call('/v1/freelancers/fin-bob/purchases/fin-p1/receipt');
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('purchase_not_found');
    expect((await api.call('/v1/freelancers/fin-ada/purchases/nope/receipt')).status).toBe(404);
    const bob = await api.freelancerToken('fin-bob');
    expect((await api.call('/v1/freelancers/fin-ada/purchases/fin-p1/receipt', { token: bob })).status).toBe(
      403,
    );
  });
});

describe('renderReceipt', () => {
  it('escapes the configured name and every stored text', () => {
    const html = renderReceipt('<script>alert(1)</script> & Co', {
      freelancerId: 'fl-1',
      purchaseId: 'p"1',
      status: 'succeeded',
      policyId: '2023',
      connects: 100,
      unitPriceCents: 15,
      priceCents: 1500,
      taxJurisdiction: 'DE',
      taxRateBp: 1900,
      taxCents: 285,
      totalCents: 1785,
      currency: 'USD',
      cardLast4: '4242',
      chargeId: 'ch_1',
      declineReason: null,
      lotNo: 3,
      expiresAt: Date.UTC(2027, 10, 3),
      createdAt: Date.UTC(2026, 10, 3, 9),
      refund: null,
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(html).toContain('p&quot;1');
    expect(html).toContain('Tax (DE, 19%)');
    expect(html).toContain('$17.85');
  });
});
