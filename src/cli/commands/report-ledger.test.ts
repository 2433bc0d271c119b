// Before any use case's schemas exist (see commands/index.ts).
import '@hono/zod-openapi';
import { afterEach, describe, expect, it } from 'vitest';
import { registerFreelancer } from '../../app/accounts/register-freelancer.ts';
import { buyConnects } from '../../app/purchases/buy-connects.ts';
import { runCli } from '../run.ts';
import { fakeIo } from '../testing/fake-io.ts';
import { commands } from './index.ts';
import { cliTestStores, type CliTestStore } from './support/cli-test-stores.ts';

const NOV_3 = Date.UTC(2026, 10, 3, 9);
const NOW = '--now=2026-12-01T00:00:00Z';

async function report(store: CliTestStore, ...args: string[]) {
  const io = fakeIo(store.env);
  const code = await runCli(['report', 'ledger', ...args], io, commands);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe.each(cliTestStores)('connects report ledger ($name)', ({ open }) => {
  let store: CliTestStore | undefined;
  afterEach(async () => {
    await store?.cleanup();
    store = undefined;
  });

  it('prints the month as text, CSV or JSON, and refuses a bad or future month', async () => {
    const opened = await open();
    store = opened;
    await opened.seed(async (ctx) => {
      const registered = await registerFreelancer(ctx, { id: 'cli-ada' }, NOV_3);
      if (!registered.ok) throw new Error(registered.error.message);
      const card = '4242424242424242';
      const bought = await buyConnects(
        ctx,
        { freelancerId: 'cli-ada', purchaseId: 'p1', connects: 20, card },
        NOV_3,
      );
      if (!bought.ok) throw new Error(bought.error.message);
    });

    const text = await report(opened, '--month', '2026-11', NOW);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^issued purchase +20 +3\.00 +0 +20 +3\.00$/m);
    expect(text.out).toMatch(/^check +0 +0\.00 +0 +0 +0\.00$/m);

    const csv = await report(opened, '--month', '2026-11', '--csv', NOW);
    expect(csv.out.split('\n')).toContain('2026-11,closing,,20,300,50,0,70,300');

    const json = await report(opened, '--month', '2026-11', '--json', NOW);
    const parsed = JSON.parse(json.out) as { check: unknown; from: string };
    expect(parsed.check).toEqual({ connects: 0, cents: 0 });
    expect(parsed.from).toBe('2026-11-01T00:00:00.000Z');

    expect((await report(opened, '--month', '2026-13', NOW)).code).toBe(2);
    const future = await report(opened, '--month', '2027-01', NOW);
    expect(future.code).toBe(1);
    expect(future.err).toContain('report_month_in_future');
    expect((await report(opened, NOW)).code).toBe(2);
  }, 180_000);
});
