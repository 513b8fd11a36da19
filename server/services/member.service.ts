import type { Database } from '../../db/database';
import { findLeader } from '../../db/repositories/leader.repository';
import {
  deleteShopMember,
  findShopMember,
  insertShopMember,
  listShopMembers,
} from '../../db/repositories/member.repository';
import { isShopModerator } from '../../db/repositories/moderator.repository';
import { findShopById } from '../../db/repositories/shop.repository';
import type { ShopMembership, ShopMember } from '../contracts/member';
import { AppError } from '../errors';
import { attributeOrder } from './attribution.service';
import type { User } from './auth.service';
import { isUuid } from '../rules/ids';

// The shop's private domain (SPEC journey 15): residents join a shop through its page or a
// leader's link, credited to that leader; members-only streams are watched by members alone
// (stream.service issueToken asks mayWatchMembersOnly).

const NOT_A_MEMBER: ShopMembership = { member: false, joinedAt: null, leader: null };

async function loadShop(db: Database, shopId: string) {
  const shop = isUuid(shopId) ? await findShopById(db, shopId) : undefined;
  if (!shop) throw new AppError('not_found', 'No such shop.');
  return shop;
}

async function toMembership(
  db: Database,
  shopId: string,
  row: { leaderId: string | null; joinedAt: Date },
): Promise<ShopMembership> {
  const leader = row.leaderId ? await findLeader(db, shopId, row.leaderId) : undefined;
  return {
    member: true,
    joinedAt: row.joinedAt.toISOString(),
    leader: leader
      ? { id: leader.id, displayName: leader.display_name, community: leader.community }
      : null,
  };
}

/**
 * Joins the shop (关注/入群), guests included. The member is credited to the leader who would
 * earn an order placed now: the last click on the shop within its attribution window, by
 * account or visitor cookie, if that leader is approved and not the member themselves
 * (attribution.service, the order rule). Joining again keeps the first leader.
 */
export async function joinShop(
  db: Database,
  user: User,
  shopId: string,
  visitorKey: string | null,
  ref?: string,
  now = new Date(),
): Promise<{ membership: ShopMembership; created: boolean }> {
  const shop = await loadShop(db, shopId);
  if (shop.owner_id === user.id) {
    throw new AppError('bad_request', 'The owner does not join their own shop.');
  }
  const existing = await findShopMember(db, shop.id, user.id);
  if (existing) return { membership: await toMembership(db, shop.id, existing), created: false };
  const credited = await attributeOrder(db, {
    shopId: shop.id,
    attributionDays: shop.attribution_days,
    buyerId: user.id,
    visitorKey,
    ref,
    now,
  });
  const row = await insertShopMember(db, {
    shopId: shop.id,
    userId: user.id,
    leaderId: credited?.leaderId ?? null,
  });
  return { membership: await toMembership(db, shop.id, row), created: row.created };
}

/** Leaves the shop; leaving when not a member changes nothing. */
export async function leaveShop(db: Database, user: User, shopId: string): Promise<void> {
  const shop = await loadShop(db, shopId);
  await deleteShopMember(db, shop.id, user.id);
}

/** My membership of the shop; not a member when nobody is signed in. */
export async function myMembership(
  db: Database,
  user: User | null,
  shopId: string,
): Promise<ShopMembership> {
  const shop = await loadShop(db, shopId);
  return membershipIn(db, shop.id, user);
}

/** The user's membership of a shop known to exist; not a member when nobody is signed in. */
export async function membershipIn(
  db: Database,
  shopId: string,
  user: User | null,
): Promise<ShopMembership> {
  if (!user) return NOT_A_MEMBER;
  const row = await findShopMember(db, shopId, user.id);
  return row ? toMembership(db, shopId, row) : NOT_A_MEMBER;
}

/** The owner's list of members: who brought each one, when they joined, their orders here. */
export async function listMembers(db: Database, user: User, shopId: string): Promise<ShopMember[]> {
  const shop = await loadShop(db, shopId);
  if (shop.owner_id !== user.id) {
    throw new AppError('forbidden', "Only the shop owner sees the shop's members.");
  }
  return (await listShopMembers(db, shop.id)).map((m) => ({
    userId: m.userId,
    name: m.name,
    leader: m.leader,
    joinedAt: m.joinedAt.toISOString(),
    orders: m.orders,
  }));
}

/** Whether the user is a member of the shop (the owner counts as one). */
export async function isMemberOrOwner(
  db: Database,
  shop: { id: string; owner_id: string },
  user: User | null,
): Promise<boolean> {
  if (!user) return false;
  if (shop.owner_id === user.id) return true;
  return (await findShopMember(db, shop.id, user.id)) !== undefined;
}

/**
 * Who may watch a members-only stream: the shop's members and owner, and its appointed
 * moderators (accepted co-hosts are let in by the caller, which knows the stream).
 */
export async function mayWatchMembersOnly(
  db: Database,
  shop: { id: string; owner_id: string },
  user: User | null,
): Promise<boolean> {
  if (!user) return false;
  if (await isMemberOrOwner(db, shop, user)) return true;
  return isShopModerator(db, shop.id, user.id);
}
