import { sql } from 'kysely';
import type { Database } from '../database';
import type { TrustInputs } from '../../server/rules/trust';

// What the trust index is computed from (server/rules/trust.ts), for one leader over a
// window, in one round trip; and its daily history.

export async function trustInputs(
  db: Database,
  leaderId: string,
  since: Date,
): Promise<TrustInputs> {
  const result = await sql<{
    ratings: number;
    stars: number;
    clicks: number;
    orders: number;
    handled: number;
    on_time: number;
  }>`
    select
      (select count(*)::int from order_ratings r join orders o on o.id = r.order_id
        where (o.leader_id = ${leaderId} or o.pickup_leader_id = ${leaderId})
          and r.created_at >= ${since}) as ratings,
      (select coalesce(sum(r.stars), 0)::int from order_ratings r join orders o on o.id = r.order_id
        where (o.leader_id = ${leaderId} or o.pickup_leader_id = ${leaderId})
          and r.created_at >= ${since}) as stars,
      (select count(*)::int from leader_clicks
        where leader_id = ${leaderId} and source = 'link' and created_at >= ${since}) as clicks,
      (select count(*)::int from orders
        where leader_id = ${leaderId} and created_at >= ${since}
          and state not in ('cancelled', 'refunded')) as orders,
      (select count(*)::int from refund_requests rr join orders o on o.id = rr.order_id
        where o.pickup_leader_id = ${leaderId} and rr.decided_as = 'leader'
          and rr.resolved_at >= ${since}) as handled,
      (select count(*)::int from refund_requests rr join orders o on o.id = rr.order_id
        where o.pickup_leader_id = ${leaderId} and rr.decided_as = 'leader'
          and rr.resolved_at >= ${since} and rr.resolved_at <= rr.due_at) as on_time
  `.execute(db);
  const r = result.rows[0]!;
  return {
    ratings: { count: r.ratings, stars: r.stars },
    activity: { clicks: r.clicks, orders: r.orders },
    claims: { handled: r.handled, onTime: r.on_time },
  };
}

export async function recordTrustDay(
  db: Database,
  row: {
    leader_id: string;
    day: string;
    score: number;
    satisfaction: number;
    activity: number;
    speed: number;
  },
): Promise<void> {
  await db
    .insertInto('leader_trust_days')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['leader_id', 'day']).doUpdateSet({
        score: row.score,
        satisfaction: row.satisfaction,
        activity: row.activity,
        speed: row.speed,
        updated_at: new Date(),
      }),
    )
    .execute();
}

/** The leader's daily indexes, oldest first, from `sinceDay` (YYYY-MM-DD). */
export async function trustHistory(
  db: Database,
  leaderId: string,
  sinceDay: string,
): Promise<{ day: string; score: number }[]> {
  const rows = await db
    .selectFrom('leader_trust_days')
    .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), 'score'])
    .where('leader_id', '=', leaderId)
    .where('day', '>=', sinceDay)
    .orderBy('day')
    .execute();
  return rows;
}

export async function approvedLeaderIds(db: Database, shopId?: string): Promise<string[]> {
  let query = db.selectFrom('leaders').select('id').where('status', '=', 'approved');
  if (shopId) query = query.where('shop_id', '=', shopId);
  return (await query.execute()).map((r) => r.id);
}
