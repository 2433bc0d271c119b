import { describe, expect, it } from 'vitest';
import { errorCodes, type ErrorCode } from '../../../src/core/errors.ts';
import { ApiError } from './http.ts';
import { describeError } from './messages.ts';

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
