import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requestHash } from './idempotent-write.ts';

describe('the request hash', () => {
  it('ignores key order and undefined fields, and sees every value, the method and the route', () => {
    const base = requestHash('POST', '/v1/x/:id', { id: 'a', body: { n: 1, s: 'x' } });
    expect(requestHash('POST', '/v1/x/:id', { body: { s: 'x', n: 1, gone: undefined }, id: 'a' })).toBe(base);
    expect(requestHash('POST', '/v1/x/:id', { id: 'a', body: { n: 2, s: 'x' } })).not.toBe(base);
    expect(requestHash('PUT', '/v1/x/:id', { id: 'a', body: { n: 1, s: 'x' } })).not.toBe(base);
    expect(requestHash('POST', '/v1/y/:id', { id: 'a', body: { n: 1, s: 'x' } })).not.toBe(base);
    expect(requestHash('POST', '/v1/x/:id', { id: 'a', body: { n: [1, 2] } })).not.toBe(
      requestHash('POST', '/v1/x/:id', { id: 'a', body: { n: [2, 1] } }),
    );
  });

  it('is the same SHA-256 the route stored in hex before, so stored answers still replay', () => {
    const request = { id: 'a', body: { s: 'x', n: 1 } };
    const before = createHash('sha256')
      .update(JSON.stringify(['POST', '/v1/x/:id', { body: { n: 1, s: 'x' }, id: 'a' }]))
      .digest('hex');
    expect(Buffer.from(requestHash('POST', '/v1/x/:id', request), 'base64url').toString('hex')).toBe(before);
  });
});
