import type { Hold, Lot } from '../../core/types.ts';
import {
  holdColumns,
  holdFromRow,
  lotColumns,
  lotFromRow,
  type HoldRow,
  type LotRow,
} from '../../store/rows.ts';
import type { StoreTx } from '../../store/store.ts';
import {
  freelancerColumns,
  freelancerFromRow,
  type Freelancer,
  type FreelancerRow,
} from './freelancer-rows.ts';

/** What a current balance read needs, from one statement (so one snapshot and one round trip). */
export interface AccountNow {
  readonly freelancer: Freelancer;
  /** Lots still holding Connects, in issue order. */
  readonly lots: readonly Lot[];
  /** Active holds. */
  readonly holds: readonly Hold[];
}

/**
 * The freelancer's row, its lots with Connects left and its active holds, as
 * JSON text in one row (PGlite pays per result row, and the three reads then
 * share one snapshot). Undefined when no such freelancer is registered.
 */
const accountNowSql = `SELECT
  (SELECT row_to_json(f)::text FROM (SELECT ${freelancerColumns} FROM freelancers WHERE id = $1) f) AS freelancer,
  (SELECT coalesce(json_agg(l ORDER BY l.lot_no), '[]')::text
     FROM (SELECT ${lotColumns} FROM lots WHERE account = $1 AND remaining > 0) l) AS lots,
  (SELECT coalesce(json_agg(h ORDER BY h.placed_at, h.hold_id), '[]')::text
     FROM (SELECT ${holdColumns} FROM holds WHERE account = $1 AND status = 'active') h) AS holds`;

interface AccountNowRow {
  freelancer: string | null;
  lots: string;
  holds: string;
}

export async function loadAccountNow(
  db: Pick<StoreTx, 'query'>,
  freelancerId: string,
): Promise<AccountNow | undefined> {
  const { rows } = await db.query<AccountNowRow>(accountNowSql, [freelancerId]);
  const row = rows[0];
  if (row === undefined || row.freelancer === null) return undefined;
  return {
    freelancer: freelancerFromRow(JSON.parse(row.freelancer) as FreelancerRow),
    lots: (JSON.parse(row.lots) as LotRow[]).map(lotFromRow),
    holds: (JSON.parse(row.holds) as HoldRow[]).map(holdFromRow),
  };
}
