/**
 * Every expected failure in Connects has a stable code from this registry.
 * Codes are part of the public contract (HTTP bodies, CLI output, docs): never
 * rename one, only add. The HTTP layer maps each code to a status in one table
 * that the compiler checks for completeness.
 */
export const errorCodes = {
  // ledger
  insufficient_connects: 'The available balance is smaller than the amount needed.',
  invalid_amount: 'An amount of Connects or money is not a whole number in its allowed range.',
  hold_not_found: 'No hold with this id exists on the account.',
  hold_already_settled: 'The hold was already captured or released.',
  hold_exists: 'A hold with this id already exists on the account.',
  refund_exceeds_debit: 'A refund asks for more Connects than the debit it reverses drew.',
  too_many_lots: 'The operation would touch more lots than the per-operation limit.',
  idempotency_conflict: 'The idempotency key was used before with a different request.',
  // generic request problems
  validation_failed: 'The request is malformed or a field is out of range.',
  not_found: 'The resource does not exist.',
  unauthorized: 'A valid bearer token is required.',
  forbidden: 'The token does not allow this action.',
  payload_too_large: 'The request body exceeds the size limit.',
  conflict: 'The request conflicts with the current state.',
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** An expected failure: a value, never a thrown exception inside the core. */
export interface ConnectsError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export function connectsError(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): ConnectsError {
  return details === undefined ? { code, message } : { code, message, details };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ConnectsError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = <T = never>(error: ConnectsError): Result<T> => ({ ok: false, error });

/** A thrown form of ConnectsError, for the edges (use cases, HTTP) that prefer exceptions. */
export class ConnectsFailure extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(error: ConnectsError) {
    super(error.message);
    this.name = 'ConnectsFailure';
    this.code = error.code;
    this.details = error.details;
  }
  toError(): ConnectsError {
    return connectsError(this.code, this.message, this.details as Record<string, unknown> | undefined);
  }
}

/** Programmer errors are assertions: they crash loudly instead of becoming business errors. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
