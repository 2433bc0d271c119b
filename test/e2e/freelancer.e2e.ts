import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, PHONE, screenshot, type TestPage } from './browser.ts';
import { startTestServer, type TestServer } from './server.ts';
import { expectAlert, expectStat, expectStatus, go, overflow, signIn } from './ui.ts';

/**
 * One freelancer's story through the UI, on a fresh store and a manual
 * clock: registered 1 March 2030, so the upgrade on 10 March 12:00 is rules.md
 * 3.2's worked example (22 of 31 days left: 49 Connects).
 */
let server: TestServer;
let browser: Browser;
let ada: TestPage;
let operator: TestPage;
let adaToken: string;

interface Balance {
  balance: number;
  available: number;
  held: number;
  expiringWithin30Days: number;
}

const balanceOf = (id: string) => server.admin<Balance>('GET', `/v1/freelancers/${id}/balance`);

async function register(id: string, name: string, registeredAt: string): Promise<string> {
  await server.admin('POST', '/v1/freelancers', { id, name, registeredAt });
  const { token } = await server.admin<{ token: string }>('POST', `/v1/freelancers/${id}/tokens`);
  return token;
}

beforeAll(async () => {
  server = await startTestServer();
  await server.admin('PUT', '/v1/admin/clock', { now: '2030-03-01T00:00:00.000Z' });
  adaToken = await register('fl_ada', 'Ada', '2030-03-01T00:00:00.000Z');
  for (const id of ['fl_b1', 'fl_b2', 'fl_b3', 'fl_b4'])
    await register(id, `Rival ${id.slice(-1)}`, '2030-03-01T00:00:00.000Z');
  await server.admin('PUT', '/v1/admin/clock', { now: '2030-03-10T12:00:00.000Z' });
  browser = await launchBrowser();
  ada = await newPage(browser, server.url);
  operator = await newPage(browser, server.url);
  await signIn(operator.page, server.adminToken);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a freelancer in the browser', () => {
  it('signs in and sees the balance, what expires and the lots', async () => {
    const { page } = ada;
    await signIn(page, adaToken);
    await page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    // 40 for signing up plus the first cycle's 10 (rules.md 2.1, 2.9).
    await expectStat(page, 'Balance', 50);
    await expectStat(page, 'Available', 50);
    await expectStat(page, 'Held', 0);
    await expectStat(page, 'Expiring in 30 days', 0);
    expect(await page.getByTestId('lots').locator('tbody tr').count()).toBe(2);
    await page.getByText('50 Connects expire over the next year').waitFor();
    await screenshot(page, 'freelancer-wallet', { docs: true });
  });

  it('buys a bundle, and a declined card adds nothing', async () => {
    const { page } = ada;
    await go(page, 'Buy & redeem');
    await page.getByRole('radio', { name: /^20 Connects/ }).check();
    expect(await page.getByTestId('price').textContent()).toBe('$3.00');
    await page.getByRole('button', { name: 'Pay $3.00' }).click();
    await expectStatus(page, 'Bought 20 Connects for $3.00.');
    await page.getByTestId('available').filter({ hasText: /^70$/ }).waitFor();

    await page.getByRole('radio', { name: 'Other amount' }).check();
    await page.getByLabel('Connects to buy').fill('15');
    expect(await page.getByTestId('price').textContent()).toBe('$2.25');
    await page.getByRole('button', { name: '4000 0000 0000 0002' }).click();
    ada.expect(402, /\/purchases$/);
    await page.getByRole('button', { name: 'Pay $2.25' }).click();
    await expectAlert(page, 'Your card was declined');
    expect((await balanceOf('fl_ada')).available).toBe(70);
    await screenshot(page, 'freelancer-buy', { docs: true });
  });

  it('redeems a promo code the operator created, once', async () => {
    const op = operator.page;
    await go(op, 'Promo codes');
    await op.getByLabel('Code', { exact: true }).fill('SPRING25');
    await op.getByLabel('Connects per redemption').fill('25');
    await op.getByRole('button', { name: 'Create code' }).click();
    await expectStatus(op, 'Promo code SPRING25 created.');

    const { page } = ada;
    await page.getByLabel('Promo code', { exact: true }).fill('SPRING25');
    await page.getByRole('button', { name: 'Redeem' }).click();
    await expectStatus(page, /^Code SPRING25 redeemed: \+25 Connects, expiring on Mar 10, 2031\.$/);
    await page.getByTestId('available').filter({ hasText: /^95$/ }).waitFor();
    await page.getByLabel('Promo code', { exact: true }).fill('SPRING25');
    ada.expect(409, /promo-redemptions$/);
    await page.getByRole('button', { name: 'Redeem' }).click();
    await expectAlert(page, 'You already redeemed that promo code.');
    // Typing again clears the message about the previous code.
    await page.getByLabel('Promo code', { exact: true }).fill('NO-SUCH-CODE');
    expect(await page.getByRole('region', { name: 'Redeem a promo code' }).getByRole('alert').count()).toBe(
      0,
    );
    ada.expect(404, /promo-redemptions$/);
    await page.getByRole('button', { name: 'Redeem' }).click();
    await expectAlert(page, 'That promo code does not exist.');
  });

  it('proposes with a boost, is told when applying twice, and is outbid', async () => {
    const op = operator.page;
    await go(op, 'Jobs');
    await op.getByLabel('Job id', { exact: true }).first().fill('j-logo');
    await op.getByLabel('Budget (USD, optional)').fill('750');
    await op.getByRole('button', { name: 'Post job' }).click();
    // $500-$999 costs 6 Connects on the default rate card (rules.md 5.1).
    await expectStatus(op, 'Job j-logo posted; applying costs 6 Connects.');

    const { page } = ada;
    await go(page, 'Jobs');
    await page.getByRole('link', { name: 'j-logo' }).click();
    expect(await page.getByTestId('job-price').textContent()).toBe('6 Connects');
    await page.getByLabel('Your bid (USD)').fill('500');
    await page.getByLabel('Boost (optional, Connects)').fill('5');
    expect(await page.getByTestId('proposal-cost').textContent()).toBe('11 Connects');
    await page.getByRole('button', { name: 'Submit proposal' }).click();
    await expectStatus(page, 'Proposal sent with a boost of 5 Connects');
    await page.getByTestId('ranking').getByText('Your proposal').waitFor();
    await page.getByTestId('available').filter({ hasText: /^84$/ }).waitFor();
    // Applied: the form gives way to the proposal, with Withdraw; nothing can be sent twice.
    await page.getByTestId('applied').waitFor();
    expect(await page.getByRole('button', { name: 'Submit proposal' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Withdraw proposal' }).waitFor();
    await page.getByText('1 proposal', { exact: true }).waitFor();
    await screenshot(page, 'freelancer-job', { docs: true });

    // Four rivals bid more: Ada's boost falls out of the top 4 and is released (she pays nothing for it).
    for (const [i, id] of ['fl_b1', 'fl_b2', 'fl_b3', 'fl_b4'].entries()) {
      await server.admin('POST', '/v1/jobs/j-logo/proposals', {
        proposalId: `p-${id}`,
        freelancerId: id,
        bidCents: 40_000 + i,
        boostConnects: 10,
      });
    }
    await page.reload();
    await page.getByTestId('ranking').waitFor();
    expect(await page.getByTestId('ranking').getByText('Your proposal').count()).toBe(0);
    await page.getByTestId('available').filter({ hasText: /^89$/ }).waitFor();
    await go(page, 'History');
    await page.getByTestId('history').getByText('Boost on j-logo released').waitFor();
    await page.getByTestId('history').getByText('Applied to j-logo').waitFor();
    await page.getByTestId('history').getByRole('link', { name: 'j-logo' }).first().click();
    await page.getByRole('heading', { name: 'Job j-logo' }).waitFor();
  });

  it('gets the proposal refunded when the job is cancelled', async () => {
    const op = operator.page;
    await op.getByRole('button', { name: 'Cancel job j-logo…' }).click();
    await op
      .getByRole('group', { name: 'Cancel job j-logo' })
      .getByRole('button', { name: 'Confirm' })
      .click();
    // Every proposal's cost comes back (Ada's 6 and the rivals'); the rivals' held boosts are released.
    await expectStatus(
      op,
      /^Job j-logo cancelled: 30 Connects refunded and 40 Connects of held boosts released\.$/,
    );
    // The cancelled job stays in the list, with its status.
    await op.getByTestId('jobs-admin').getByText('cancelled', { exact: true }).waitFor();

    const { page } = ada;
    await go(page, 'Wallet');
    await expectStat(page, 'Available', 95);
    await go(page, 'History');
    await page.getByTestId('history').getByText('Refund: j-logo was cancelled').waitFor();
  });

  it('is refused clearly without enough Connects', async () => {
    await server.admin('POST', '/v1/jobs', { id: 'j-pricey', clientId: 'c-1', connectsRequired: 500 });
    const { page } = ada;
    await page.goto('/jobs/j-pricey');
    await page.getByLabel('Your bid (USD)').fill('100');
    ada.expect(409, /proposals$/);
    await page.getByRole('button', { name: 'Submit proposal' }).click();
    await expectAlert(page, /Not enough Connects/);
  });

  it('sees the prorated amount before upgrading, then the bid range as a Plus member', async () => {
    await server.admin('POST', '/v1/jobs', { id: 'j-site', clientId: 'c-2', budgetCents: 20_000 });
    await server.admin('POST', '/v1/jobs/j-site/proposals', {
      proposalId: 'p-site-1',
      freelancerId: 'fl_b1',
      bidCents: 15_000,
    });
    const { page } = ada;
    await page.goto('/jobs/j-site');
    await page.getByText('Freelancer Plus members see the range').waitFor();

    await go(page, 'Plan & badge');
    expect(await page.getByTestId('plan').textContent()).toBe('Freelancer Basic');
    await page.getByRole('button', { name: 'Upgrade to Plus…' }).click();
    // rules.md 3.2: cycle Mar 1 - Apr 1, upgrade Mar 10 12:00 UTC -> 22 of 31 days left -> 49.
    await page.getByTestId('proration').getByText('49 Connects').waitFor();
    await screenshot(page, 'freelancer-upgrade', { docs: true });
    await page.getByRole('button', { name: 'Confirm upgrade' }).click();
    await expectStatus(page, 'You are on Freelancer Plus. 49 Connects were added for this cycle.');
    await page.getByTestId('plan').filter({ hasText: 'Freelancer Plus' }).waitFor();

    await page.goto('/jobs/j-site');
    await page.getByTestId('bid-range').getByText('$150.00').first().waitFor();
  });

  it('turns the availability badge on with a weekly maximum, and off', async () => {
    const { page } = ada;
    await go(page, 'Plan & badge');
    expect(await page.getByTestId('badge-price').textContent()).toBe('5 Connects');
    await page.getByLabel('Weekly maximum (Connects)').fill('8');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expectStatus(page, '“Available now” is on, up to 8 Connects a week.');
    await page.getByTestId('badge-status').filter({ hasText: 'On' }).waitFor();
    // After a reload the page still knows the badge is on, and its maximum.
    await page.reload();
    await page.getByTestId('badge-status').filter({ hasText: 'On' }).waitFor();
    expect(await page.getByLabel('Weekly maximum (Connects)').inputValue()).toBe('8');
    expect(await page.getByRole('button', { name: 'Turn on' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Turn off' }).click();
    await expectStatus(page, '“Available now” is off.');
    await page.getByTestId('badge-status').filter({ hasText: 'Off' }).waitFor();
    expect(await page.getByRole('button', { name: 'Turn off' }).count()).toBe(0);
  });

  it('sees Connects expiring after the clock moves, then expired', async () => {
    const op = operator.page;
    await go(op, 'Overview');
    await op.getByLabel('Move the clock to (UTC)').fill('2031-02-20');
    await op.getByRole('button', { name: 'Set clock' }).click();
    await expectStatus(op, 'The clock is now Feb 20, 2031');

    const { page } = ada;
    await go(page, 'Wallet');
    const soon = (await balanceOf('fl_ada')).expiringWithin30Days;
    expect(soon).toBeGreaterThan(0);
    await expectStat(page, 'Expiring in 30 days', soon);

    await op.getByLabel('Move the clock to (UTC)').fill('2031-03-11');
    await op.getByRole('button', { name: 'Set clock' }).click();
    await expectStatus(op, 'The clock is now Mar 11, 2031');
    await op.getByRole('button', { name: 'Run the scheduler now' }).click();
    await expectStatus(op, 'Scheduler ran');
    await page.reload();
    await expectStat(page, 'Balance', (await balanceOf('fl_ada')).balance);
    await go(page, 'History');
    await page.getByLabel('Type').selectOption('expiry');
    await page.getByTestId('history').getByText('Expired').first().waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    expect((await download).suggestedFilename()).toBe('connects-fl_ada-history.csv');

    // The operator's totals now reflect the whole story: purchases, spending, expiry.
    await op.reload();
    await op.getByTestId('totals').waitFor();
    expect(await op.getByTestId('totals').getByText('$3.00').count()).toBe(1);
    await screenshot(op, 'operator-overview', { docs: true });
  });

  it('reads well at phone width', async () => {
    const phone = await newPage(browser, server.url, PHONE);
    await signIn(phone.page, adaToken);
    await expectStat(phone.page, 'Balance', (await balanceOf('fl_ada')).balance);
    expect(await overflow(phone.page)).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'freelancer-wallet-phone', { docs: true });
    expect([...ada.problems, ...operator.problems, ...phone.problems]).toEqual([]);
    await phone.context.close();
  });
});
