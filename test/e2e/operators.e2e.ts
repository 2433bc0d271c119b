import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, PHONE, screenshot, type TestPage } from './browser.ts';
import { startTestServer, type TestServer } from './server.ts';
import { expectAlert, expectStat, expectStatus, go, overflow, signIn } from './ui.ts';

/**
 * Operators in the console (docs/web-ui.md, "Operators, audit and reports"):
 * the owner creates a support operator, which signs in with its key and sees
 * only its pages, grants Connects, shows up in the audit trail, and is signed
 * out at its next request once the owner revokes the key; finance reads the
 * month's ledger report; a freelancer opens a purchase's receipt. The service
 * clock stands on 10 April 2030, so March 2030 is the last full month.
 */

let server: TestServer;
let browser: Browser;
let owner: TestPage;
let adaToken: string;
let supportKey = '';

const navLinks = async (t: TestPage): Promise<string[]> =>
  (await t.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).map((s) =>
    s.trim(),
  );

beforeAll(async () => {
  server = await startTestServer();
  await server.admin('PUT', '/v1/admin/clock', { now: '2030-03-01T00:00:00.000Z' });
  await server.admin('POST', '/v1/freelancers', {
    id: 'fl_ada',
    name: 'Ada',
    registeredAt: '2030-03-01T00:00:00.000Z',
  });
  adaToken = (await server.admin<{ token: string }>('POST', '/v1/freelancers/fl_ada/tokens')).token;
  await server.admin('PUT', '/v1/admin/clock', { now: '2030-03-05T10:00:00.000Z' });
  await server.admin('POST', '/v1/freelancers/fl_ada/purchases', {
    purchaseId: 'pur-ada-1',
    connects: 20,
    card: '4242424242424242',
  });
  await server.admin('PUT', '/v1/admin/clock', { now: '2030-04-10T12:00:00.000Z' });
  browser = await launchBrowser();
  owner = await newPage(browser, server.url);
  await signIn(owner.page, server.adminToken);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('operators, their roles, the audit trail and the reports', () => {
  it('lets the owner create a support operator and shows its key once', async () => {
    const { page, problems, expect: expectResponse } = owner;
    expect(await navLinks(owner)).toEqual([
      'Overview',
      'Freelancers',
      'Promo codes',
      'Jobs',
      'Policy',
      'Reports',
      'Audit',
      'Operators',
    ]);
    await go(page, 'Operators');
    expect(await page.title()).toBe('Operators · Connects');
    await page.getByText('No operators yet').waitFor();
    const create = page.getByRole('region', { name: 'Create an operator' });
    await create.getByLabel('Operator id').fill('admin');
    await create.getByRole('button', { name: 'Create and issue a key' }).click();
    await expectAlert(page, 'and not "admin"');
    await create.getByLabel('Operator id').fill('sam-support');
    await create.getByLabel('Role').selectOption('support');
    await create.getByText('grants or removes Connects within limits').waitFor();
    await create.getByRole('button', { name: 'Create and issue a key' }).click();
    await expectStatus(page, /Created sam-support \(support\) with key/);
    supportKey = (await page.getByTestId('issued-key').textContent()) ?? '';
    expect(supportKey).toMatch(/^cop_/);
    await page.getByText('This key will not be shown again').waitFor();
    await page.getByRole('button', { name: 'Copy key' }).waitFor();
    const row = page.getByTestId('operators').locator('tr[data-operator="sam-support"]');
    await row.getByText('support', { exact: true }).waitFor();
    await row.getByText('active').waitFor();
    expect(await row.getByText('never expires').count()).toBe(1);

    // The same id again is refused in words, and nothing changes.
    await create.getByLabel('Operator id').fill('sam-support');
    expectResponse(409, /^\/v1\/admin\/operators$/);
    await create.getByRole('button', { name: 'Create and issue a key' }).click();
    await expectAlert(page, 'An operator with that id already exists');

    // A finance operator with an expiry, for the reports below.
    await create.getByLabel('Operator id').fill('fin-1');
    await create.getByLabel('Role').selectOption('finance');
    await create.getByLabel('Key expires on (optional, UTC)').fill('2031-12-31');
    await create.getByRole('button', { name: 'Create and issue a key' }).click();
    await expectStatus(page, /Created fin-1 \(finance\) with key .*, valid until Dec 31, 2031/);
    await page
      .getByTestId('operators')
      .locator('tr[data-operator="fin-1"]')
      .getByText('expires Dec 31, 2031')
      .waitFor();
    await screenshot(page, 'operator-operators', { docs: true });
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.getByTestId('issued-key').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('signs the support operator in with its key and shows only its pages', async () => {
    const support = await newPage(browser, server.url);
    const { page, problems, expect: expectResponse } = support;
    await signIn(page, supportKey);
    // A role without the overview starts on its first page.
    await page.waitForURL('**/admin/freelancers');
    expect(await navLinks(support)).toEqual(['Freelancers', 'Jobs']);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.locator('.who-name').textContent()).toBe('sam-support (support)');
    // Support cannot create freelancers (that issues a token): only look-up and the directory.
    expect(await page.getByRole('region', { name: 'Create a freelancer' }).count()).toBe(0);
    await page.getByTestId('freelancers').getByRole('link', { name: 'Ada (fl_ada)' }).click();
    await page.getByRole('heading', { name: 'Ada (fl_ada)' }).waitFor();
    await expectStat(page, 'Balance', 70);
    // No tokens, no refunds, no audit link for support; the receipt is there.
    expect(await page.getByRole('region', { name: 'API tokens' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Receipt for purchase pur-ada-1' }).waitFor();
    expect(await page.getByRole('button', { name: 'Refund…' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Audit for this freelancer' }).count()).toBe(0);

    // Above the per-action limit: refused in words, nothing written.
    await page.getByLabel('Connects (negative to take back)').fill('500');
    await page.getByLabel('Reason').fill('Too generous');
    expectResponse(403, /^\/v1\/admin\/grants$/);
    await page.getByRole('button', { name: 'Apply' }).click();
    await expectAlert(page, 'at most 200 Connects per action. Nothing was changed.');
    await page.getByLabel('Connects (negative to take back)').fill('15');
    await page.getByLabel('Reason').fill('Ticket 4711: outage on 9 April');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expectStatus(page, 'Granted 15 Connects.');
    await expectStat(page, 'Balance', 85);
    // The history names who wrote the entry.
    await page
      .getByTestId('history')
      .locator('tr', { hasText: 'Ticket 4711: outage on 9 April' })
      .getByText('by sam-support (support)')
      .waitFor();
    // A lot correction: the 15 just granted are voided (a free lot, with a reason).
    const correct = page.getByRole('region', { name: 'Correct a lot' });
    const lotValue = await correct
      .getByLabel('Lot')
      .locator('option', { hasText: 'admin, 15 of 15 left' })
      .getAttribute('value');
    await correct.getByLabel('Lot').selectOption(lotValue ?? '');
    await correct.getByLabel('Correction').selectOption('void');
    await correct.getByLabel('Why (recorded on the entry)').fill('Ticket 4711: granted twice');
    await correct.getByRole('button', { name: 'Correct the lot' }).click();
    await expectStatus(page, /^Voided lot \d+: 15 Connects removed\.$/);
    await expectStat(page, 'Balance', 70);

    // Pages of other roles, hit directly: a clear page, no refused request.
    for (const [path, name] of [
      ['/admin/operators', 'Operators'],
      ['/admin/audit', 'Audit'],
      ['/admin/reports', 'Reports'],
      ['/admin/promo-codes', 'Promo codes'],
    ] as const) {
      await page.goto(path);
      await page.getByRole('heading', { name: 'Not available to your role' }).waitFor();
      expect(await page.getByTestId('not-for-role').textContent()).toContain(
        `Your role (support) cannot see the ${name} page.`,
      );
    }
    // Jobs: the list, no form to post one (that is the marketplace's).
    await go(page, 'Jobs');
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    expect(await page.getByRole('region', { name: 'Post a job' }).count()).toBe(0);
    await page.getByText('No jobs yet.').waitFor();
    expect(problems).toEqual([]);

    // The owner finds the grant in the audit trail, with the actor and its role.
    await go(owner.page, 'Audit');
    const audit = owner.page.getByTestId('audit');
    const grantRow = audit.locator('tr', { hasText: 'Grant or take back Connects' }).filter({
      hasText: 'Done (201)',
    });
    await grantRow.waitFor();
    expect(await grantRow.textContent()).toContain('sam-support');
    expect(await grantRow.locator('td[data-label="Who"]').textContent()).toContain('support');
    expect(await grantRow.getByRole('link', { name: 'fl_ada' }).count()).toBe(1);
    expect(await grantRow.locator('td[data-label="Request id"]').textContent()).not.toBe('');
    const refused = audit.locator('tr', { hasText: 'Refused: limit_exceeded (403)' });
    await refused.waitFor();
    await audit.locator('tr', { hasText: /Void lot \d+/ }).waitFor();
    // Filtered by actor: only sam-support's three requests.
    await owner.page.getByLabel('Operator id').fill('sam-support');
    await owner.page.getByRole('button', { name: 'Show' }).click();
    await owner.page.getByRole('heading', { name: 'Audit trail by sam-support' }).waitFor();
    await expect.poll(() => audit.locator('tbody tr').count()).toBe(3);
    await screenshot(owner.page, 'operator-audit', { docs: true });
    // From the freelancer's page, the audit of that freelancer.
    await owner.page.goto('/admin/freelancers/fl_ada');
    await owner.page.getByRole('link', { name: 'Audit for this freelancer' }).click();
    await owner.page.getByRole('heading', { name: 'Audit trail about fl_ada' }).waitFor();
    expect(await owner.page.getByLabel('Freelancer id').inputValue()).toBe('fl_ada');
    await audit.locator('tr', { hasText: 'sam-support' }).first().waitFor();

    // The owner revokes the key (with a confirmation); the support session ends at its next request.
    await go(owner.page, 'Operators');
    const sam = owner.page.getByTestId('operators').locator('tr[data-operator="sam-support"]');
    await sam.getByRole('button', { name: /^Revoke key .* of sam-support$/ }).click();
    await sam.getByRole('button', { name: /^Confirm revoking/ }).click();
    await expectStatus(owner.page, /Revoked key .* of sam-support: it is refused from the next request on./);
    await sam.getByText(/^revoked /).waitFor();
    expectResponse(401, /^\/v1\/jobs$/);
    await page.getByLabel('Status').selectOption('open');
    await page.getByTestId('session-ended').waitFor();
    await page.getByLabel('Token').waitFor();
    expect(problems).toEqual([]);
    expect(owner.problems).toEqual([]);
    await support.context.close();
  });

  it('shows finance the ledger report for the last full month, with a check of zero', async () => {
    const issued = await server.admin<{ key: string }>('POST', '/v1/admin/operators/fin-1/keys', {});
    const finance = await newPage(browser, server.url);
    const { page, problems } = finance;
    await signIn(page, issued.key);
    expect(await navLinks(finance)).toEqual(['Overview', 'Freelancers', 'Reports', 'Audit']);
    // The overview's totals, without the scheduler and clock (owner only).
    await page.getByTestId('totals').waitFor();
    expect(await page.getByRole('region', { name: 'Scheduler and clock' }).count()).toBe(0);
    await go(page, 'Reports');
    expect(await page.getByLabel('Month').inputValue()).toBe('2030-03');
    await page.getByRole('heading', { name: 'Ledger roll-forward, March 2030' }).waitFor();
    const check = page.getByTestId('report-check');
    expect(await check.textContent()).toContain('Check (closing minus the roll-forward): 0 Connects, $0.00.');
    expect(await check.getAttribute('class')).toContain('notice-ok');
    const report = page.getByTestId('report');
    // Ada's 20 bought Connects are paid ones; her signup and allotment are free.
    const purchases = report.locator('tr', { hasText: 'Purchases' });
    expect(await purchases.locator('td[data-label="Paid Connects"]').textContent()).toBe('20');
    expect(await purchases.locator('td[data-label="Free Connects"]').textContent()).toBe('0');
    await report.locator('tr', { hasText: 'Closing balance' }).waitFor();
    await page.getByText('Deferred revenue, closing').waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('connects-ledger-2030-03.csv');
    await screenshot(page, 'operator-reports', { docs: true });

    // The current month so far, then the audit (finance reads it too).
    await page.getByLabel('Month').selectOption('2030-04');
    await page.getByRole('heading', { name: 'Ledger roll-forward, April 2030' }).waitFor();
    await page.getByText('This month is not over').waitFor();
    await go(page, 'Audit');
    await page.getByTestId('audit').waitFor();
    // A freelancer's page, read only: wallet, history with its CSV, purchases with receipts, the audit link.
    await page.goto('/admin/freelancers/fl_ada');
    await expectStat(page, 'Balance', 70);
    await page.getByRole('button', { name: 'Receipt for purchase pur-ada-1' }).waitFor();
    await page.getByRole('link', { name: 'Audit for this freelancer' }).waitFor();
    await page.getByTestId('history').getByText('by sam-support (support)').first().waitFor();
    for (const panel of ['Grant or adjust Connects', 'Correct a lot', 'API tokens'])
      expect(await page.getByRole('region', { name: panel }).count(), panel).toBe(0);
    expect(await page.getByRole('button', { name: 'Refund…' }).count()).toBe(0);
    const history = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    expect((await history).suggestedFilename()).toBe('connects-fl_ada-history.csv');
    await page.goto('/admin/operators');
    await page.getByRole('heading', { name: 'Not available to your role' }).waitFor();

    // On a phone, the report is one card per line and nothing is wider than the screen.
    const phone = await newPage(browser, server.url, PHONE);
    await signIn(phone.page, issued.key);
    await go(phone.page, 'Reports');
    await phone.page.getByTestId('report').waitFor();
    expect(await overflow(phone.page)).toBeLessThanOrEqual(0);
    await phone.page.goto('/admin/audit');
    await phone.page.getByTestId('audit').waitFor();
    expect(await overflow(phone.page)).toBeLessThanOrEqual(0);
    expect(phone.problems).toEqual([]);
    await phone.context.close();
    expect(problems).toEqual([]);
    await finance.context.close();
  });

  it('opens an integration key on its own page', async () => {
    const created = await server.admin<{ key: string }>('POST', '/v1/admin/operators', {
      id: 'mkt',
      role: 'marketplace',
    });
    const market = await newPage(browser, server.url);
    await signIn(market.page, created.key);
    await market.page.getByRole('heading', { name: 'This key is an integration key' }).waitFor();
    expect(await navLinks(market)).toEqual(['Integration', 'Jobs']);
    await go(market.page, 'Jobs');
    await market.page.getByRole('region', { name: 'Post a job' }).waitFor();
    await market.page.goto('/admin/freelancers/fl_ada');
    await market.page.getByRole('heading', { name: 'Not available to your role' }).waitFor();
    expect(market.problems).toEqual([]);
    await market.context.close();
  });

  it("opens a freelancer's printable receipt without the token in any URL", async () => {
    const ada = await newPage(browser, server.url);
    const { page, problems } = ada;
    await signIn(page, adaToken);
    await go(page, 'Buy & redeem');
    const popupProblems: string[] = [];
    const popupPromise = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Receipt for purchase pur-ada-1' }).click();
    const popup = await popupPromise;
    popup.on('console', (m) => m.type() === 'error' && popupProblems.push(m.text()));
    await popup.getByText('Receipt for a purchase of Connects').waitFor();
    await popup.getByText('pur-ada-1').waitFor();
    await popup.getByText('Total charged (USD)').waitFor();
    expect(popup.url()).not.toContain(adaToken);
    // Its own style applies (a narrow, centred page), though the console's policy refuses inline styles.
    expect(await popup.evaluate<string>('getComputedStyle(document.body).maxWidth')).toBe('640px');
    await expectStatus(page, 'The receipt for purchase pur-ada-1 opened in a new window');
    await screenshot(popup, 'receipt');
    expect(popupProblems).toEqual([]);
    expect(problems).toEqual([]);
    await ada.context.close();
  });
});
