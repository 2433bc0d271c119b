import { describe, expect, it } from 'vitest';
import { parseLsn } from './read-replica.ts';

describe('parseLsn', () => {
  it('orders WAL positions as PostgreSQL does, across the 4 GB boundary', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('0/16B3748')).toBe(0x16b3748n);
    expect(parseLsn('1/0')).toBeGreaterThan(parseLsn('0/FFFFFFFF'));
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
  });

  it('refuses what is not a position', () => {
    expect(() => parseLsn('16B374D848')).toThrow(/not an LSN/);
  });
});
