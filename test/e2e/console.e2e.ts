import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, PHONE, screenshot } from './browser.ts';
import { startTestServer, type TestServer } from './server.ts';
import { expectAlert, expectStat, expectStatus, go, overflow, signIn, signOut } from './ui.ts';

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

describe('sign-in and the operator console', () => {
  it('refuses a bad token with a clear message and signs the operator in', async () => {
    const { context, page, problems, expect: expectResponse } = await newPage(browser, server.url);
    await page.goto('/');
    expect(await page.title()).toBe('Sign in · Connects');
    await page.getByLabel('Token').fill('not-a-real-token-at-all');
    expectResponse(401, /^\/v1\/session$/);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectAlert(page, 'That token is not valid');
    await signIn(page, server.adminToken);
    await page.getByRole('heading', { name: 'Operator console' }).waitFor();
    await page.getByTestId('clock').waitFor();
    expect(await page.title()).toBe('Overview · Connects');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the policy timeline and survives a reload on a client-side route', async () => {
    const { context, page, problems } = await newPage(browser, server.url);
    await signIn(page, server.adminToken);
    await go(page, 'Policy');
    await page.getByTestId('policy-current').waitFor();
    expect(await page.getByTestId('policy-current').textContent()).toContain('2023');
    // The stored timeline loads after the policy in force: wait for its rows before counting them.
    const rows = page.getByTestId('policy-timeline').locator('tbody tr');
    await rows.nth(3).waitFor();
    expect(await rows.count()).toBe(4);
    await page.reload();
    await rows.nth(3).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/policy');
    await screenshot(page, 'operator-policy', { docs: true });
    await signOut(page);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('moves the manual clock forward and refuses to move it back', async () => {
    const { context, page, problems, expect: expectResponse } = await newPage(browser, server.url);
    await signIn(page, server.adminToken);
    const label = page.getByLabel('Move the clock to (UTC)');
    // The example is a day after the service's time, so following it works.
    const example = (await label.getAttribute('placeholder')) ?? '';
    const now = Date.parse((await server.admin<{ now: string }>('GET', '/v1/admin/clock')).now);
    expect(Date.parse(`${example}T00:00:00Z`)).toBeGreaterThan(now);
    await label.fill('2031-01-15');
    await page.getByRole('button', { name: 'Set clock' }).click();
    await page.getByTestId('clock').filter({ hasText: 'Jan 15, 2031' }).waitFor();
    await label.fill('2030-01-01');
    expectResponse(409, /^\/v1\/admin\/clock$/);
    await page.getByRole('button', { name: 'Set clock' }).click();
    await expectAlert(page, 'The clock only moves forward.');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works by keyboard and at phone width', async () => {
    const { context, page, problems } = await newPage(browser, server.url, PHONE);
    await page.goto('/');
    await screenshot(page, 'sign-in-phone', { docs: true });
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | null>("document.activeElement?.getAttribute('name') ?? null")).toBe(
      'token',
    );
    await page.keyboard.type(server.adminToken);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Operator console' }).waitFor();
    // Nothing is wider than the phone's screen, on any page: tables become one card per row.
    for (const name of ['Overview', 'Promo codes', 'Jobs', 'Policy', 'Freelancers']) {
      await go(page, name);
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      expect(await overflow(page), name).toBeLessThanOrEqual(0);
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('creates a freelancer with a token, looks them up, grants with a reason, and signs in as them', async () => {
    const { context, page, problems } = await newPage(browser, server.url);
    await signIn(page, server.adminToken);
    await go(page, 'Freelancers');
    const create = page.getByRole('region', { name: 'Create a freelancer' });
    await create.getByLabel('Freelancer id').fill('fl_grace');
    await create.getByLabel('Name (optional)').fill('Grace');
    await create.getByRole('button', { name: 'Create and issue a token' }).click();
    await expectStatus(page, 'Created Grace (fl_grace) with the signup grant, and issued a token.');
    expect(await page.getByTestId('issued-token').textContent()).toMatch(/^cfl_/);

    const lookup = page.getByRole('region', { name: 'Look up a freelancer' });
    await lookup.getByLabel('Freelancer id').fill('fl_grace');
    await lookup.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('heading', { name: 'Grace (fl_grace)' }).waitFor();
    await expectStat(page, 'Balance', 50);
    await page.getByLabel('Connects (negative to take back)').fill('15');
    await page.getByLabel('Reason').fill('Apology for the outage on 3 March');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expectStatus(page, 'Granted 15 Connects.');
    await expectStat(page, 'Balance', 65);
    await page.getByTestId('history').getByText('Apology for the outage on 3 March').waitFor();

    await go(page, 'Policy');
    await page.getByLabel('Connects per week').fill('7');
    await page.getByRole('button', { name: 'Set price' }).click();
    await expectStatus(page, 'now costs 7 Connects a week');

    await signOut(page);
    // The created account is remembered on this device: one click signs in as Grace.
    await page.getByRole('button', { name: 'Grace (fl_grace) freelancer' }).click();
    await page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    await expectStat(page, 'Balance', 65);
    expect(problems).toEqual([]);
    await context.close();
  });
});
