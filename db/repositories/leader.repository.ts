import { sql } from 'kysely';
import type { Database } from '../database';
import type { LeaderRow, LeaderStatus } from '../schema';

// Leaders, their link clicks and their numbers. Orders and the commission ledger belong to
// the commerce capability; the aggregates here only read them.

/** States whose orders count towards a leader's sales. */
const LIVE_ORDER_STATES = ['pending_group', 'confirmed', 'ready', 'picked_up'] as const;

export async function insertLeaderUnlessApplied(
  db: Database,
  row: {
    shopId: string;
    userId: string;
    displayName: string;
    community: string | null;
    pickupAddress: string | null;
    pickupHours: string | null;
  },
): Promise<LeaderRow | null> {
  const inserted = await db
    .insertInto('leaders')
    .values({
      shop_id: row.shopId,
      user_id: row.userId,
      display_name: row.displayName,
      community: row.community,
      pickup_address: row.pickupAddress,
      pickup_hours: row.pickupHours,
    })
    .onConflict((oc) => oc.columns(['shop_id', 'user_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ?? null;
}

/**
 * A shop's leader row to update, only while it is in one of `from` when given: a change
 * racing another (approve and reject at once) lands on the state it was checked in or not
 * at all. The update answers the row as it is now, or undefined.
 */
function leaderIn(db: Database, shopId: string, leaderId: string, from?: LeaderStatus[]) {
  const query = db.updateTable('leaders').where('id', '=', leaderId).where('shop_id', '=', shopId);
  return from ? query.where('status', 'in', from) : query;
}

/** Rewrites what a not-yet-approved leader told the shop about themselves. */
export async function updateLeaderProfile(
  db: Database,
  opts: {
    shopId: string;
    leaderId: string;
    from: LeaderStatus[];
    displayName: string;
    community: string | null;
    pickupAddress: string | null;
    pickupHours: string | null;
  },
): Promise<LeaderRow | undefined> {
  return leaderIn(db, opts.shopId, opts.leaderId, opts.from)
    .set({
      display_name: opts.displayName,
      community: opts.community,
      pickup_address: opts.pickupAddress,
      pickup_hours: opts.pickupHours,
    })
    .returningAll()
    .executeTakeFirst();
}

export async function findLeader(
  db: Database,
  shopId: string,
  leaderId: string,
): Promise<LeaderRow | undefined> {
  return db
    .selectFrom('leaders')
    .selectAll()
    .where('id', '=', leaderId)
    .where('shop_id', '=', shopId)
    .executeTakeFirst();
}

export async function findLeaderByUser(
  db: Database,
  shopId: string,
  userId: string,
): Promise<LeaderRow | undefined> {
  return db
    .selectFrom('leaders')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function findLeaderByCode(db: Database, code: string): Promise<LeaderRow | undefined> {
  return db.selectFrom('leaders').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Moves a leader between states; undefined when it was not in one of `from`. */
export async function transitionLeader(
  db: Database,
  opts: {
    shopId: string;
    leaderId: string;
    from: LeaderStatus[];
    to: LeaderStatus;
    code?: string;
    commissionRate?: string;
  },
): Promise<LeaderRow | undefined> {
  return leaderIn(db, opts.shopId, opts.leaderId, opts.from)
    .set({
      status: opts.to,
      ...(opts.code !== undefined ? { code: opts.code } : {}),
      ...(opts.commissionRate !== undefined ? { commission_rate: opts.commissionRate } : {}),
      ...(opts.to === 'approved' ? { approved_at: sql<Date>`coalesce(approved_at, now())` } : {}),
    })
    .returningAll()
    .executeTakeFirst();
}

export async function updateLeaderRate(
  db: Database,
  shopId: string,
  leaderId: string,
  rate: string,
): Promise<LeaderRow | undefined> {
  return leaderIn(db, shopId, leaderId)
    .set({ commission_rate: rate })
    .returningAll()
    .executeTakeFirst();
}

/**
 * Records a click unless the same visitor clicked the same leader's link within the last
 * `withinSeconds`; true when recorded. Concurrent clicks of one visitor are serialised by an
 * advisory lock, so a double tap counts once.
 */
export async function recordClickUnlessRecent(
  db: Database,
  click: {
    shopId: string;
    leaderId: string;
    visitorKey: string;
    userId: string | null;
    streamId: string | null;
    source: 'link' | 'order';
    at?: Date;
  },
  withinSeconds: number,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`click:${click.visitorKey}`}))`.execute(trx);
    const at = click.at ?? new Date();
    const recent = await trx
      .selectFrom('leader_clicks')
      .select('id')
      .where('leader_id', '=', click.leaderId)
      .where('visitor_key', '=', click.visitorKey)
      .where('created_at', '>', new Date(at.getTime() - withinSeconds * 1000))
      .executeTakeFirst();
    if (recent) return false;
    await trx
      .insertInto('leader_clicks')
      .values({
        shop_id: click.shopId,
        leader_id: click.leaderId,
        visitor_key: click.visitorKey,
        user_id: click.userId,
        stream_id: click.streamId,
        source: click.source,
        created_at: at,
      })
      .execute();
    return true;
  });
}

/** The latest click on this shop's leader links by this buyer (as user or as visitor) since `since`. */
export async function findLastClick(
  db: Database,
  opts: { shopId: string; userId: string; visitorKey: string | null; since: Date },
): Promise<{ leaderId: string; at: Date } | undefined> {
  const row = await db
    .selectFrom('leader_clicks')
    .select(['leader_id', 'created_at'])
    .where('shop_id', '=', opts.shopId)
    .where('created_at', '>=', opts.since)
    .where((eb) =>
      opts.visitorKey
        ? eb.or([eb('user_id', '=', opts.userId), eb('visitor_key', '=', opts.visitorKey)])
        : eb('user_id', '=', opts.userId),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { leaderId: row.leader_id, at: row.created_at };
}

export interface LeaderNumbers {
  leaderId: string;
  clicks: number;
  visitors: number;
  orders: number;
  buyers: number;
  units: number;
  gmvCents: number;
  pendingCents: number;
  earnedCents: number;
  reversedCents: number;
}

/** A leader with no clicks, orders or commission yet. */
export const NO_LEADER_NUMBERS: Omit<LeaderNumbers, 'leaderId'> = {
  clicks: 0,
  visitors: 0,
  orders: 0,
  buyers: 0,
  units: 0,
  gmvCents: 0,
  pendingCents: 0,
  earnedCents: 0,
  reversedCents: 0,
};

/** Funnel and money numbers per leader, for the given leaders (one shop's, or one user's). */
export async function leaderNumbers(
  db: Database,
  leaderIds: string[],
): Promise<Map<string, LeaderNumbers>> {
  const result = new Map<string, LeaderNumbers>();
  if (!leaderIds.length) return result;
  for (const id of leaderIds) {
    result.set(id, { leaderId: id, ...NO_LEADER_NUMBERS });
  }
  const [clicks, orders, ledger] = await Promise.all([
    db
      .selectFrom('leader_clicks')
      .select([
        'leader_id',
        sql<number>`count(*)::int`.as('clicks'),
        sql<number>`count(distinct visitor_key)::int`.as('visitors'),
      ])
      .where('leader_id', 'in', leaderIds)
      .where('source', '=', 'link')
      .groupBy('leader_id')
      .execute(),
    db
      .selectFrom('orders')
      .select([
        'leader_id',
        sql<number>`count(*)::int`.as('orders'),
        sql<number>`count(distinct buyer_id)::int`.as('buyers'),
        sql<number>`coalesce(sum(quantity), 0)::int`.as('units'),
        sql<number>`coalesce(sum(total_cents), 0)::bigint`.as('gmv'),
      ])
      .where('leader_id', 'in', leaderIds)
      .where('state', 'in', LIVE_ORDER_STATES)
      .groupBy('leader_id')
      .execute(),
    db
      .selectFrom('commission_ledger')
      .select([
        'leader_id',
        'bucket',
        sql<number>`coalesce(sum(amount_cents), 0)::bigint`.as('cents'),
      ])
      .where('leader_id', 'in', leaderIds)
      .groupBy(['leader_id', 'bucket'])
      .execute(),
  ]);
  for (const c of clicks)
    Object.assign(result.get(c.leader_id) ?? {}, { clicks: c.clicks, visitors: c.visitors });
  for (const o of orders) {
    if (!o.leader_id) continue;
    Object.assign(result.get(o.leader_id) ?? {}, {
      orders: o.orders,
      buyers: o.buyers,
      units: o.units,
      gmvCents: Number(o.gmv),
    });
  }
  for (const l of ledger) {
    const n = result.get(l.leader_id);
    if (!n) continue;
    const cents = Number(l.cents);
    if (l.bucket === 'pending') n.pendingCents = cents;
    else if (l.bucket === 'earned') n.earnedCents = cents;
    else n.reversedCents = cents;
  }
  return result;
}

export async function listShopLeaders(db: Database, shopId: string): Promise<LeaderRow[]> {
  return db
    .selectFrom('leaders')
    .selectAll()
    .where('shop_id', '=', shopId)
    .orderBy('created_at')
    .execute();
}

export async function listUserLeaderships(db: Database, userId: string) {
  return db
    .selectFrom('leaders')
    .innerJoin('shops', 'shops.id', 'leaders.shop_id')
    .selectAll('leaders')
    .select(['shops.slug as shop_slug', 'shops.name as shop_name'])
    .where('leaders.user_id', '=', userId)
    .orderBy('leaders.created_at')
    .execute();
}

export async function recentLeaderOrders(db: Database, leaderId: string, limit: number) {
  return db
    .selectFrom('orders')
    .innerJoin('users', 'users.id', 'orders.buyer_id')
    .select([
      'orders.id',
      'orders.product_name',
      'orders.quantity',
      'orders.total_cents',
      'orders.commission_cents',
      'orders.state',
      'orders.created_at',
      'users.name as buyer_name',
    ])
    .where('orders.leader_id', '=', leaderId)
    .orderBy('orders.created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Ledger movements of one leader in one shop during [from, to), for a monthly statement. */
export async function ledgerEntriesBetween(
  db: Database,
  opts: { leaderId: string; from: Date; to: Date },
) {
  return db
    .selectFrom('commission_ledger')
    .innerJoin('orders', 'orders.id', 'commission_ledger.order_id')
    .select([
      'commission_ledger.order_id',
      'commission_ledger.bucket',
      'commission_ledger.amount_cents',
      'commission_ledger.reason',
      'commission_ledger.created_at',
      'orders.product_name',
      'orders.total_cents',
    ])
    .where('commission_ledger.leader_id', '=', opts.leaderId)
    .where('commission_ledger.created_at', '>=', opts.from)
    .where('commission_ledger.created_at', '<', opts.to)
    .orderBy('commission_ledger.created_at')
    .orderBy('commission_ledger.id')
    .execute();
}

/**
 * The streams of these shops a leader may still share: planned, live, or ended with the sale
 * still open or after `endedAfter` (the service keeps those whose replay is ready).
 * Each with the picture of its pinned offer's product, else of its first offer's.
 */
export async function listShareableStreamRows(
  db: Database,
  shopIds: string[],
  opts: { now: Date; endedAfter: Date },
) {
  if (shopIds.length === 0) return [];
  return db
    .selectFrom('streams')
    .selectAll('streams')
    .select((eb) =>
      eb
        .selectFrom('offers')
        .innerJoin('products', 'products.id', 'offers.product_id')
        .select('products.image_url')
        .whereRef('offers.stream_id', '=', 'streams.id')
        .where('products.image_url', 'is not', null)
        .orderBy(sql`offers.id = streams.pinned_offer_id`, 'desc')
        .orderBy('offers.created_at')
        .limit(1)
        .as('offer_image_url'),
    )
    .where('streams.shop_id', 'in', shopIds)
    .where((eb) =>
      eb.or([
        eb('streams.status', 'in', ['scheduled', 'live']),
        eb.and([
          eb('streams.status', '=', 'ended'),
          eb.or([
            eb('streams.sale_ends_at', '>', opts.now),
            eb('streams.ended_at', '>', opts.endedAfter),
          ]),
        ]),
      ]),
    )
    .orderBy('streams.created_at', 'desc')
    .limit(100)
    .execute();
}
