import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { idempotencyKeySchema, ledgerKeyPart } from './keys.ts';

describe('idempotency keys', () => {
  it('are 1 to 200 printable ASCII characters, spaces included', () => {
    for (const key of ['k', 'evt 9', 'x'.repeat(200), '~!@#$%^&*()']) {
      expect(idempotencyKeySchema.safeParse(key).success, key).toBe(true);
    }
    for (const key of ['', 'x'.repeat(201), 'clé', 'tab\there', 'line\nbreak']) {
      expect(idempotencyKeySchema.safeParse(key).success, key).toBe(false);
    }
  });

  it('keep a short visible key as the ledger key part and digest any other, as the admin grant route did', () => {
    expect(ledgerKeyPart('evt-9')).toBe('evt-9');
    expect(ledgerKeyPart('x'.repeat(100))).toBe('x'.repeat(100));
    const digest = (key: string) => `sha256-${createHash('sha256').update(key).digest('base64url')}`;
    expect(ledgerKeyPart('x'.repeat(101))).toBe(digest('x'.repeat(101)));
    expect(ledgerKeyPart('evt 9')).toBe(digest('evt 9'));
    expect(`admin:${ledgerKeyPart('y'.repeat(200))}`.length).toBeLessThanOrEqual(200);
  });
});
