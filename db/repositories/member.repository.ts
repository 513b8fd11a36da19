import { sql } from 'kysely';
import type { Database } from '../database';
import { deleteFromRoster } from './shop-roster';

// The shop's private domain: who joined which shop, and through which leader.

export interface MemberListRow {
  userId: string;
  name: string;
  leader: { id: string; displayName: string; community: string | null } | null;
  joinedAt: Date;
  orders: number;
}

/**
 * Joins a shop; joining again changes nothing (the first leader stays). The membership as
 * it is now, whether it was just made or already there.
 */
export async function insertShopMember(
  db: Database,
  row: { shopId: string; userId: string; leaderId: string | null },
): Promise<{ leaderId: string | null; joinedAt: Date; created: boolean }> {
  const inserted = await db
    .insertInto('shop_members')
    .values({ shop_id: row.shopId, user_id: row.userId, leader_id: row.leaderId })
    .onConflict((oc) => oc.columns(['shop_id', 'user_id']).doNothing())
    .returning(['leader_id', 'created_at'])
    .executeTakeFirst();
  if (inserted) {
    return { leaderId: inserted.leader_id, joinedAt: inserted.created_at, created: true };
  }
  const existing = await findShopMember(db, row.shopId, row.userId);
  // left between the two statements: answer as joined now, without a leader
  return existing
    ? { ...existing, created: false }
    : { leaderId: null, joinedAt: new Date(), created: false };
}

export async function findShopMember(
  db: Database,
  shopId: string,
  userId: string,
): Promise<{ leaderId: string | null; joinedAt: Date } | undefined> {
  const row = await db
    .selectFrom('shop_members')
    .select(['leader_id', 'created_at'])
    .where('shop_id', '=', shopId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row && { leaderId: row.leader_id, joinedAt: row.created_at };
}

/** Whether a member left (false when they were not one). */
export async function deleteShopMember(
  db: Database,
  shopId: string,
  userId: string,
): Promise<boolean> {
  return deleteFromRoster(db, 'shop_members', shopId, userId);
}

/**
 * The shop's members, newest first, with the leader who brought each one and the orders
 * they placed in this shop (every order but the cancelled ones).
 */
export async function listShopMembers(
  db: Database,
  shopId: string,
  limit = 500,
): Promise<MemberListRow[]> {
  const rows = await db
    .selectFrom('shop_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('leaders as l', 'l.id', 'm.leader_id')
    .select((eb) => [
      'm.user_id',
      'u.name',
      'm.created_at',
      'l.id as leader_id',
      'l.display_name as leader_name',
      'l.community as leader_community',
      eb
        .selectFrom('orders as o')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('o.buyer_id', '=', 'm.user_id')
        .where('o.shop_id', '=', shopId)
        .where('o.state', '!=', 'cancelled')
        .as('orders'),
    ])
    .where('m.shop_id', '=', shopId)
    .orderBy('m.created_at', 'desc')
    .orderBy('m.user_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.name,
    leader:
      r.leader_id && r.leader_name !== null
        ? { id: r.leader_id, displayName: r.leader_name, community: r.leader_community }
        : null,
    joinedAt: r.created_at,
    orders: r.orders ?? 0,
  }));
}
