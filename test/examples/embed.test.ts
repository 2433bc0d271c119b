import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** The embedding example runs as the README says and prints what it says it prints. */
describe('examples/embed.ts', () => {
  it('registers, posts, submits a boosted proposal and runs the scheduler on the composition root', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/embed.ts'], {
      timeout: 60_000,
    });
    expect(stdout).toBe(
      'balance after a boosted proposal: { balance: 44, available: 39, held: 5, expiringSoon: 0 }\n' +
        'scheduler run: { cycles: 0, auctionsClosed: 0, complete: true }\n',
    );
  });
});
