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

export async function newPage(
  browser: Browser,
  baseURL: string,
  viewport = DESKTOP,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
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
  // Console errors and failed same-origin requests fail the test that caused them (CSP, bad bundles...).
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !/the server responded with a status of 4\d\d/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems };
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
