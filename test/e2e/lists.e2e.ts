import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, PHONE, type TestPage } from './browser.ts';
import { startTestServer, type TestServer } from './server.ts';
import { expectStatus, go, overflow, signIn } from './ui.ts';

/**
 * What the UI reads from the API's lists instead of remembering it on the
 * device (issue 14, items 7, 8 and 11): the freelancer's own proposal after
 * a reload in a fresh browser, competitors' bids without one's own, the job
 * a history line is about whatever its proposal id, closed jobs in the
 * console after a reload, and the Connects the scheduler charged for badges.
 */
let server: TestServer;
let browser: Browser;
const tokens = new Map<string, string>();
const token = (id: string): string => tokens.get(id) ?? '';
const setClock = (now: string) => server.admin('PUT', '/v1/admin/clock', { now });

async function closing(tp: TestPage): Promise<void> {
  expect(tp.problems).toEqual([]);
  await tp.context.close();
}

beforeAll(async () => {
  server = await startTestServer();
  await setClock('2030-03-01T00:00:00.000Z');
  for (const id of ['fl_pia', 'fl_quin']) {
    await server.admin('POST', '/v1/freelancers', { id, registeredAt: '2030-03-01T00:00:00.000Z' });
    const { token: t } = await server.admin<{ token: string }>('POST', `/v1/freelancers/${id}/tokens`);
    tokens.set(id, t);
  }
  await setClock('2030-03-10T12:00:00.000Z');
  await server.admin('PUT', '/v1/freelancers/fl_pia/plan', { plan: 'plus', card: '4242424242424242' });
  for (const id of ['j-bid', 'j-api', 'j-close', 'j-keep']) {
    await server.admin('POST', '/v1/jobs', { id, clientId: 'c-1', budgetCents: 20_000 });
  }
  // Proposals sent by the marketplace, with ids that say nothing about their job.
  await server.admin('POST', '/v1/jobs/j-bid/proposals', {
    proposalId: 'q-7f3a',
    freelancerId: 'fl_quin',
    bidCents: 10_000,
  });
  await server.admin('POST', '/v1/jobs/j-api/proposals', {
    proposalId: 'mkt-000123',
    freelancerId: 'fl_pia',
    bidCents: 50_000,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a freelancer’s proposals, from the server', () => {
  it("compares a bid with competitors' bids only, and finds the proposal again in a fresh browser", async () => {
    const first = await newPage(browser, server.url);
    await signIn(first.page, token('fl_pia'));
    await first.page.goto('/jobs/j-bid');
    const range = first.page.getByTestId('bid-range');
    await range.getByText("Competitors' bids (1 proposal)").waitFor();
    await first.page.getByLabel('Your bid (USD)').fill('300');
    await first.page.getByRole('button', { name: 'Submit proposal' }).click();
    await expectStatus(first.page, 'Proposal sent: 4 Connects to apply.');
    await first.page.getByText('2 proposals', { exact: true }).waitFor();
    // Her own $300 stays out: the average is still Quin's $100, not $200.
    await range.getByText("Competitors' bids (1 proposal)").waitFor();
    expect(await range.textContent()).toContain('average $100.00');
    expect(await range.textContent()).not.toContain('yours');
    await closing(first);

    // Another browser knows nothing of the first: the page asks the server.
    const second = await newPage(browser, server.url);
    const { page } = second;
    await signIn(page, token('fl_pia'));
    expect(
      await page.evaluate<string | null>("window.localStorage.getItem('connects.proposals')"),
    ).toBeNull();
    await page.goto('/jobs/j-bid');
    await page
      .getByTestId('applied')
      .getByText(/^You applied to this job on .*: 4 Connects, bid \$300\.00\.$/)
      .waitFor();
    await page.getByRole('button', { name: 'Withdraw proposal' }).click();
    await expectStatus(page, 'Proposal withdrawn.');
    await page.getByText('You withdrew your proposal to this job.').waitFor();
    expect(await page.getByRole('button', { name: 'Submit proposal' }).count()).toBe(0);
    // A proposal the marketplace sent for her shows Withdraw too.
    await page.goto('/jobs/j-api');
    await page.getByRole('button', { name: 'Withdraw proposal' }).waitFor();
    await closing(second);
  });

  it('names the job of every proposal in the history, whatever its id', async () => {
    const tp = await newPage(browser, server.url);
    const { page } = tp;
    await signIn(page, token('fl_pia'));
    await go(page, 'History');
    const history = page.getByTestId('history');
    await history.getByText('Applied to j-api').waitFor();
    await history.getByText('Applied to j-bid').waitFor();
    expect(await history.getByText('Applied to a job').count()).toBe(0);
    await history.getByRole('link', { name: 'j-api' }).click();
    await page.getByRole('heading', { name: 'Job j-api' }).waitFor();
    await closing(tp);
  });
});

describe('the operator console', () => {
  it('keeps cancelled jobs listed after a reload, with a filter by status', async () => {
    const tp = await newPage(browser, server.url);
    const { page } = tp;
    await signIn(page, server.adminToken);
    await go(page, 'Jobs');
    const table = page.getByTestId('jobs-admin');
    await page.getByRole('button', { name: 'Cancel job j-close…' }).click();
    await page
      .getByRole('group', { name: 'Cancel job j-close' })
      .getByRole('button', { name: 'Confirm' })
      .click();
    await expectStatus(page, 'Job j-close cancelled: 0 Connects refunded.');
    await page.reload();
    await table.locator('tr', { hasText: 'j-close' }).getByText('cancelled', { exact: true }).waitFor();
    await table.locator('tr', { hasText: 'j-keep' }).getByText('open', { exact: true }).waitFor();

    await page.getByLabel('Status').selectOption('cancelled');
    await table.locator('tr', { hasText: 'j-keep' }).waitFor({ state: 'detached' });
    expect(await table.locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Status').selectOption('open');
    await table.locator('tr', { hasText: 'j-keep' }).waitFor();
    expect(await table.locator('tr', { hasText: 'j-close' }).count()).toBe(0);
    await page.getByLabel('Status').selectOption('removed');
    await page.getByText('No jobs with this status.').waitFor();
    await closing(tp);
  });

  it('shows the status filter and closed jobs as cards on a phone', async () => {
    const tp = await newPage(browser, server.url, PHONE);
    const { page } = tp;
    await signIn(page, server.adminToken);
    await page.goto('/admin/jobs');
    await page
      .getByTestId('jobs-admin')
      .locator('tr', { hasText: 'j-close' })
      .getByText('cancelled')
      .waitFor();
    expect(await overflow(page)).toBe(0);
    await closing(tp);
  });

  it('says how many Connects the scheduler charged for availability badges', async () => {
    await server.admin('PUT', '/v1/freelancers/fl_quin/availability-badge', {
      on: true,
      weeklyMaxConnects: 10,
    });
    await setClock('2030-03-17T12:00:00.000Z');
    const tp = await newPage(browser, server.url);
    const { page } = tp;
    await signIn(page, server.adminToken);
    await page.getByRole('button', { name: 'Run the scheduler now' }).click();
    // The default price, 5 Connects a week, charged one at a time over the week.
    await expectStatus(page, /5 Connects charged for badges/);
    await closing(tp);
  });
});
