import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { errorCodes, type ErrorCode } from '../core/errors.ts';
import { errorStatus, retryAfterSeconds } from './error-status.ts';

const codes = Object.keys(errorCodes) as ErrorCode[];

/** The rows of the errors table in docs/api.md: code -> status. */
async function documentedCodes(): Promise<Map<string, number>> {
  const text = await readFile(new URL('../../docs/api.md', import.meta.url), 'utf8');
  const start = text.search(/^\| code +\| status +\| meaning +\|$/m);
  expect(start, 'docs/api.md has the errors table').toBeGreaterThan(0);
  const rows = text.slice(start).split('\n\n')[0]?.split('\n').slice(2) ?? [];
  const documented = new Map<string, number>();
  for (const row of rows) {
    const match = /^\| `([a-z_]+)` +\| (\d{3}) +\|/.exec(row);
    expect(match, `malformed row: ${row}`).not.toBeNull();
    if (match === null) continue;
    expect(documented.has(match[1] as string), `${match[1]} is listed twice`).toBe(false);
    documented.set(match[1] as string, Number(match[2]));
  }
  return documented;
}

describe('the error-status table', () => {
  it('docs/api.md lists exactly the registry codes, each with its status', async () => {
    const documented = await documentedCodes();
    expect([...documented.keys()].sort()).toEqual([...codes].sort());
    for (const code of codes) expect(documented.get(code), code).toBe(errorStatus[code]);
  });

  it('maps every code to a 4xx, or to 5xx only for failures worth retrying and bugs', () => {
    for (const code of codes) {
      const status = errorStatus[code];
      if (status >= 500) expect(['internal', 'payment_unavailable', 'store_unavailable']).toContain(code);
      else expect(status).toBeGreaterThanOrEqual(400);
    }
  });

  it('follows the naming rules: *_not_found and *_unknown are 404, *_exists are 409', () => {
    for (const code of codes) {
      if (code.endsWith('_not_found') || code.endsWith('_unknown')) expect(errorStatus[code], code).toBe(404);
      if (code.endsWith('_exists')) expect(errorStatus[code], code).toBe(409);
    }
  });

  it('sends Retry-After with every 503', () => {
    for (const code of codes) {
      if (errorStatus[code] === 503) expect(retryAfterSeconds[code], code).toBeGreaterThan(0);
    }
  });
});
