import { readFile } from 'node:fs/promises';
import type { AppContext } from './app/context.ts';
import { schedulePolicy } from './app/policy/schedule-policy.ts';
import { readStoredTimeline } from './app/policy/stored-timeline.ts';
import { connectsError, err, ok, type Result } from './core/errors.ts';
import { parsePolicyDocument, withDocument } from './core/policy/document.ts';
import type { Policy } from './core/policy/schema.ts';
import type { Instant } from './core/time.ts';

/** A policy file is read whole; none is anywhere near this. */
export const MAX_POLICY_FILE_BYTES = 4 * 1024 * 1024;

export interface PolicyDocument {
  readonly policies: readonly Policy[];
  /** The file held a list (problem paths start with the index). */
  readonly listed: boolean;
}

/** Reads and validates a policy file: one policy or a list, every problem with its field path. */
export async function readPolicyDocument(path: string): Promise<Result<PolicyDocument>> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_POLICY_FILE_BYTES) {
      return err(connectsError('validation_failed', `${path}: larger than ${MAX_POLICY_FILE_BYTES} bytes`));
    }
    text = bytes.toString('utf8');
  } catch (error) {
    return err(connectsError('validation_failed', `${path}: cannot read: ${(error as Error).message}`));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return err(connectsError('validation_failed', `${path}: not JSON: ${(error as Error).message}`));
  }
  const parsed = parsePolicyDocument(json);
  if (!parsed.ok) return parsed;
  return ok({ policies: parsed.value, listed: Array.isArray(json) });
}

export interface PolicyFileOutcome {
  /** Ids scheduled (or a scheduled one replaced) from the file. */
  readonly scheduled: readonly string[];
  /** Ids already stored with the same body. */
  readonly unchanged: readonly string[];
}

/**
 * CONNECTS_POLICY_FILE at start: schedules each policy of the file that the
 * store does not already hold identically; a scheduled policy with the same
 * id is replaced (the file is the operator's intent). The whole file is
 * checked against the stored timeline first, so an invalid one writes
 * nothing; the error lists every problem with its field path.
 */
export async function applyPolicyFile(
  ctx: AppContext,
  path: string,
  now: Instant,
): Promise<Result<PolicyFileOutcome>> {
  const document = await readPolicyDocument(path);
  if (!document.ok) return document;
  const stored = await readStoredTimeline(ctx.store);
  const planned = withDocument(stored.timeline, document.value.policies, now, document.value.listed);
  if (!planned.ok) return planned;
  const scheduled: string[] = [];
  for (const policy of planned.value.added) {
    const result = await schedulePolicy(
      ctx,
      { policy, note: `from ${path}`, scheduledBy: 'policy-file', replace: true },
      now,
    );
    if (!result.ok) return result;
    scheduled.push(policy.id);
  }
  const unchanged = document.value.policies.map((p) => p.id).filter((id) => !scheduled.includes(id));
  return ok({ scheduled, unchanged });
}
