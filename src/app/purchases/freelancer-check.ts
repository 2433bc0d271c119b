import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { PlanName } from '../../core/policy/schema.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';
import { findFreelancer } from '../accounts/freelancer-rows.ts';

/** What purchases, promo codes and admin grants need to know about a freelancer. */
export interface FreelancerRef {
  readonly id: string;
  /** The plan in force now (a requested downgrade waits for the next renewal). */
  readonly plan: PlanName;
  /** Anchors billing cycles, for end_of_cycle lot lifetimes. */
  readonly registeredAt?: Instant;
}

type Queryable = Pick<StoreTx, 'query'>;

/** The one place these use cases read the accounts area's data: through its lookup. */
export async function requireFreelancer(db: Queryable, freelancerId: string): Promise<Result<FreelancerRef>> {
  const found = await findFreelancer(db, freelancerId);
  if (found !== undefined) return ok({ id: found.id, plan: found.plan, registeredAt: found.registeredAt });
  return err(
    connectsError('freelancer_not_found', `No freelancer ${freelancerId} is registered.`, { freelancerId }),
  );
}
