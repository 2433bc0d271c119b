import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core: no browser download, ever.
 * Pages run in English, in UTC, so formatted dates and money are stable.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export interface TestPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors, page errors and error responses the test did not expect; each test ends asserting it is empty. */
  readonly problems: string[];
  /** Declares an error response the step about to run expects (a refused promo code, a bad token...). */
  expect(status: number, path: RegExp): void;
}

export async function newPage(browser: Browser, baseURL: string, viewport = DESKTOP): Promise<TestPage> {
  const context = await browser.newContext({
    baseURL,
    viewport,
    locale: 'en-US',
    timezoneId: 'UTC',
    acceptDownloads: true,
    // Scale 1 keeps the screenshots in docs/ small; layout is the same at any scale.
    ...(viewport === PHONE ? { isMobile: true, hasTouch: true, deviceScaleFactor: 1 } : {}),
  });
  const page = await context.newPage();
  // A UI step that takes this long is a failure, not a slow machine.
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  const expected: { status: number; path: RegExp }[] = [];
  // Any 4xx/5xx the test did not declare fails it: a UI that calls a route the server lacks, or sends a
  // request the server refuses, is a bug even when the screen looks fine.
  page.on('response', (response) => {
    const status = response.status();
    if (status < 400) return;
    const path = new URL(response.url()).pathname;
    const i = expected.findIndex((e) => e.status === status && e.path.test(path));
    if (i >= 0) expected.splice(i, 1);
    else problems.push(`response: ${status} ${response.request().method()} ${path}`);
  });
  page.on('console', (message) => {
    // The browser logs every error response too; those are judged above, by status and path.
    if (
      message.type() === 'error' &&
      !/^Failed to load resource: the server responded with a status of \d{3}/.test(message.text())
    ) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems, expect: (status, path) => expected.push({ status, path }) };
}

const shotsDir = join(process.cwd(), '.tmp', 'e2e-screenshots');

/**
 * Saves a full-page screenshot under .tmp/e2e-screenshots; with
 * UPDATE_SCREENSHOTS=1 the named ones also refresh docs/screenshots.
 */
export async function screenshot(page: Page, name: string, options: { docs?: boolean } = {}): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });
  if (options.docs === true && process.env.UPDATE_SCREENSHOTS === '1') {
    await page.screenshot({
      path: join(process.cwd(), 'docs', 'screenshots', `${name}.png`),
      fullPage: true,
    });
  }
}
