import { sql, type Transaction } from 'kysely';
import type { Database } from '../database';
import type { DB, NewOfferRow, OfferRow } from '../schema';
import type { StreamOffer } from '../../server/contracts/stream';

/** The shape GET /api/streams/:id answers for each offer. */
export type StreamOfferView = StreamOffer;

/** The offers of a stream as the watch page shows them, oldest first. */
export async function listStreamOffers(db: Database, streamId: string): Promise<StreamOfferView[]> {
  const rows = await db
    .selectFrom('offers')
    .innerJoin('products', 'products.id', 'offers.product_id')
    .select([
      'offers.id',
      'offers.product_id',
      'products.name as product_name',
      'products.image_url',
      'offers.price_cents',
      'offers.quantity',
      'offers.remaining',
      'offers.per_buyer_limit',
      'offers.group_min',
      'offers.group_deadline',
      'offers.closed_at',
    ])
    .where('offers.stream_id', '=', streamId)
    .orderBy('offers.created_at')
    .orderBy('offers.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    productId: r.product_id,
    productName: r.product_name,
    imageUrl: r.image_url,
    priceCents: r.price_cents,
    quantity: r.quantity,
    remaining: r.remaining,
    perBuyerLimit: r.per_buyer_limit,
    groupMin: r.group_min,
    groupDeadline: r.group_deadline?.toISOString() ?? null,
    groupCount: r.group_min === null ? 0 : r.quantity - r.remaining,
    closed: r.closed_at !== null,
  }));
}

export interface StreamOwnership {
  stream_id: string;
  shop_id: string;
  owner_id: string;
  status: 'scheduled' | 'live' | 'ended';
}

export async function findStreamOwnership(
  db: Database,
  streamId: string,
): Promise<StreamOwnership | undefined> {
  return db
    .selectFrom('streams')
    .innerJoin('shops', 'shops.id', 'streams.shop_id')
    .select(['streams.id as stream_id', 'streams.shop_id', 'shops.owner_id', 'streams.status'])
    .where('streams.id', '=', streamId)
    .executeTakeFirst();
}

export async function insertOffer(db: Database, row: NewOfferRow): Promise<OfferRow> {
  return db.insertInto('offers').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findStreamOffer(
  db: Database,
  streamId: string,
  offerId: string,
): Promise<OfferRow | undefined> {
  return db
    .selectFrom('offers')
    .selectAll()
    .where('stream_id', '=', streamId)
    .where('id', '=', offerId)
    .executeTakeFirst();
}

export async function setPinnedOffer(
  db: Database,
  streamId: string,
  offerId: string | null,
): Promise<void> {
  await db
    .updateTable('streams')
    .set({ pinned_offer_id: offerId })
    .where('id', '=', streamId)
    .execute();
}

/** Closes an offer to new orders; null when it was already closed. */
export async function closeOffer(db: Database, offerId: string): Promise<OfferRow | null> {
  const row = await db
    .updateTable('offers')
    .set({ closed_at: new Date() })
    .where('id', '=', offerId)
    .where('closed_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** An offer as its editor needs it: with its stream's state and its product's stock. */
export interface LockedOfferRow extends OfferRow {
  stream_status: 'scheduled' | 'live' | 'ended';
  product_stock: number;
}

/**
 * The offer, its row locked until the transaction ends. Every order takes this same row
 * lock when it takes stock (its conditional update of `remaining`), so while it is held the
 * units sold cannot move and no order can be written on the offer.
 */
export async function lockStreamOffer(
  trx: Transaction<DB>,
  streamId: string,
  offerId: string,
): Promise<LockedOfferRow | undefined> {
  return (
    trx
      .selectFrom('offers')
      .innerJoin('streams', 'streams.id', 'offers.stream_id')
      .innerJoin('products', 'products.id', 'offers.product_id')
      .selectAll('offers')
      .select(['streams.status as stream_status', 'products.stock as product_stock'])
      .where('offers.id', '=', offerId)
      .where('offers.stream_id', '=', streamId)
      // the lock an UPDATE takes: it does not block the key-share lock of an order's FK
      .forNoKeyUpdate('offers')
      .executeTakeFirst()
  );
}

/** Whether any order, in any state, was ever placed on the offer. */
export async function offerHasOrders(trx: Transaction<DB>, offerId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('orders')
    .select('id')
    .where('offer_id', '=', offerId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** What an owner may change about an offer; absent fields stay as they are. */
export interface OfferTermsUpdate {
  price_cents?: number;
  quantity?: number;
  per_buyer_limit?: number | null;
  group_min?: number | null;
  group_deadline?: Date | null;
}

/**
 * Changes an offer's terms. A new quantity moves `remaining` by the same amount, so the
 * units sold or held (quantity − remaining) stay exactly as they are and
 * sold + remaining = quantity still holds. The update is conditional on the new quantity
 * covering those units, evaluated on the row as it is when the update gets its lock (and
 * CHECK offers_remaining_in_range backs it): undefined when it does not.
 */
export async function updateOfferTerms(
  trx: Transaction<DB>,
  offerId: string,
  terms: OfferTermsUpdate,
): Promise<OfferRow | undefined> {
  const { quantity, ...rest } = terms;
  let query = trx
    .updateTable('offers')
    .set({
      ...rest,
      ...(quantity !== undefined
        ? { quantity, remaining: sql<number>`remaining + (${quantity}::int - quantity)` }
        : {}),
    })
    .where('id', '=', offerId);
  if (quantity !== undefined) {
    query = query.where(sql<boolean>`quantity - remaining <= ${quantity}::int`);
  }
  return query.returningAll().executeTakeFirst();
}

/** Offers by id (the outbox sweep re-reads the stock of orders it announces late). */
export async function findOffersByIds(db: Database, ids: string[]): Promise<OfferRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('offers').selectAll().where('id', 'in', ids).execute();
}
