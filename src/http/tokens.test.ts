import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedEngine } from '../store/testing/test-engines.ts';
import { testEngines } from '../store/testing/test-engines.ts';
import {
  createTokenRepository,
  FREELANCER_TOKEN_PREFIX,
  hashToken,
  MAX_ACTIVE_TOKENS_PER_FREELANCER,
  type TokenRepository,
} from './tokens.ts';

const T0 = Date.UTC(2024, 2, 10, 12);

describe.each(testEngines)('freelancer tokens on $name', (engine) => {
  let opened: OpenedEngine;
  let tokens: TokenRepository;

  beforeAll(async () => {
    opened = await engine.open();
    tokens = createTokenRepository(opened.store);
  });
  afterAll(async () => {
    await opened?.cleanup();
  });

  it('issues a prefixed random token that resolves to its freelancer', async () => {
    const result = await tokens.issue('ada', T0);
    if (!result.ok) throw new Error(result.error.message);
    const issued = result.value;
    expect(issued.token).toMatch(/^cfl_[A-Za-z0-9_-]{43}$/);
    expect(issued.token.startsWith(FREELANCER_TOKEN_PREFIX)).toBe(true);
    expect(issued).toMatchObject({ freelancerId: 'ada', createdAt: T0, revokedAt: null });
    expect(await tokens.resolve(issued.token)).toEqual({ freelancerId: 'ada', tokenId: issued.tokenId });
    // The digest auth already computed finds the same owner; another token's digest finds none.
    const sha256 = (text: string) => createHash('sha256').update(text).digest();
    expect(await tokens.resolve(issued.token, sha256(issued.token))).toEqual(
      await tokens.resolve(issued.token),
    );
    expect(await tokens.resolve(issued.token, sha256('another'))).toBeUndefined();
  });

  it('stores only the SHA-256 hash, never the token', async () => {
    const result = await tokens.issue('hash-check', T0);
    if (!result.ok) throw new Error(result.error.message);
    const rows = await opened.store.query<Record<string, unknown>>(
      "SELECT * FROM freelancer_tokens WHERE freelancer_id = 'hash-check'",
    );
    expect(JSON.stringify(rows.rows)).not.toContain(result.value.token.slice(4));
    expect(rows.rows[0]?.token_hash).toBe(hashToken(result.value.token));
  });

  it('does not resolve unknown or malformed tokens', async () => {
    expect(await tokens.resolve(`cfl_${'A'.repeat(43)}`)).toBeUndefined();
    expect(await tokens.resolve('cfl_short')).toBeUndefined();
    expect(await tokens.resolve("cfl_' OR 1=1 --")).toBeUndefined();
  });

  it('revokes at once, idempotently, keeping the first revocation time', async () => {
    const result = await tokens.issue('rev', T0);
    if (!result.ok) throw new Error(result.error.message);
    const { token, tokenId } = result.value;
    const first = await tokens.revoke('rev', tokenId, T0 + 1000);
    expect(first).toEqual({ ok: true, value: expect.objectContaining({ revokedAt: T0 + 1000 }) });
    const again = await tokens.revoke('rev', tokenId, T0 + 5000);
    expect(again).toEqual({ ok: true, value: expect.objectContaining({ revokedAt: T0 + 1000 }) });
    expect(await tokens.resolve(token)).toBeUndefined();
  });

  it('refuses to revoke a token of another freelancer or an unknown one', async () => {
    const result = await tokens.issue('owner', T0);
    if (!result.ok) throw new Error(result.error.message);
    const other = await tokens.revoke('intruder', result.value.tokenId, T0);
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.error.code).toBe('not_found');
    expect(await tokens.resolve(result.value.token)).toEqual({
      freelancerId: 'owner',
      tokenId: result.value.tokenId,
    });
  });

  it('lists tokens oldest first, revoked ones included', async () => {
    const a = await tokens.issue('lister', T0);
    const b = await tokens.issue('lister', T0 + 1);
    if (!a.ok || !b.ok) throw new Error('issue failed');
    await tokens.revoke('lister', a.value.tokenId, T0 + 2);
    const list = await tokens.list('lister');
    expect(list.map((t) => [t.tokenId, t.revokedAt])).toEqual([
      [a.value.tokenId, T0 + 2],
      [b.value.tokenId, null],
    ]);
  });

  it(`never lets a freelancer hold more than ${MAX_ACTIVE_TOKENS_PER_FREELANCER} active tokens, even concurrently`, async () => {
    const results = await Promise.all(
      Array.from({ length: MAX_ACTIVE_TOKENS_PER_FREELANCER + 5 }, () => tokens.issue('busy', T0)),
    );
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(5);
    for (const r of refused) if (!r.ok) expect(r.error.code).toBe('token_limit_reached');
    const first = results.find((r) => r.ok);
    if (first?.ok) await tokens.revoke('busy', first.value.tokenId, T0);
    expect((await tokens.issue('busy', T0)).ok).toBe(true);
  });

  it('a token resolved before its revocation is refused on the next look-up', async () => {
    const result = await tokens.issue('seen', T0);
    if (!result.ok) throw new Error(result.error.message);
    const { token, tokenId } = result.value;
    expect(await tokens.resolve(token)).toEqual({ freelancerId: 'seen', tokenId });
    expect(await tokens.resolve(token)).toEqual({ freelancerId: 'seen', tokenId });
    expect((await tokens.revoke('seen', tokenId, T0)).ok).toBe(true);
    expect(await tokens.resolve(token)).toBeUndefined();
  });

  it('a look-up running while its token is revoked is not remembered', async () => {
    const result = await tokens.issue('race', T0);
    if (!result.ok) throw new Error(result.error.message);
    const { token, tokenId } = result.value;
    // Started together: the look-up may see the token live; afterwards it must not.
    const [during] = await Promise.all([tokens.resolve(token), tokens.revoke('race', tokenId, T0)]);
    expect([undefined, 'race']).toContain(during?.freelancerId);
    expect(await tokens.resolve(token)).toBeUndefined();
  });
});

describe('freelancer tokens in the embedded store', () => {
  it('remembers live tokens in the one process that owns the store, and forgets them on revocation', async () => {
    const pglite = testEngines.find((e) => e.name === 'pglite');
    if (pglite === undefined) throw new Error('no pglite engine');
    const opened = await pglite.open();
    try {
      let lookups = 0;
      const counted = {
        ...opened.store,
        engine: opened.store.engine,
        query: ((sql: string, params?: never, name?: string) => {
          if (sql.includes('FROM freelancer_tokens') && sql.includes('ANY(')) lookups += 1;
          return opened.store.query(sql, params, name);
        }) as typeof opened.store.query,
        transaction: opened.store.transaction.bind(opened.store),
      };
      const repo = createTokenRepository(counted);
      const issued = await repo.issue('mem', T0);
      if (!issued.ok) throw new Error(issued.error.message);
      for (let i = 0; i < 3; i++) expect((await repo.resolve(issued.value.token))?.freelancerId).toBe('mem');
      expect(lookups).toBe(1);
      expect((await repo.revoke('mem', issued.value.tokenId, T0)).ok).toBe(true);
      expect(await repo.resolve(issued.value.token)).toBeUndefined();
      expect(lookups).toBe(2);
    } finally {
      await opened.cleanup();
    }
  });
});
