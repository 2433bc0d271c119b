import { cycleAt, expiresAtFor } from '../../core/calendar.ts';
import { assert, connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { LotLifetime, PlanName } from '../../core/policy/schema.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';
import { findFreelancer } from '../accounts/freelancer-rows.ts';

/** The facts about a freelancer that jobs, proposals and the badge need. */
export interface FreelancerFacts {
  readonly id: string;
  readonly plan: PlanName;
  /** Anchors `end_of_cycle` lot lifetimes. */
  readonly registeredAt: Instant;
}

type Reader = Pick<StoreTx, 'query'>;

/**
 * The single place this area reads the accounts area's data, through its
 * lookup; `freelancer_not_found` when nobody is registered under the id.
 */
export async function lookUpFreelancer(db: Reader, freelancerId: string): Promise<Result<FreelancerFacts>> {
  const found = await findFreelancer(db, freelancerId);
  if (found === undefined) {
    return err(
      connectsError('freelancer_not_found', `No freelancer ${freelancerId} is registered.`, { freelancerId }),
    );
  }
  return ok({ id: found.id, plan: found.plan, registeredAt: found.registeredAt });
}

/**
 * Expiry of a lot issued to a freelancer at `issuedAt` (interview rewards,
 * fresh refund lots). No shipped era gives these lots a cycle-bound lifetime;
 * a policy that does needs the freelancer's registration instant.
 */
export function lotExpiresAt(lifetime: LotLifetime, issuedAt: Instant, registeredAt?: Instant): Instant {
  if (lifetime.kind !== 'end_of_cycle') return expiresAtFor(lifetime, issuedAt);
  assert(registeredAt !== undefined, 'an end_of_cycle lifetime needs the registration instant');
  return expiresAtFor(lifetime, issuedAt, cycleAt(registeredAt, issuedAt).end);
}
