import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchBrowser, newPage, PHONE, screenshot, type TestPage } from './browser.ts';
import { startTestServer, type TestServer } from './server.ts';
import { expectAlert, expectStatus, go, overflow, signIn } from './ui.ts';

/**
 * The web UI's second pass (issue 14), item by item, at desktop (1280) and
 * phone (390) widths: sign-in by token alone, a revoked token, loading and
 * error states, stale messages, the job page, confirmations, the operator's
 * limits, tokens, purchases and refunds, promo statuses, cancelled jobs, the
 * clock's example, the charts, phone tables, page titles and unknown routes,
 * and what the wallet announces.
 */
let server: TestServer;
let browser: Browser;
const tokens = new Map<string, string>();

async function register(id: string, name: string): Promise<string> {
  await server.admin('POST', '/v1/freelancers', { id, name, registeredAt: '2030-03-01T00:00:00.000Z' });
  const { token } = await server.admin<{ token: string }>('POST', `/v1/freelancers/${id}/tokens`);
  tokens.set(id, token);
  return token;
}

const token = (id: string): string => tokens.get(id) ?? '';
const setClock = (now: string) => server.admin('PUT', '/v1/admin/clock', { now });
const widths = [
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const;

async function closing(tp: TestPage): Promise<void> {
  expect(tp.problems).toEqual([]);
  await tp.context.close();
}

beforeAll(async () => {
  server = await startTestServer();
  await setClock('2030-03-01T00:00:00.000Z');
  for (const [id, name] of [
    ['fl_mia', 'Mia'],
    ['fl_rev_desktop', 'Rev'],
    ['fl_rev_phone', 'Rev'],
    ['fl_new', 'Noor'],
  ] as const) {
    await register(id, name);
  }
  await setClock('2030-03-10T12:00:00.000Z');
  await server.admin('POST', '/v1/freelancers/fl_mia/purchases', {
    purchaseId: 'pur-mia-1',
    connects: 20,
    card: '4242424242424242',
  });
  const day = (d: string) => `${d}T00:00:00.000Z`;
  for (const [code, from, until, max] of [
    ['OLD', day('2030-01-01'), day('2030-02-01'), 10],
    ['LATER', day('2030-06-01'), day('2030-07-01'), 10],
    ['ONCE', day('2030-03-01'), day('2030-04-01'), 1],
    ['NOW', day('2030-03-01'), day('2030-04-01'), 10],
  ] as const) {
    await server.admin('POST', '/v1/promo-codes', {
      code,
      connects: 5,
      validFrom: from,
      validUntil: until,
      maxRedemptions: max,
    });
  }
  await server.admin('POST', '/v1/freelancers/fl_new/promo-redemptions', { code: 'ONCE' });
  await server.admin('POST', '/v1/jobs', { id: 'j-soon-closed', clientId: 'c-1', budgetCents: 20_000 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('signing in and out (items 1, 2, 15)', () => {
  for (const [name, viewport] of widths) {
    it(`signs a freelancer in with the token alone and back out when it is revoked (${name})`, async () => {
      const id = `fl_rev_${name}`;
      const tp = await newPage(browser, server.url, viewport);
      const { page } = tp;
      await signIn(page, token(id));
      await page.getByRole('heading', { name: 'Your wallet' }).waitFor();
      expect(await page.title()).toBe('Wallet · Connects');
      await go(page, 'History');
      expect(await page.title()).toBe('History · Connects');
      await page.getByTestId('history').waitFor();

      const { tokens: list } = await server.admin<{ tokens: { tokenId: string }[] }>(
        'GET',
        `/v1/freelancers/${id}/tokens`,
      );
      await server.admin('DELETE', `/v1/freelancers/${id}/tokens/${list[0]?.tokenId ?? ''}`);
      for (let i = 0; i < 10; i += 1) tp.expect(401, /^\/v1\//);
      // The next request with the revoked token answers 401: back to sign-in, saying why.
      await page.reload();
      await page.getByTestId('session-ended').getByText('Your session ended').waitFor();
      await page.getByLabel('Token').waitFor();
      expect(await page.title()).toBe('Sign in · Connects');
      await screenshot(page, `session-ended-${name}`, { docs: name === 'phone' });
      await closing(tp);
    });
  }

  it('says so at an unknown address, for a freelancer and for the operator', async () => {
    const tp = await newPage(browser, server.url);
    const { page } = tp;
    await signIn(page, token('fl_mia'));
    await page.goto('/no-such-page');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(await page.title()).toBe('Page not found · Connects');
    await page.getByRole('link', { name: 'Go to your wallet' }).click();
    await page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, server.adminToken);
    await page.goto('/admin/nothing-here');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await closing(tp);
  });
});

describe('states you can trust (items 4, 5, 6)', () => {
  it('says what failed with the request id, retries only when it can help, and never loads forever', async () => {
    const tp = await newPage(browser, server.url);
    const { page } = tp;
    await signIn(page, token('fl_mia'));
    await page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    await page.route('**/v1/freelancers/*/lots*', (route) =>
      route.fulfill({
        status: 502,
        contentType: 'text/html',
        headers: { 'x-request-id': 'req-502-test' },
        body: '<html><body>Bad gateway</body></html>',
      }),
    );
    for (let i = 0; i < 4; i += 1) tp.expect(502, /\/lots$/);
    await page.reload();
    const error = page.getByTestId('load-error').first();
    await error
      .getByText('The service did not answer properly (HTTP 502). Please try again shortly.')
      .waitFor();
    await error.getByText('req-502-test').waitFor();
    expect(await page.getByText('<html>').count()).toBe(0);
    expect(await page.getByText('Loading the lots…').count()).toBe(0);
    await page.unroute('**/v1/freelancers/*/lots*');
    await error.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('lots').waitFor();
    expect(await page.getByTestId('load-error').count()).toBe(0);

    // A job that does not exist: a 404 is not worth retrying.
    tp.expect(404, /^\/v1\/jobs\/no-such-job$/);
    await page.goto('/jobs/no-such-job');
    await page.getByTestId('load-error').getByText('No job with that id.').waitFor();
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    expect(await page.getByText('Loading the job…').count()).toBe(0);
    await closing(tp);
  });

  it('clears a message once the values it was about change', async () => {
    const tp = await newPage(browser, server.url, PHONE);
    const { page } = tp;
    await signIn(page, token('fl_mia'));
    await go(page, 'Buy & redeem');
    await page.getByRole('radio', { name: 'Other amount' }).check();
    await page.getByLabel('Connects to buy').fill('5');
    await page.getByRole('button', { name: 'Buy' }).click();
    await expectAlert(page, 'Enter a whole number of Connects from 10 to');
    await page.getByLabel('Connects to buy').fill('25');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByTestId('price').textContent()).toBe('$3.75');
    // The purchase made earlier is listed, with its price and card.
    await page.getByTestId('purchases').getByText('20 Connects').first().waitFor();
    await page.getByTestId('purchases').getByText('$3.00 (card …4242)').waitFor();
    // The history on a phone: one card per entry, labels on one line ("What", never "Wh / at").
    await go(page, 'History');
    await page.getByTestId('history').waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    const label = await page.evaluate<string>(
      `getComputedStyle(document.querySelector('[data-testid="history"] td[data-label="What"]'), '::before').whiteSpace`,
    );
    expect(label).toBe('nowrap');
    await closing(tp);
  });
});

describe('the job page (item 7)', () => {
  it('shows the proposal instead of the form once applied, and withdraws it', async () => {
    await server.admin('POST', '/v1/jobs', { id: 'j-withdraw', clientId: 'c-2', budgetCents: 30_000 });
    const tp = await newPage(browser, server.url);
    const { page } = tp;
    await signIn(page, token('fl_mia'));
    await page.goto('/jobs/j-withdraw');
    expect(await page.getByLabel('Your bid (USD)').getAttribute('placeholder')).toBeNull();
    await page.getByText('0 proposals', { exact: true }).waitFor();
    await page.getByLabel('Your bid (USD)').fill('200');
    await page.getByRole('button', { name: 'Submit proposal' }).click();
    await expectStatus(page, 'Proposal sent: 4 Connects to apply.');
    await page.getByText('1 proposal', { exact: true }).waitFor();
    // After a reload the page still knows: no second proposal can be sent, and Withdraw is there.
    await page.reload();
    await page.getByTestId('applied').waitFor();
    await page.getByRole('button', { name: 'Withdraw proposal' }).click();
    await expectStatus(page, 'Proposal withdrawn.');
    await page.getByText('You withdrew your proposal to this job.').waitFor();
    await closing(tp);
  });
});

describe('the operator console (items 8-12)', () => {
  it('does not "create" an existing freelancer, and states the limits of a grant in the operator’s words', async () => {
    const tp = await newPage(browser, server.url);
    const { page } = tp;
    await signIn(page, server.adminToken);
    await go(page, 'Freelancers');
    const create = page.getByRole('region', { name: 'Create a freelancer' });
    await create.getByLabel('Freelancer id').fill('fl_mia');
    await create.getByRole('button', { name: 'Create and issue a token' }).click();
    await expectStatus(page, 'Mia (fl_mia) already exists, registered Mar 1, 2030: nothing was granted.');
    await page.getByText('This token will not be shown again').first().waitFor();

    await page.goto('/admin/freelancers/fl_mia');
    expect(await page.title()).toBe('Freelancer fl_mia · Connects');
    const amount = page.getByLabel('Connects (negative to take back)');
    await amount.fill('5000000');
    await page.getByLabel('Reason').fill('Typo test');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expectAlert(page, 'One grant or adjustment is at most 1,000,000 Connects either way');
    await amount.fill('-100000');
    tp.expect(409, /^\/v1\/admin\/grants$/);
    await page.getByRole('button', { name: 'Apply' }).click();
    await expectAlert(
      page,
      /^The freelancer has only \d+ Connects available, so that many cannot be taken back\.$/,
    );
    expect(await page.getByText('Buy Connects or redeem').count()).toBe(0);
    await closing(tp);
  });

  it('issues a token shown once with a copy button, revokes one, and refunds a purchase', async () => {
    const tp = await newPage(browser, server.url);
    const { page } = tp;
    await signIn(page, server.adminToken);
    await page.goto('/admin/freelancers/fl_mia');
    const panel = page.getByRole('region', { name: 'API tokens' });
    await panel.getByRole('button', { name: 'Issue a new token' }).click();
    await expectStatus(page, /^Issued token /);
    expect(await panel.getByTestId('issued-token').textContent()).toMatch(/^cfl_/);
    await panel.getByRole('button', { name: 'Copy token' }).click();
    await panel.getByText('This token will not be shown again: copy it now').waitFor();
    const before = await panel.getByRole('button', { name: /^Revoke token / }).count();
    await panel
      .getByRole('button', { name: /^Revoke token / })
      .last()
      .click();
    await expectStatus(page, /^Revoked token .*: it stops working at once\.$/);
    await panel
      .getByText(/^revoked /)
      .first()
      .waitFor();
    expect(await panel.getByRole('button', { name: /^Revoke token / }).count()).toBe(before - 1);

    const purchases = page.getByRole('region', { name: 'Purchases' });
    await purchases.getByRole('button', { name: 'Refund…' }).click();
    await purchases.getByRole('button', { name: 'Confirm refund' }).click();
    await expectStatus(page, /^Refunded \$3\.00 for 20 Connects; \d+ Connects still unspent were removed\.$/);
    await purchases.getByText('refunded', { exact: true }).waitFor();
    await page.getByTestId('history').getByText('Purchase refunded: unspent Connects removed').waitFor();
    await closing(tp);
  });

  it('shows each promo code’s status, keeps cancelled jobs listed, and accepts prices up to 10,000', async () => {
    const tp = await newPage(browser, server.url);
    const { page } = tp;
    await signIn(page, server.adminToken);
    await go(page, 'Promo codes');
    const row = (code: string) => page.getByTestId('promo-codes').locator('tr', { hasText: code });
    await row('OLD').getByText('expired').waitFor();
    await row('LATER').getByText('not yet valid').waitFor();
    await row('ONCE').getByText('used up').waitFor();
    await row('NOW').getByText('active').waitFor();
    await page.getByText('Valid (until is exclusive)').waitFor();

    await go(page, 'Jobs');
    await page
      .getByRole('region', { name: 'Post a job' })
      .getByLabel('Job id', { exact: true })
      .fill('j-pricey');
    await page.getByLabel('Explicit price in Connects (optional)').fill('5000');
    await page.getByRole('button', { name: 'Post job' }).click();
    await expectStatus(page, 'Job j-pricey posted; applying costs 5,000 Connects.');
    await page.getByRole('button', { name: 'Cancel job j-pricey…' }).click();
    const group = page.getByRole('group', { name: 'Cancel job j-pricey' });
    await group.getByLabel('Reason').selectOption('tos');
    await group.getByRole('button', { name: 'Confirm' }).click();
    await expectStatus(page, 'Job j-pricey removed: 0 Connects refunded.');
    await page
      .getByTestId('jobs-admin')
      .locator('tr', { hasText: 'j-pricey' })
      .getByText('removed', { exact: true })
      .waitFor();
    await closing(tp);
  });
});

describe('charts and phones (items 13, 14)', () => {
  for (const [name, viewport] of widths) {
    it(`draws charts with axes, readable labels and a tooltip on hover, focus or tap (${name})`, async () => {
      const tp = await newPage(browser, server.url, viewport);
      const { page } = tp;
      await signIn(page, server.adminToken);
      const chart = page.locator('figure.chart').first();
      await chart.waitFor();
      // A y axis with gridlines and a unit; x labels that do not collide and are at least 12 px.
      expect(await chart.locator('.visx-axis-left .chart-tick').count()).toBeGreaterThanOrEqual(2);
      expect(await chart.locator('.visx-rows line').count()).toBeGreaterThanOrEqual(2);
      await chart.getByText('Connects', { exact: true }).first().waitFor();
      const boxes = await chart.locator('.visx-axis-bottom .chart-tick').evaluateAll((els) =>
        els.map((el) => {
          const r = el.getBoundingClientRect();
          return { left: r.left, right: r.right, height: r.height };
        }),
      );
      expect(boxes.length).toBeGreaterThan(1);
      for (const [i, box] of boxes.entries()) {
        expect(box.height).toBeGreaterThanOrEqual(12);
        const next = boxes[i + 1];
        if (next !== undefined) expect(box.right).toBeLessThanOrEqual(next.left);
      }
      const period = chart.locator('.chart-period').last();
      if (name === 'phone') await period.tap();
      else await period.hover();
      await chart
        .getByTestId('chart-tooltip')
        .getByText(/^Issued: /)
        .waitFor();
      await page.mouse.move(0, 0);
      await chart.locator('.chart-period').first().focus();
      await chart
        .getByTestId('chart-tooltip')
        .getByText(/^Spent: /)
        .waitFor();
      // One colour per meaning: Expired here is the colour of Expiring in the wallet.
      const colour = (legend: string) =>
        page.evaluate<string>(
          `getComputedStyle([...document.querySelectorAll('.legend li')].find((li) => li.textContent === '${legend}').querySelector('.swatch')).backgroundColor`,
        );
      const expired = await colour('Expired');
      expect(expired).toBe('rgb(180, 83, 9)');
      await page.goto('/admin/freelancers/fl_mia');
      await page.locator('figure.chart').first().waitFor();
      expect(await colour('Expiring')).toBe(expired);
      await screenshot(page, `operator-freelancer-${name}`);
      await closing(tp);
    });
  }

  it('shows tables as one card per row on a phone, with nothing cut off', async () => {
    const tp = await newPage(browser, server.url, PHONE);
    const { page } = tp;
    await signIn(page, server.adminToken);
    for (const [link, table] of [
      ['Promo codes', 'promo-codes'],
      ['Jobs', 'jobs-admin'],
      ['Policy', 'policy-timeline'],
    ] as const) {
      await go(page, link);
      await page.getByTestId(table).waitFor();
      expect(await overflow(page), link).toBeLessThanOrEqual(0);
      const display = await page.evaluate<string>(
        `getComputedStyle(document.querySelector('[data-testid="${table}"] tbody tr')).display`,
      );
      expect(display, link).toBe('block');
      if (link === 'Promo codes') await screenshot(page, 'operator-promo-codes-phone', { docs: true });
    }
    await closing(tp);
  });
});

describe('time passes (items 3, 7, 16)', () => {
  it('groups the badge’s charges by week, closes boosting, and tells the wallet what expires and what just did', async () => {
    await server.admin('PUT', '/v1/freelancers/fl_mia/availability-badge', {
      on: true,
      weeklyMaxConnects: 10,
    });
    await setClock('2030-03-24T12:00:00.000Z');
    await server.admin('POST', '/v1/admin/tick');
    const tp = await newPage(browser, server.url);
    const { page } = tp;
    await signIn(page, token('fl_mia'));
    await page.getByTestId('next-allotment').getByText('Apr 1, 2030').waitFor();

    await go(page, 'History');
    const history = page.getByTestId('history');
    await history
      .getByText(/Available-now badge, week of Mar 18, 2030/)
      .first()
      .waitFor();
    await history
      .getByText(/\(\d+ charges\)/)
      .first()
      .waitFor();
    const times = await history
      .locator('tbody tr td:first-child')
      .evaluateAll((els) => els.map((el) => Date.parse((el.textContent ?? '').replace(' UTC', ' UTC'))));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    await page.getByLabel('Type').selectOption('forfeit');
    await page.getByText('No entries for this filter.').waitFor();
    expect(await page.getByRole('button', { name: 'Older' }).count()).toBe(0);
    await page.getByLabel('Type').selectOption('');
    await screenshot(page, 'freelancer-history', { docs: true });

    // The job's boosting closed a week after it was posted: the boost field is disabled.
    await page.goto('/jobs/j-soon-closed');
    await page.getByText('Boosting has closed for this job; you can still apply without a boost.').waitFor();
    expect(await page.getByLabel('Boost (optional, Connects)').isDisabled()).toBe(true);

    await server.admin('PUT', '/v1/freelancers/fl_mia/availability-badge', {
      on: false,
      weeklyMaxConnects: 10,
    });
    await setClock('2031-02-20T00:00:00.000Z');
    await go(page, 'Wallet');
    await page.reload();
    const news = page.getByTestId('wallet-news');
    await news.getByText(/^Expiring soon: \d+ Connects expire on Mar 1, 2031\./).waitFor();
    // No scheduler run since March 2030: the allotment is due, not in the past tense of "next".
    await page.getByTestId('next-allotment').getByText('Monthly allotment due since').waitFor();
    await screenshot(page, 'freelancer-wallet-news');
    await setClock('2031-03-05T00:00:00.000Z');
    await page.reload();
    await news.getByText(/^Just expired: \d+ Connects on Mar 1, 2031\./).waitFor();
    await closing(tp);
  });
});
