import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ADMIN_TOKEN_PATTERN, type Config } from '../config.ts';

/**
 * Where the admin token comes from. Operators set CONNECTS_ADMIN_TOKEN; in
 * the embedded dev default a token is generated once with crypto randomness
 * and kept in the data folder (mode 0600) so it survives restarts.
 */
export const ADMIN_TOKEN_FILE = 'admin-token';
export const ADMIN_TOKEN_PREFIX = 'cad_';

export interface ResolvedAdminToken {
  readonly token: string;
  readonly source: 'environment' | 'file' | 'generated';
  /** The file holding it, for 'file' and 'generated'. */
  readonly file?: string;
}

export async function resolveAdminToken(config: Config): Promise<ResolvedAdminToken> {
  if (config.adminToken !== undefined) return { token: config.adminToken, source: 'environment' };
  // config.ts already refuses this combination; the check keeps a shared database from a local secret.
  if (config.databaseUrl !== undefined) throw new Error('CONNECTS_ADMIN_TOKEN is required with DATABASE_URL');
  const file = join(config.dataDir, ADMIN_TOKEN_FILE);
  const existing = await readTokenFile(file);
  if (existing !== undefined) return { token: existing, source: 'file', file };
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const token = ADMIN_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  try {
    // 'wx': never overwrite; if another process won the race, use its token.
    await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const raced = await readTokenFile(file);
    if (raced === undefined) throw new Error(`${file} exists but holds no valid token`);
    return { token: raced, source: 'file', file };
  }
  return { token, source: 'generated', file };
}

async function readTokenFile(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const token = text.trim();
  if (!ADMIN_TOKEN_PATTERN.test(token)) {
    throw new Error(
      `${file} does not hold a valid admin token (16-200 visible ASCII characters); fix or delete it`,
    );
  }
  // A secret readable by others is tightened rather than trusted as is.
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  return token;
}
