import { describe, expect, it } from 'vitest';
import { generateSecret, sign, verifyWebhook, webhookHeaders } from './signing.ts';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const now = Date.UTC(2024, 2, 10, 12, 0, 0);

describe('sign', () => {
  it('matches the example published with the Standard Webhooks convention', () => {
    const signature = sign(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(signature).toBe('g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('generates whsec_ secrets of 32 random bytes', () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
  });
});

describe('verifyWebhook', () => {
  const body = '{"id":"evt_1","type":"connects.spent"}';
  const headers = webhookHeaders(secret, 'evt_1', now, body);

  it('accepts what webhookHeaders produced, with timestamp in whole seconds', () => {
    expect(headers['webhook-timestamp']).toBe(String(now / 1000));
    expect(verifyWebhook(secret, headers, body, now)).toEqual({
      ok: true,
      id: 'evt_1',
      timestampSeconds: now / 1000,
    });
  });

  it('reads a fetch Headers object and mixed-case keys', () => {
    expect(verifyWebhook(secret, new Headers(headers), body, now).ok).toBe(true);
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verifyWebhook(secret, upper, body, now).ok).toBe(true);
  });

  it('refuses a tampered body, id or timestamp', () => {
    expect(verifyWebhook(secret, headers, body.replace('spent', 'granted'), now)).toEqual({
      ok: false,
      reason: 'no matching signature',
    });
    expect(verifyWebhook(secret, { ...headers, 'webhook-id': 'evt_2' }, body, now).ok).toBe(false);
    const later = String(now / 1000 + 1);
    expect(verifyWebhook(secret, { ...headers, 'webhook-timestamp': later }, body, now).ok).toBe(false);
  });

  it('refuses another secret', () => {
    expect(verifyWebhook(generateSecret(), headers, body, now).ok).toBe(false);
  });

  it('refuses a timestamp more than five minutes away from the receiver clock', () => {
    expect(verifyWebhook(secret, headers, body, now + 5 * 60_000).ok).toBe(true);
    expect(verifyWebhook(secret, headers, body, now + 5 * 60_000 + 1000)).toEqual({
      ok: false,
      reason: 'timestamp outside the tolerance',
    });
    expect(verifyWebhook(secret, headers, body, now - 6 * 60_000).ok).toBe(false);
    expect(verifyWebhook(secret, headers, body, now + 3_600_000, { toleranceMs: 3_600_000 }).ok).toBe(true);
  });

  it('accepts any one of several signatures (secret rotation) and ignores unknown versions', () => {
    const valid = headers['webhook-signature'] ?? '';
    const several = `v2,abc v1,${Buffer.alloc(32).toString('base64')} ${valid}`;
    expect(verifyWebhook(secret, { ...headers, 'webhook-signature': several }, body, now).ok).toBe(true);
    const none = `v2,${valid.slice(3)}`;
    expect(verifyWebhook(secret, { ...headers, 'webhook-signature': none }, body, now).ok).toBe(false);
  });

  it('refuses missing or malformed headers', () => {
    expect(verifyWebhook(secret, {}, body, now).ok).toBe(false);
    expect(verifyWebhook(secret, { ...headers, 'webhook-timestamp': '12e3' }, body, now)).toEqual({
      ok: false,
      reason: 'malformed webhook-timestamp',
    });
  });
});
