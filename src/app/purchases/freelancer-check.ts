import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import { planNames, type PlanName } from '../../core/policy/schema.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';

/** What purchases, promo codes and admin grants need to know about a freelancer. */
export interface FreelancerRef {
  readonly id: string;
  readonly plan: PlanName;
  /** Registration instant, when the lookup knows it: anchors billing cycles (end_of_cycle lifetimes). */
  readonly registeredAt?: Instant;
}

type Queryable = Pick<StoreTx, 'query'>;

/**
 * The one place these use cases read the accounts area's data. Until its
 * freelancer lookup lands this is a small query on `freelancers (id, plan)`;
 * swapping it for that lookup changes nothing else.
 */
export async function findFreelancer(
  db: Queryable,
  freelancerId: string,
): Promise<FreelancerRef | undefined> {
  const rows = await db.query<{ id: string; plan: string }>(
    'SELECT id, plan FROM freelancers WHERE id = $1',
    [freelancerId],
  );
  const row = rows.rows[0];
  if (row === undefined) return undefined;
  const plan = planNames.find((name) => name === row.plan);
  if (plan === undefined) throw new Error(`freelancer ${freelancerId} has unknown plan ${row.plan}`);
  return { id: row.id, plan };
}

export async function requireFreelancer(db: Queryable, freelancerId: string): Promise<Result<FreelancerRef>> {
  const found = await findFreelancer(db, freelancerId);
  if (found !== undefined) return ok(found);
  return err(
    connectsError('freelancer_not_found', `No freelancer ${freelancerId} is registered.`, { freelancerId }),
  );
}
