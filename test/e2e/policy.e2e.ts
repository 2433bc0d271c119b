import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, PHONE, screenshot } from './browser.ts';
import { startTestServer, type TestServer } from './server.ts';
import { expectAlert, expectStatus, go, overflow, signIn } from './ui.ts';

/**
 * The policy studio: the operator edits a candidate policy as a form beside
 * the values in force, simulates it against the timeline as it stands,
 * compares the two runs in charts and a table of differences, and schedules
 * it; a scheduled policy can be withdrawn.
 */

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface PolicyList {
  now: string;
  policies: { id: string; state: string; note: string | null; policy: Record<string, unknown> }[];
}

/** The form field of a policy path: its input (by the field's wrapper, which carries the path). */
const field = (page: Page, path: string) => page.locator(`.policy-field[data-path="${path}"]`);

/**
 * A screenshot of one part of the page (the studio is too tall for a useful full-page picture), under
 * .tmp/e2e-screenshots and, with UPDATE_SCREENSHOTS=1, in docs/screenshots.
 */
async function shot(target: Locator | Page, name: string): Promise<void> {
  const dirs = [join('.tmp', 'e2e-screenshots')];
  if (process.env.UPDATE_SCREENSHOTS === '1') dirs.push(join('docs', 'screenshots'));
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    await target.screenshot({ path: join(dir, `${name}.png`) });
  }
}

async function startCandidate(page: Page): Promise<void> {
  await signIn(page, server.adminToken);
  await go(page, 'Policy');
  await page.getByTestId('policy-timeline').waitFor();
  await page.getByRole('button', { name: 'Start a candidate from the policy in force' }).click();
  await page.getByTestId('candidate-form').waitFor();
}

