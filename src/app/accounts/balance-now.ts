import type { Hold, Lot } from '../../core/types.ts';
import {
  holdColumns,
  holdFromRow,
  lotColumns,
  lotFromRow,
  type HoldRow,
  type LotRow,
} from '../../store/rows.ts';
import { Batcher } from '../../store/batcher.ts';
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
 * For each id, the freelancer's row, its lots with Connects left and its
 * active holds, as one JSON document (PGlite pays per result row, and all the
 * reads share one snapshot). A read asked for while others run joins the
 * next statement (`loadAccountNow`): one statement answers many requests.
 */
const accountsNowSql = `SELECT coalesce(json_agg(json_build_object(
  'id', ids.id,
  'freelancer', (SELECT row_to_json(f) FROM (SELECT ${freelancerColumns} FROM freelancers WHERE id = ids.id) f),
  'lots', (SELECT coalesce(json_agg(l ORDER BY l.lot_no), '[]')
     FROM (SELECT ${lotColumns} FROM lots WHERE account = ids.id AND remaining > 0) l),
  'holds', (SELECT coalesce(json_agg(h ORDER BY h.placed_at, h.hold_id), '[]')
     FROM (SELECT ${holdColumns} FROM holds WHERE account = ids.id AND status = 'active') h))), '[]')::text AS accounts
  FROM (SELECT DISTINCT jsonb_array_elements_text($1::jsonb) AS id) ids`;

interface AccountNowRow {
  id: string;
  freelancer: FreelancerRow | null;
  lots: LotRow[];
  holds: HoldRow[];
}

type Reader = Pick<StoreTx, 'query'>;

/** The current state of each freelancer named, by id; a missing one is not registered. */
export async function loadAccountsNow(
  db: Reader,
  freelancerIds: readonly string[],
): Promise<Map<string, AccountNow>> {
  const { rows } = await db.query<{ accounts: string }>(
    accountsNowSql,
    [JSON.stringify(freelancerIds)],
    'connects_accounts_now_v1',
  );
  const found = new Map<string, AccountNow>();
  for (const row of JSON.parse(rows[0]?.accounts ?? '[]') as AccountNowRow[]) {
    if (row.freelancer === null) continue;
    found.set(row.id, {
      freelancer: freelancerFromRow(row.freelancer),
      lots: row.lots.map(lotFromRow),
      holds: row.holds.map(holdFromRow),
    });
  }
  return found;
}

/** Most freelancers one statement reads. */
export const MAX_READ_BATCH = 256;

const readers = new WeakMap<Reader, Batcher<string, AccountNow | undefined>>();

/**
 * One freelancer's current state; undefined when no such freelancer is
 * registered. Reads asked for at once share one statement, which starts
 * after each of them was asked: a read still sees every write committed
 * before it (a caller's own write included).
 */
export function loadAccountNow(db: Reader, freelancerId: string): Promise<AccountNow | undefined> {
  let batcher = readers.get(db);
  if (batcher === undefined) {
    batcher = new Batcher(
      async (ids) => {
        const found = await loadAccountsNow(db, ids);
        return ids.map((id) => found.get(id));
      },
      { maxBatch: MAX_READ_BATCH, windowMs: 1, maxInFlight: 4, spreadAbove: 64 },
    );
    readers.set(db, batcher);
  }
  return batcher.submit(freelancerId);
}
