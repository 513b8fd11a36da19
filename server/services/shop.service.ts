import type { Database } from '../../db/database';
import type { ShopRow, StreamRow } from '../../db/schema';
import {
  findShopBySlug,
  insertShopUnlessSlugTaken,
  findShopById,
  listShopStreams,
  updateShopSettings,
} from '../../db/repositories/shop.repository';
import { AppError } from '../errors';
import type { User } from './auth.service';
import type { EditShopBody, PublicShopPage, Shop } from '../contracts/shop';
import { membershipIn } from './member.service';
import type { StreamSummary } from '../contracts/stream';

export type { Shop, StreamSummary };

export function shopRowToShop(row: ShopRow): Shop {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    address: row.address,
    pickupHours: row.pickup_hours,
    story: row.story,
    logoUrl: row.logo_url,
    attributionDays: row.attribution_days,
    defaultBuyerLimit: row.default_buyer_limit,
    responsePromiseHours: row.response_promise_hours,
    instantRefundCents: row.instant_refund_cents,
  };
}

export function streamRowToSummary(row: StreamRow): StreamSummary {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    scheduledAt: row.scheduled_at?.toISOString() ?? null,
    startedAt: row.started_at?.toISOString() ?? null,
    endedAt: row.ended_at?.toISOString() ?? null,
    coverUrl: row.cover_url,
    visibility: row.visibility,
  };
}

export async function createShop(
  db: Database,
  owner: User,
  input: {
    name: string;
    slug: string;
    address?: string | undefined;
    pickupHours?: string | undefined;
    story?: string | undefined;
  },
): Promise<Shop> {
  if (owner.guest) throw new AppError('forbidden', 'Guests cannot open a shop; sign up first.');
  const row = await insertShopUnlessSlugTaken(db, {
    owner_id: owner.id,
    name: input.name,
    slug: input.slug,
    address: input.address ?? null,
    pickup_hours: input.pickupHours ?? null,
    story: input.story ?? null,
  });
  if (!row) throw new AppError('slug_taken', `The address /shop/${input.slug} is taken.`);
  return shopRowToShop(row);
}

/**
 * A shop's page as the requester sees it: members-only streams are listed only to the shop's
 * members and its owner, and the answer says whether the requester is a member.
 */
export async function getPublicShop(
  db: Database,
  slug: string,
  user: User | null = null,
): Promise<PublicShopPage> {
  const row = await findShopBySlug(db, slug);
  if (!row) throw new AppError('not_found', 'No shop at this address.');
  const [streams, membership] = await Promise.all([
    listShopStreams(db, row.id),
    membershipIn(db, row.id, user),
  ]);
  const owner = user !== null && user.id === row.owner_id;
  const seesAll = owner || membership.member;
  return {
    shop: shopRowToShop(row),
    streams: streams.filter((s) => seesAll || s.visibility === 'public').map(streamRowToSummary),
    membership,
    owner,
  };
}

/**
 * The owner edits their shop: name, texts, logo, the leaders' attribution window and the
 * default per-buyer limit. Fields left out stay as they are; the window applies to the next
 * order (attribution reads it when the order is placed), the limit to offers without their own.
 */
export async function editShop(
  db: Database,
  owner: User,
  shopId: string,
  input: EditShopBody,
): Promise<Shop> {
  const shop = await findShopById(db, shopId);
  if (!shop) throw new AppError('not_found', 'No such shop.');
  if (shop.owner_id !== owner.id)
    throw new AppError('forbidden', 'Only the shop owner can do this.');
  const changes: Parameters<typeof updateShopSettings>[2] = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.address !== undefined) changes.address = input.address;
  if (input.pickupHours !== undefined) changes.pickup_hours = input.pickupHours;
  if (input.story !== undefined) changes.story = input.story;
  if (input.logoUrl !== undefined) changes.logo_url = input.logoUrl;
  if (input.attributionDays !== undefined) changes.attribution_days = input.attributionDays;
  if (input.defaultBuyerLimit !== undefined) changes.default_buyer_limit = input.defaultBuyerLimit;
  if (input.responsePromiseHours !== undefined)
    changes.response_promise_hours = input.responsePromiseHours;
  if (input.instantRefundCents !== undefined)
    changes.instant_refund_cents = input.instantRefundCents;
  const row = await updateShopSettings(db, shopId, changes);
  if (!row) throw new AppError('not_found', 'No such shop.');
  return shopRowToShop(row);
}
