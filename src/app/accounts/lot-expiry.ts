import { cycleAt, expiresAtFor } from '../../core/calendar.ts';
import { assert } from '../../core/errors.ts';
import type { LotLifetime } from '../../core/policy/schema.ts';
import type { Instant } from '../../core/time.ts';

/**
 * Expiry of a lot issued to a freelancer at `issuedAt` under `lifetime`
 * (purchases, promo codes, interview rewards, fresh refund lots). An
 * `end_of_cycle` lifetime needs the freelancer's registration instant, which
 * anchors the billing cycles; no shipped era gives these lots such a lifetime,
 * so its absence is a setup bug.
 */
export function lotExpiresAt(lifetime: LotLifetime, issuedAt: Instant, registeredAt?: Instant): Instant {
  if (lifetime.kind !== 'end_of_cycle') return expiresAtFor(lifetime, issuedAt);
  assert(registeredAt !== undefined, 'an end_of_cycle lifetime needs the registration instant');
  return expiresAtFor(lifetime, issuedAt, cycleAt(registeredAt, issuedAt).end);
}
