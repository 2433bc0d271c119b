import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** Steps shared by the browser tests, written as a person would do them: by label, role and visible text. */

/** Signs in with a token alone: the server says whose it is (GET /v1/session). */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** The horizontal overflow of the page and of every table box, in pixels (0 when everything fits). */
export async function overflow(page: Page): Promise<number> {
  return page.evaluate<number>(`Math.max(
    document.documentElement.scrollWidth - window.innerWidth,
    ...[...document.querySelectorAll('.table-wrap')].map((el) => el.scrollWidth - el.clientWidth),
  )`);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Token').waitFor();
}

export async function go(page: Page, linkName: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: linkName, exact: true })
    .click();
}

/** The number shown in a stat tile ("Available", "Balance"...). */
export async function stat(page: Page, label: string): Promise<number> {
  const tile = page.locator('.stat', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) });
  const text = (await tile.locator('.stat-value').textContent()) ?? '';
  return Number(text.replaceAll(',', ''));
}

/** Waits until a stat tile shows `expected` (the UI reloads after each change). */
export async function expectStat(page: Page, label: string, expected: number): Promise<void> {
  const tile = page.locator('.stat', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) });
  await tile
    .locator('.stat-value', { hasText: new RegExp(`^${expected.toLocaleString('en-US')}$`) })
    .waitFor();
  expect(await stat(page, label)).toBe(expected);
}

export async function expectStatus(page: Page, text: string | RegExp): Promise<void> {
  await page.getByRole('status').filter({ hasText: text }).first().waitFor();
}

export async function expectAlert(page: Page, text: string | RegExp): Promise<void> {
  await page.getByRole('alert').filter({ hasText: text }).first().waitFor();
}
