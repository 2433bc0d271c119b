import { describe, expect, it } from 'vitest';
import { CliError, EXIT_USAGE } from '../../command.ts';
import { instantArg, nowArg, requiredArg, sinceArg, wholeArg } from './args.ts';

const usage = (fn: () => unknown): CliError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT_USAGE);
    return error as CliError;
  }
  return expect.fail('expected a usage error');
};

describe('CLI argument parsing', () => {
  it('reads instants with a zone or as dates, and refuses the rest', () => {
    expect(instantArg('--now', '2024-03-10T12:00:00Z')).toBe(Date.UTC(2024, 2, 10, 12));
    expect(instantArg('--now', '2024-03-10')).toBe(Date.UTC(2024, 2, 10));
    expect(instantArg('--now', '2024-03-10T14:00:00+02:00')).toBe(Date.UTC(2024, 2, 10, 12));
    for (const bad of ['2024-03-10T12:00:00', '2024-02-30', 'yesterday', '1710072000000', '']) {
      expect(usage(() => instantArg('--as-of', bad)).message).toContain('--as-of must be an ISO-8601');
    }
  });

  it('takes the real clock when --now is absent', () => {
    const before = Date.now();
    const now = nowArg(undefined);
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('reads whole numbers within bounds only', () => {
    expect(wholeArg('--max', '25', 1, 100)).toBe(25);
    expect(wholeArg('<connects>', '-5', -10, 10)).toBe(-5);
    for (const bad of ['0', '101', '2.5', '1e3', 'ten', '', '99999999999999999']) {
      expect(usage(() => wholeArg('--max', bad, 1, 100)).message).toBe(
        '--max must be a whole number from 1 to 100',
      );
    }
  });

  it('reads --since as an instant or as days back', () => {
    const now = Date.UTC(2024, 5, 1);
    expect(sinceArg('30d', now)).toBe(Date.UTC(2024, 4, 2));
    expect(sinceArg('2024-01-01', now)).toBe(Date.UTC(2024, 0, 1));
    expect(usage(() => sinceArg('30 days', now)).message).toContain('--since');
  });

  it('insists on required options', () => {
    expect(requiredArg('--reason', 'why')).toBe('why');
    expect(usage(() => requiredArg('--reason', undefined)).message).toBe('--reason is required');
    expect(usage(() => requiredArg('--reason', '')).message).toBe('--reason is required');
  });
});
