import { describe, expect, it } from 'vitest';
import { BadTokenLimiter } from './bad-token-limiter.ts';

describe('BadTokenLimiter', () => {
  it('blocks a client past the limit until its window ends, and says so once per window', () => {
    let now = 1_000_000;
    const limiter = new BadTokenLimiter({ maxFailures: 3, windowMs: 60_000, now: () => now });
    expect([1, 2, 3].map(() => limiter.recordFailure('a'))).toEqual([false, false, true]);
    expect(limiter.recordFailure('a')).toBe(false);
    expect(limiter.blockedFor('a')).toBe(60);
    expect(limiter.blockedFor('b')).toBeUndefined();
    now += 45_500;
    expect(limiter.blockedFor('a')).toBe(15);
    now += 14_500;
    expect(limiter.blockedFor('a')).toBeUndefined();
    expect(limiter.recordFailure('a')).toBe(false);
  });

  it('keeps at most maxClients windows, dropping the oldest', () => {
    const limiter = new BadTokenLimiter({ maxFailures: 1, maxClients: 2, now: () => 0 });
    limiter.recordFailure('a');
    limiter.recordFailure('b');
    limiter.recordFailure('c');
    expect(limiter.blockedFor('a')).toBeUndefined();
    expect(limiter.blockedFor('b')).toBe(60);
    expect(limiter.blockedFor('c')).toBe(60);
  });
});
