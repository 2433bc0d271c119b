/**
 * Batches send their data to the database as literals: a JSON document for
 * the loads, arrays for the write. The same prepared statement takes them
 * either as bound parameters (inside a use case's transaction) or inlined
 * as dollar-quoted literals, so a whole script (BEGIN; lock; load) travels
 * in one round trip.
 */
export type PayloadRef = string;

export const boundPayload: PayloadRef = '$1::jsonb';

/** A dollar-quoted literal whose tag does not occur in the text, so no escaping is needed. */
export function inlineLiteral(text: string): string {
  let tag = '$p$';
  for (let i = 0; text.includes(tag); i++) tag = `$p${i}$`;
  return `${tag}${text}${tag}`;
}

export const inlinePayload = (json: string): PayloadRef => `${inlineLiteral(json)}::jsonb`;
