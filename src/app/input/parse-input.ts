import type { z } from 'zod';
import { connectsError, err, ok, type ConnectsError, type Result } from '../../core/errors.ts';

/** At most this many issues are reported; one malformed array could otherwise produce thousands. */
export const MAX_REPORTED_ISSUES = 20;
/**
 * Paths and messages echo the caller's own keys (an unknown-keys issue lists
 * them all): each is cut to this many characters, so an error stays a few
 * kilobytes whatever the input held.
 */
export const MAX_ISSUE_TEXT = 200;

/** One problem with an input: where it came from (`input`, or `body`, `query`... on HTTP), the field path and why. */
export interface ValidationIssue {
  readonly in: string;
  readonly path: string;
  readonly message: string;
}

const capText = (text: string): string =>
  text.length > MAX_ISSUE_TEXT ? `${text.slice(0, MAX_ISSUE_TEXT - 1)}…` : text;

/**
 * Turns a zod error into `validation_failed` with every issue's field path in
 * `details.issues`: the one shape for use cases called directly and for the
 * HTTP layer's request checks.
 */
export function validationError(where: string, error: z.ZodError): ConnectsError {
  const issues: ValidationIssue[] = error.issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => ({
    in: where,
    path: capText(issue.path.map(String).join('.')),
    message: capText(issue.message),
  }));
  const first = issues[0];
  const at = first === undefined ? where : `${first.in}${first.path === '' ? '' : `.${first.path}`}`;
  const message = `Invalid request: ${at}: ${first?.message ?? 'invalid'}${
    error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : ''
  }`;
  return connectsError('validation_failed', message, { issues });
}

/**
 * Validates a use case's input with its schema. Every use case calls this
 * first, so a library caller gets the same `validation_failed` the API gives,
 * never a database error or a write made from bad input.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): Result<z.output<S>> {
  const parsed = schema.safeParse(input);
  return parsed.success ? ok(parsed.data) : err(validationError('input', parsed.error));
}
