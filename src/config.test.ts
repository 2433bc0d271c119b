import { describe, expect, it } from 'vitest';
import { describeConfig, parseConfig, type Config } from './config.ts';

const TOKEN = 'admin-token-0123456789';

function parsed(env: Record<string, string | undefined>): Config {
  const result = parseConfig(env, '/srv/connects');
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function problems(env: Record<string, string | undefined>): string[] {
  const result = parseConfig(env, '/srv/connects');
  if (result.ok) throw new Error('expected a configuration error');
  expect(result.error.code).toBe('validation_failed');
  return result.error.details?.problems as string[];
}

describe('parseConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(parsed({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      webhookAllowPrivate: false,
      badTokenLimit: 20,
      dataDir: '/srv/connects/data',
      databaseUrl: undefined,
      databaseReadUrl: undefined,
      readMaxLagMs: 5_000,
      adminToken: undefined,
      manualClock: false,
      nodeEnv: 'development',
      marketplaceName: 'Connects Marketplace',
      database: {
        connectMs: 5_000,
        acquireMs: 5_000,
        statementMs: 5_000,
        idleInTransactionMs: 30_000,
        keepAliveMs: 10_000,
      },
      databasePooler: 'auto',
      databasePoolSize: 10,
      supportLimits: { perActionConnects: 200, perDayConnects: 1000 },
    });
  });

  it('reads the support limits, from 0 to 1,000,000 Connects', () => {
    const config = parsed({
      CONNECTS_SUPPORT_MAX_CONNECTS_PER_ACTION: '50',
      CONNECTS_SUPPORT_MAX_CONNECTS_PER_DAY: '0',
    });
    expect(config.supportLimits).toEqual({ perActionConnects: 50, perDayConnects: 0 });
    for (const bad of ['-1', '1.5', '1000001', 'lots']) {
      const result = parseConfig({ CONNECTS_SUPPORT_MAX_CONNECTS_PER_DAY: bad });
      expect(result.ok, bad).toBe(false);
    }
  });

  it('reads the replica settings, and wants the primary with a replica', () => {
    const config = parsed({
      DATABASE_URL: 'postgres://db/connects',
      DATABASE_READ_URL: 'postgres://replica/connects',
      CONNECTS_READ_MAX_LAG_MS: '2000',
      CONNECTS_ADMIN_TOKEN: TOKEN,
    });
    expect(config).toMatchObject({ databaseReadUrl: 'postgres://replica/connects', readMaxLagMs: 2_000 });
    expect(problems({ DATABASE_READ_URL: 'postgres://replica/connects' })).toEqual([
      'DATABASE_READ_URL needs DATABASE_URL (a replica of that primary)',
    ]);
    expect(
      problems({
        DATABASE_URL: 'postgres://db/c',
        DATABASE_READ_URL: 'mysql://r',
        CONNECTS_ADMIN_TOKEN: TOKEN,
      }),
    ).toEqual(['DATABASE_READ_URL must be a postgres:// or postgresql:// URL']);
  });

  it('reads the pooler setting', () => {
    expect(parsed({ CONNECTS_DB_POOL_SIZE: '24' }).databasePoolSize).toBe(24);
    expect(problems({ CONNECTS_DB_POOL_SIZE: '0' })).toEqual([
      'CONNECTS_DB_POOL_SIZE must be a whole number from 1 to 200',
    ]);
    expect(parsed({ CONNECTS_DB_POOLER: 'transaction' }).databasePooler).toBe('transaction');
    expect(parsed({ CONNECTS_DB_POOLER: 'none' }).databasePooler).toBe('none');
    expect(problems({ CONNECTS_DB_POOLER: 'pgbouncer' })).toEqual([
      'CONNECTS_DB_POOLER must be auto, transaction or none',
    ]);
  });

  it('reads the database timeouts (0 turns one off) and refuses what is not a duration', () => {
    expect(
      parsed({
        CONNECTS_DB_CONNECT_TIMEOUT_MS: '1000',
        CONNECTS_DB_ACQUIRE_TIMEOUT_MS: '2000',
        CONNECTS_DB_STATEMENT_TIMEOUT_MS: '0',
        CONNECTS_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '4000',
        CONNECTS_DB_KEEPALIVE_MS: '5000',
      }).database,
    ).toEqual({
      connectMs: 1000,
      acquireMs: 2000,
      statementMs: 0,
      idleInTransactionMs: 4000,
      keepAliveMs: 5000,
    });
    expect(problems({ CONNECTS_DB_STATEMENT_TIMEOUT_MS: '5s', CONNECTS_DB_KEEPALIVE_MS: '-1' })).toEqual([
      'CONNECTS_DB_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds from 0 to 86400000',
      'CONNECTS_DB_KEEPALIVE_MS must be a whole number of milliseconds from 0 to 86400000',
    ]);
  });

  it('reads every variable and freezes the result', () => {
    const config = parsed({
      PORT: '8080',
      HOST: '0.0.0.0',
      CONNECTS_DATA_DIR: 'var/connects',
      DATABASE_URL: 'postgres://app:secret@db:5432/connects',
      CONNECTS_ADMIN_TOKEN: TOKEN,
      CONNECTS_MANUAL_CLOCK: '1',
      NODE_ENV: 'test',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/srv/connects/var/connects',
      databaseUrl: 'postgres://app:secret@db:5432/connects',
      adminToken: TOKEN,
      manualClock: true,
      nodeEnv: 'test',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats empty values as unset', () => {
    expect(parsed({ PORT: '', DATABASE_URL: '', CONNECTS_MANUAL_CLOCK: '' })).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      manualClock: false,
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ PORT: '3000.5' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x', CONNECTS_ADMIN_TOKEN: TOKEN }, 'DATABASE_URL'],
    [{ CONNECTS_ADMIN_TOKEN: 'short' }, 'CONNECTS_ADMIN_TOKEN'],
    [{ CONNECTS_ADMIN_TOKEN: 'has a space in it, long enough' }, 'CONNECTS_ADMIN_TOKEN'],
    [{ CONNECTS_MANUAL_CLOCK: 'yes' }, 'CONNECTS_MANUAL_CLOCK'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ HOST: 'bad host' }, 'HOST'],
  ])('refuses %j naming the variable', (env, variable) => {
    const list = problems(env);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatch(new RegExp(`^${variable} `));
  });

  it('refuses the manual clock in production', () => {
    const list = problems({
      CONNECTS_MANUAL_CLOCK: '1',
      NODE_ENV: 'production',
      CONNECTS_ADMIN_TOKEN: TOKEN,
    });
    expect(list).toEqual([
      'CONNECTS_MANUAL_CLOCK is for tests and demos and is refused when NODE_ENV=production',
    ]);
  });

  it('requires an admin token with PostgreSQL or in production', () => {
    expect(problems({ DATABASE_URL: 'postgres://localhost/x' })).toEqual([
      'CONNECTS_ADMIN_TOKEN is required when DATABASE_URL is set',
    ]);
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      'CONNECTS_ADMIN_TOKEN is required when NODE_ENV=production',
    ]);
  });

  it('lists every problem at once', () => {
    expect(problems({ PORT: 'x', CONNECTS_MANUAL_CLOCK: '2' })).toHaveLength(2);
  });
});

describe('describeConfig', () => {
  it('never shows the database password or the admin token', () => {
    const text = JSON.stringify(
      describeConfig(
        parsed({ DATABASE_URL: 'postgres://app:secret@db/connects', CONNECTS_ADMIN_TOKEN: TOKEN }),
      ),
    );
    expect(text).not.toContain('secret');
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('postgres://app:***@db/connects');
  });
});
