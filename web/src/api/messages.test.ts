import { describe, expect, it } from 'vitest';
import { errorCodes, type ErrorCode } from '../../../src/core/errors.ts';
import { ApiError } from './http.ts';
import { describeError, isRetryable } from './messages.ts';

const error = (code: string, details: Record<string, unknown> = {}) =>
  new ApiError(code, `server says ${code}`, 400, details);

describe('describeError', () => {
  it('has its own sentence for every code in the registry', () => {
    for (const code of Object.keys(errorCodes) as ErrorCode[]) {
      const text = describeError(error(code));
      expect(text, code).not.toBe(`server says ${code}`);
      expect(text.length, code).toBeGreaterThan(10);
    }
  });

  it('uses the details to be specific', () => {
    expect(describeError(error('insufficient_connects', { needed: 8, available: 3 }))).toBe(
      'Not enough Connects: this needs 8 and you have 3 available. Buy Connects or redeem a code first.',
    );
    expect(describeError(error('purchase_out_of_range', { minConnects: 10, maxConnects: 1000 }))).toBe(
      'A purchase must be between 10 and 1000 Connects.',
    );
  });

  it('keeps the server’s explanation of invalid fields and of codes it does not know', () => {
    expect(describeError(error('validation_failed'))).toContain('server says validation_failed');
    expect(describeError(error('brand_new_code'))).toBe('server says brand_new_code');
    expect(describeError(new ApiError('network', 'x', 0))).toContain('could not be reached');
  });
});

describe('failures people can act on', () => {
  it('says a non-JSON 502 in words, and that retrying may help', () => {
    const bad = new ApiError('http_502', 'HTTP 502 without an API error body: <html>', 502);
    expect(describeError(bad)).toBe(
      'The service did not answer properly (HTTP 502). Please try again shortly.',
    );
    expect(isRetryable(bad)).toBe(true);
    expect(isRetryable(new ApiError('network', 'x', 0))).toBe(true);
  });

  it('offers no retry for a refusal that would only be refused again', () => {
    expect(isRetryable(error('not_found'))).toBe(false);
    expect(isRetryable(new ApiError('forbidden', 'x', 403))).toBe(false);
  });

  it('speaks to the operator about the freelancer’s Connects', () => {
    const text = describeError(error('insufficient_connects', { available: 50 }), 'operator');
    expect(text).toBe('The freelancer has only 50 Connects available, so that many cannot be taken back.');
    expect(text).not.toContain('Buy Connects');
  });
});
