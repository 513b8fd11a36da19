import type { Database } from '../database';
import type { NewOfferRow, OfferRow } from '../schema';

export interface StreamOfferView {
  id: string;
  productId: string;
  productName: string;
  imageUrl: string | null;
  priceCents: number;
  quantity: number;
  remaining: number;
  perBuyerLimit: number | null;
  groupMin: number | null;
  groupDeadline: string | null;
  /** Units counted towards the group threshold: every unit not cancelled. */
  groupCount: number;
}

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
