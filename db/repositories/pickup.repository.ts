import { sql } from 'kysely';
import type { Database } from '../database';

export interface LeaderPickupPointRow {
  id: string;
  display_name: string;
  pickup_address: string;
  pickup_hours: string | null;
  user_id: string;
}

/** Approved leaders of the shop who run a pickup point. */
export async function listLeaderPickupPoints(
  db: Database,
  shopId: string,
): Promise<LeaderPickupPointRow[]> {
  const rows = await db
    .selectFrom('leaders')
    .select(['id', 'display_name', 'pickup_address', 'pickup_hours', 'user_id'])
    .where('shop_id', '=', shopId)
    .where('status', '=', 'approved')
    .where('pickup_address', 'is not', null)
    .orderBy('created_at')
    .execute();
  return rows.flatMap((r) =>
    r.pickup_address ? [{ ...r, pickup_address: r.pickup_address }] : [],
  );
}

export async function findLeaderPickupPoint(
  db: Database,
  shopId: string,
  leaderId: string,
): Promise<LeaderPickupPointRow | undefined> {
  const points = await db
    .selectFrom('leaders')
    .select(['id', 'display_name', 'pickup_address', 'pickup_hours', 'user_id'])
    .where('shop_id', '=', shopId)
    .where('id', '=', leaderId)
    .where('status', '=', 'approved')
    .where('pickup_address', 'is not', null)
    .execute();
  const r = points[0];
  return r?.pickup_address ? { ...r, pickup_address: r.pickup_address } : undefined;
}

/** The approved leader row of this user in this shop, if any. */
export async function findApprovedLeaderOfUser(
  db: Database,
  shopId: string,
  userId: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('leaders')
    .select('id')
    .where('shop_id', '=', shopId)
    .where('user_id', '=', userId)
    .where('status', '=', 'approved')
    .executeTakeFirst();
}

export async function findShopById(db: Database, shopId: string) {
  return db.selectFrom('shops').selectAll().where('id', '=', shopId).executeTakeFirst();
}

/** An order waiting at a pickup point, with the day it became due (in the shop's zone). */
export interface OrderToPrepareRow {
  id: string;
  buyer_name: string;
  phone: string;
  pickup_code: string;
  product_name: string;
  quantity: number;
  /** YYYY-MM-DD */
  due_on: string;
}

/**
 * Confirmed orders not yet picked up at one point (null: the shop itself) that are due on
 * `today` or earlier. An order is due from the later of the day it was confirmed and the
 * day its stream airs (a pre-order on next Saturday's stream waits for Saturday); days are
 * counted in `timeZone`. Oldest due first.
 */
export async function listOrdersToPrepare(
  db: Database,
  shopId: string,
  pickupLeaderId: string | null,
  dueBy: { now: Date; timeZone: string },
): Promise<OrderToPrepareRow[]> {
  const dueOn = sql<string>`(greatest(
      coalesce(orders.confirmed_at, orders.created_at),
      coalesce(streams.started_at, streams.scheduled_at)
    ) at time zone ${dueBy.timeZone})::date`;
  const today = sql<string>`(${dueBy.now}::timestamptz at time zone ${dueBy.timeZone})::date`;
  let query = db
    .selectFrom('orders')
    .innerJoin('users', 'users.id', 'orders.buyer_id')
    .innerJoin('streams', 'streams.id', 'orders.stream_id')
    .select([
      'orders.id',
      'users.name as buyer_name',
      'orders.phone',
      'orders.pickup_code',
      'orders.product_name',
      'orders.quantity',
      sql<string>`to_char(${dueOn}, 'YYYY-MM-DD')`.as('due_on'),
    ])
    .where('orders.shop_id', '=', shopId)
    .where('orders.state', 'in', ['confirmed', 'ready'])
    .where(sql<boolean>`${dueOn} <= ${today}`);
  query =
    pickupLeaderId === null
      ? query.where('orders.pickup_leader_id', 'is', null)
      : query.where('orders.pickup_leader_id', '=', pickupLeaderId);
  return query
    .orderBy(sql`${dueOn}`)
    .orderBy('orders.created_at')
    .limit(5_000)
    .execute();
}
