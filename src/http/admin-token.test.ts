import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../config.ts';
import { ADMIN_TOKEN_FILE, resolveAdminToken } from './admin-token.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'connects-admin-token-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function config(env: Record<string, string>): Config {
  const result = parseConfig({ CONNECTS_DATA_DIR: join(dir, 'data'), ...env });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('resolveAdminToken', () => {
  it('uses CONNECTS_ADMIN_TOKEN and writes nothing', async () => {
    const resolved = await resolveAdminToken(config({ CONNECTS_ADMIN_TOKEN: 'operator-chosen-token-1' }));
    expect(resolved).toEqual({ token: 'operator-chosen-token-1', source: 'environment' });
    await expect(stat(join(dir, 'data'))).rejects.toThrow();
  });

  it('generates a random token once into the data folder, mode 0600, and reuses it', async () => {
    const first = await resolveAdminToken(config({}));
    const file = join(dir, 'data', ADMIN_TOKEN_FILE);
    expect(first).toEqual({
      token: expect.stringMatching(/^cad_[A-Za-z0-9_-]{43}$/),
      source: 'generated',
      file,
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.token);
    const second = await resolveAdminToken(config({}));
    expect(second).toEqual({ token: first.token, source: 'file', file });
  });

  it('two data folders get different tokens', async () => {
    const a = await resolveAdminToken(config({}));
    const b = await resolveAdminToken(config({ CONNECTS_DATA_DIR: join(dir, 'other') }));
    expect(a.token).not.toBe(b.token);
  });

  it('tightens a token file that others can read', async () => {
    await resolveAdminToken(config({}));
    const file = join(dir, 'data', ADMIN_TOKEN_FILE);
    await chmod(file, 0o644);
    await resolveAdminToken(config({}));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuses a token file with an unusable token instead of replacing it', async () => {
    await resolveAdminToken(config({}));
    await writeFile(join(dir, 'data', ADMIN_TOKEN_FILE), 'short\n');
    await expect(resolveAdminToken(config({}))).rejects.toThrow(/does not hold a valid admin token/);
  });
});
