import { cycleAt, expiresAtFor } from '../../core/calendar.ts';
import { assert } from '../../core/errors.ts';
import type { LotLifetime } from '../../core/policy/schema.ts';
import type { Instant } from '../../core/time.ts';
import type { FreelancerRef } from './freelancer-check.ts';

/**
 * Expiry of a lot issued to a freelancer at `issuedAt` under `lifetime`. An
 * `end_of_cycle` lifetime needs the freelancer's billing anchor; no shipped
 * era uses it for purchased or promo lots, so its absence is a setup bug.
 */
export function lotExpiry(lifetime: LotLifetime, issuedAt: Instant, freelancer: FreelancerRef): Instant {
  if (lifetime.kind !== 'end_of_cycle') return expiresAtFor(lifetime, issuedAt);
  assert(freelancer.registeredAt !== undefined, 'an end_of_cycle lifetime needs the registration instant');
  return expiresAtFor(lifetime, issuedAt, cycleAt(freelancer.registeredAt, issuedAt).end);
}