describe('the policy studio', () => {
  it('edits a candidate, simulates it, compares the runs and schedules it', async () => {
    const { context, page, problems, expect: expectResponse } = await newPage(browser, server.url);
    await startCandidate(page);

    // Every field shows the value in force beside it.
    const plus = field(page, 'plans.plus.allotment');
    await expect(plus.locator('.policy-now').textContent()).resolves.toContain('Now: 80');
    await expect(
      field(page, 'plans.plus.priceCents').locator('.policy-now').textContent(),
    ).resolves.toContain('$14.99');
    expect(await page.locator('.policy-field').count()).toBeGreaterThanOrEqual(40);

    // A value the form cannot read is shown beside its field, and nothing is sent.
    await page.getByLabel('Signup grant').fill('forty');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await expectAlert(page, '1 value needs attention');
    await page.getByTestId('problem-grants.signup').filter({ hasText: 'must be a whole number' }).waitFor();
    // Retyping the value clears its message.
    await page.getByLabel('Signup grant').fill('40');
    expect(await page.getByTestId('problem-grants.signup').count()).toBe(0);

    // A value the server refuses comes back beside its field, by its path.
    await page.getByLabel('Smallest purchase').fill('5000');
    expectResponse(400, /^\/v1\/admin\/simulations$/);
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await page.getByTestId('problem-purchase.minConnects').filter({ hasText: 'maxConnects' }).waitFor();
    await page.getByLabel('Smallest purchase').fill('10');

    // The candidate: Plus gets 100 Connects a cycle, Connects cost $0.20, proposals under $50 cost 3.
    await page.getByLabel('Plus allotment per cycle').fill('100');
    await page.getByLabel('Price per Connect').fill('0.20');
    await page.getByLabel('Tier 1: Connects').fill('3');
    expect(await plus.getAttribute('class')).toContain('is-changed');
    await page.getByText('3 fields differ from the policy in force.').waitFor();
    await page.getByRole('group', { name: 'Freelancer Plus' }).evaluate((el) => el.scrollIntoView());
    await shot(page, 'operator-policy-candidate');

    await page.getByLabel('Months (1–36)').fill('6');
    await page.getByLabel('Synthetic freelancers').fill('300');
    await page.getByLabel('Seed').fill('7');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    const results = page.getByTestId('simulation-results');
    await results.waitFor({ timeout: 60_000 });
    await expectStatus(page, 'The simulation finished.');

    // Line charts with units, a legend for both runs, and tooltips with the difference.
    const charts = results.locator('figure.chart');
    expect(await charts.count()).toBe(8);
    const revenue = charts.filter({ hasText: 'Purchase revenue per month (USD)' });
    expect(await revenue.locator('.chart-unit').textContent()).toBe('USD');
    expect(await revenue.locator('.legend li').allTextContents()).toEqual(['Baseline', 'Candidate']);
    expect(await revenue.locator('.chart-tick').first().textContent()).toMatch(/^\$/);
    await revenue.locator('.chart-period').first().hover();
    const tooltip = revenue.getByTestId('chart-tooltip');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toMatch(/Baseline: \$[\d,.]+Candidate: \$[\d,.]+Difference: [+−]?\$/);
    // The same tooltip by keyboard on another chart.
    const issued = charts.filter({ hasText: 'Connects issued per month' });
    await issued.locator('.chart-period').nth(2).focus();
    expect(await issued.getByTestId('chart-tooltip').textContent()).toContain('Candidate:');

    // The table of differences: six months and a total, signed, coloured by whether it is better or worse.
    const table = page.getByTestId('difference-table');
    expect(await table.locator('tbody tr').count()).toBe(7);
    const total = table.locator('tr.diff-total');
    const plusRevenue = await total.locator('td[data-label="Plus revenue"]').textContent();
    expect(plusRevenue).toBe('$0.00');
    const purchase = total.locator('td[data-label="Purchase revenue"]');
    expect(await purchase.textContent()).toMatch(/^[+−]\$/);
    const issuedTotal = (await total.locator('td[data-label="Connects issued"]').textContent()) ?? '';
    expect(issuedTotal).toMatch(/^\+/);
    // Compared with the API's own difference, summed over the months.
    const stored = await server.admin<{ simulations: { id: string }[] }>('GET', '/v1/admin/simulations');
    const sim = await server.admin<{
      result: { difference: { issued: { total: number }; money: { purchaseRevenueCents: number } }[] };
    }>('GET', `/v1/admin/simulations/${stored.simulations[0]?.id ?? ''}`);
    const sum = (f: (m: (typeof sim.result.difference)[number]) => number) =>
      sim.result.difference.reduce((a, m) => a + f(m), 0);
    expect(Number(issuedTotal.replace(/[+,]/g, ''))).toBe(sum((m) => m.issued.total));
    const cents = sum((m) => m.money.purchaseRevenueCents);
    expect(await purchase.getAttribute('class')).toContain(cents > 0 ? 'diff-better' : 'diff-worse');
    // A clean picture for the docs: the pointer away, one month's tooltip by keyboard.
    await page.mouse.move(0, 0);
    await revenue.locator('.chart-period').nth(3).focus();
    await shot(page.getByRole('region', { name: 'Simulate' }), 'operator-policy-simulation');
    // The stored simulation is listed and opens again, with the same comparison.
    await page.getByText('Recent simulations').click();
    const recent = page.getByTestId('recent-simulations');
    expect(await recent.locator('tbody tr').first().textContent()).toContain('300 synthetic');
    await recent.getByRole('button', { name: /^Open/ }).first().click();
    await expectStatus(page, 'The simulation finished.');
    expect(await page.getByText('The form has changed since this simulation ran').count()).toBe(0);

    // Schedule it, with a confirm step: a date in the past is refused before anything is sent.
    await page.getByRole('button', { name: 'Schedule this candidate…' }).click();
    const confirm = page.getByRole('form', { name: 'Confirm the schedule' });
    await confirm.getByLabel('Takes effect (UTC)').fill('2020-01-01');
    await confirm.getByText('Must be at or after the service’s time').waitFor();
    expect(await confirm.getByRole('button', { name: 'Schedule the policy' }).isDisabled()).toBe(true);
    await confirm.getByLabel('Takes effect (UTC)').fill('2031-03-01');
    await confirm
      .getByLabel('Note (why; kept with the policy)')
      .fill('Plus at 100, tested on 300 freelancers');
    await confirm.getByText('it changes 3 fields').waitFor();
    await confirm.getByRole('button', { name: 'Schedule the policy' }).click();
    await expectStatus(page, /Scheduled .*: it takes effect on Mar 1, 2031/);

    // The timeline shows it as scheduled, with the note; the API has exactly what the form said.
    const row = page.getByTestId('policy-timeline').locator('tr[data-state="scheduled"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('Plus at 100, tested on 300 freelancers');
    const list = await server.admin<PolicyList>('GET', '/v1/admin/policies');
    const scheduled = list.policies.find((p) => p.state === 'scheduled');
    expect(scheduled?.note).toBe('Plus at 100, tested on 300 freelancers');
    expect(scheduled?.policy).toMatchObject({
      effectiveFrom: '2031-03-01T00:00:00.000Z',
      plans: { plus: { allotment: 100 } },
      purchase: { unitPriceCents: 20 },
      rateCard: { tiers: [{ belowBudgetCents: 5000, connects: 3 }, {}, {}, {}] },
    });
    await shot(page.getByRole('region', { name: 'Timeline' }), 'operator-policy-timeline');
    await screenshot(page, 'operator-policy-scheduled');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the server’s refusal of a schedule beside the field, then withdraws a scheduled policy', async () => {
    const { context, page, problems, expect: expectResponse } = await newPage(browser, server.url);
    await startCandidate(page);
    await page.getByLabel('Policy id').fill('bids-2032');
    await page.getByLabel('Largest bid').fill('0');
    await page.getByRole('button', { name: 'Schedule this candidate…' }).click();
    const confirm = page.getByRole('form', { name: 'Confirm the schedule' });
    await confirm.getByLabel('Takes effect (UTC)').fill('2032-01-01');
    expectResponse(400, /^\/v1\/admin\/policies$/);
    await confirm.getByRole('button', { name: 'Schedule the policy' }).click();
    await expectAlert(page, 'The policy was refused: see the fields marked in the form.');
    await page.getByTestId('problem-boost.maxBidConnects').waitFor();
    await page.getByLabel('Largest bid').fill('50');
    await confirm.getByRole('button', { name: 'Schedule the policy' }).click();
    await expectStatus(page, /Scheduled .*Jan 1, 2032/);

    // Withdraw the one scheduled for 2032, after a confirmation.
    const row = page.getByTestId('policy-timeline').locator('tr', { hasText: 'Jan 1, 2032' });
    await row.getByRole('button', { name: /Withdraw…/ }).click();
    await page.getByRole('button', { name: 'Withdraw the policy' }).click();
    await expectStatus(page, /Withdrew .*: it will not take effect/);
    await page
      .getByTestId('policy-timeline')
      .locator('tr', { hasText: 'Jan 1, 2032' })
      .waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('fits a phone: the form, the charts and the table of differences', async () => {
    const { context, page, problems } = await newPage(browser, server.url, PHONE);
    await startCandidate(page);
    await page.getByLabel('Months (1–36)').fill('3');
    await page.getByLabel('Synthetic freelancers').fill('100');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await page.getByTestId('simulation-results').waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    // On a phone a page wider than the screen widens the layout viewport instead of scrolling: check it did not.
    expect(await page.evaluate('window.innerWidth')).toBe(PHONE.width);
    await screenshot(page, 'operator-policy-phone');
    // Results from values the form no longer holds say so.
    await page.getByLabel('Signup grant').fill('45');
    await page.getByText('The form has changed since this simulation ran').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('cancels a running simulation', async () => {
    const { context, page, problems } = await newPage(browser, server.url);
    await startCandidate(page);
    await page.getByLabel('Months (1–36)').fill('36');
    await page.getByLabel('Synthetic freelancers').fill('1000000');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await expectStatus(page, /Simulating… \d+%/);
    await page.getByRole('progressbar', { name: 'Simulation progress' }).waitFor();
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expectStatus(page, 'The simulation was cancelled.');
    expect(await page.getByTestId('simulation-results').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
