import { sql, type Expression, type SqlBool } from 'kysely';
import type { Database } from '../database';
import { SALE_STATES } from './analytics.repository';

// The in-stream 团长榜 (issue 17): leaders ranked by the orders attributed to them in a
// stream, counted in SQL. Cancelled and refunded orders do not count (SALE_STATES), so a
// refund drops out on the next read. One ranking serves the board and the leader centre.

export interface LeaderboardRow {
  leader_id: string;
  display_name: string;
  community: string | null;
  orders: number;
  units: number;
  rank: number;
}

/**
 * Per stream and leader: orders, units and the rank — most orders, then most units, then
 * whoever sold first (then the id, so the order is total).
 */
function tally(db: Database, whichStreams: Expression<SqlBool>) {
  return db
    .selectFrom('orders')
    .select(['stream_id', 'leader_id'])
    .select(sql<number>`count(*)::int`.as('orders'))
    .select(sql<number>`sum(quantity)::int`.as('units'))
    .select(
      sql<number>`(row_number() over (partition by stream_id
        order by count(*) desc, sum(quantity) desc, min(created_at), leader_id))::int`.as('rank'),
    )
    .where('leader_id', 'is not', null)
    .where('state', 'in', [...SALE_STATES])
    .where(whichStreams)
    .groupBy(['stream_id', 'leader_id']);
}

/** The stream's leaders, best first (at most `limit`). */
export async function streamLeaderboard(
  db: Database,
  streamId: string,
  limit: number,
): Promise<LeaderboardRow[]> {
  const rows = await db
    .selectFrom(tally(db, sql<SqlBool>`stream_id = ${streamId}`).as('t'))
    .innerJoin('leaders as l', 'l.id', 't.leader_id')
    .select(['t.leader_id', 'l.display_name', 'l.community', 't.orders', 't.units', 't.rank'])
    .orderBy('t.rank')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, leader_id: r.leader_id ?? '' }));
}

export interface LeaderLiveRankRow {
  leader_id: string;
  stream_id: string;
  title: string;
  /** null while this leader has no counted order in the stream */
  rank: number | null;
  orders: number;
  units: number;
  /** how many leaders have a counted order in the stream */
  ranked: number;
}

/** For each of these leaders, every live stream of their shop and their place in it. */
export async function leaderLiveRanks(
  db: Database,
  leaderIds: string[],
): Promise<LeaderLiveRankRow[]> {
  if (leaderIds.length === 0) return [];
  const liveStreamIds = db
    .selectFrom('streams')
    .select('streams.id')
    .where('streams.status', '=', 'live')
    .where(
      'streams.shop_id',
      'in',
      db.selectFrom('leaders').select('leaders.shop_id').where('leaders.id', 'in', leaderIds),
    );
  const rows = await db
    .selectFrom('leaders as l')
    .innerJoin('streams as s', (j) => j.onRef('s.shop_id', '=', 'l.shop_id'))
    .leftJoin(tally(db, sql<SqlBool>`stream_id in (${liveStreamIds})`).as('t'), (j) =>
      j.onRef('t.stream_id', '=', 's.id').onRef('t.leader_id', '=', 'l.id'),
    )
    .select(['l.id as leader_id', 's.id as stream_id', 's.title', 't.rank'])
    .select(sql<number>`coalesce(t.orders, 0)`.as('orders'))
    .select(sql<number>`coalesce(t.units, 0)`.as('units'))
    .select(
      sql<number>`(select count(distinct o.leader_id)::int from orders o
        where o.stream_id = s.id and o.leader_id is not null
        and o.state in (${sql.join([...SALE_STATES])}))`.as('ranked'),
    )
    .where('l.id', 'in', leaderIds)
    .where('s.status', '=', 'live')
    .orderBy('s.started_at')
    .execute();
  return rows.map((r) => ({ ...r, rank: r.rank ?? null }));
}
