import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_ISSUE_TEXT, MAX_REPORTED_ISSUES, parseInput } from './parse-input.ts';

const schema = z.strictObject({ id: z.string().max(3), items: z.array(z.int()).optional() });

describe('parseInput', () => {
  it('returns the parsed value', () => {
    expect(parseInput(schema, { id: 'abc' })).toEqual({ ok: true, value: { id: 'abc' } });
  });

  it('returns validation_failed naming every field, in the HTTP layer’s issue shape', () => {
    const result = parseInput(schema, { id: 'abcd', items: [1, 1.5], extra: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('validation_failed');
    expect(result.error.message).toMatch(/^Invalid request: input\.id: .* \(and 2 more\)$/);
    const issues = result.error.details?.['issues'] as { in: string; path: string }[];
    expect(issues.map((i) => [i.in, i.path])).toEqual([
      ['input', 'id'],
      ['input', 'items.1'],
      ['input', ''],
    ]);
  });

  it('bounds what it reports: at most 20 issues, each text cut to 200 characters', () => {
    const many = parseInput(
      z.array(z.int()),
      Array.from({ length: 100 }, () => 'x'),
    );
    if (many.ok) expect.fail('expected an error');
    expect((many.error.details?.['issues'] as unknown[]).length).toBe(MAX_REPORTED_ISSUES);
    const long = parseInput(z.strictObject({}), { ['k'.repeat(500)]: 1 });
    if (long.ok) expect.fail('expected an error');
    const [issue] = long.error.details?.['issues'] as { message: string }[];
    expect(issue?.message.length).toBe(MAX_ISSUE_TEXT);
  });

  it('refuses what is not an input object at all', () => {
    for (const input of [undefined, null, 'x', 42, []]) {
      const result = parseInput(schema, input);
      expect(result.ok ? 'ok' : result.error.code).toBe('validation_failed');
    }
  });
});
