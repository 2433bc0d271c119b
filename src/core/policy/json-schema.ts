import { z } from 'zod';
import { policySchema } from './schema.ts';
import { MAX_TIMELINE_POLICIES } from './timeline.ts';

/**
 * The JSON Schema of a policy file (one policy or a list), generated from the
 * zod schema so the two never drift: served at GET /v1/policy.schema.json and
 * committed as docs/policy.schema.json (a test keeps the copy equal). It
 * describes the input shape (upgradeBilling may be omitted). Rules that span
 * fields (tiers strictly ascending, bundles within min..max, min <= max) are
 * checked by the service and `connects policy validate`, not by the schema.
 */
export function policyJsonSchema(): Record<string, unknown> {
  const { $schema, ...policy } = z.toJSONSchema(policySchema, { io: 'input', target: 'draft-2020-12' });
  return {
    $schema,
    title: 'Connects policy',
    description:
      'One policy of the Connects economy, or a list of them (docs/policy.md). Cross-field rules are ' +
      'checked by `connects policy validate FILE`.',
    anyOf: [
      { $ref: '#/$defs/policy' },
      { type: 'array', items: { $ref: '#/$defs/policy' }, minItems: 1, maxItems: MAX_TIMELINE_POLICIES },
    ],
    $defs: { policy },
  };
}
