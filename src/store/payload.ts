/**
 * Batches send their data to the database as one JSON document per
 * statement, unpacked there with jsonb_to_recordset. The same statement text
 * takes the document either as a bound parameter (`$1::jsonb`, inside a use
 * case's transaction) or inlined as a dollar-quoted literal, so a whole
 * script (BEGIN; lock; loads) travels in one round trip.
 */
export type PayloadRef = string;

export const boundPayload: PayloadRef = '$1::jsonb';

/** A dollar-quoted literal whose tag does not occur in the text, so no escaping is needed. */
export function inlinePayload(json: string): PayloadRef {
  let tag = '$p$';
  for (let i = 0; json.includes(tag); i++) tag = `$p${i}$`;
  return `${tag}${json}${tag}::jsonb`;
}
