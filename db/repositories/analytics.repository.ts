import { sql } from 'kysely';
import type { Database } from '../database';
import type { OrderState } from '../commerce.schema';

// Reads for a stream's analytics. Every number comes from a recorded row (participant
// sessions from LiveKit webhooks, comments, orders, clicks), so it survives a restart.

/** Orders that count as sales: everything but cancelled and refunded ones. */
export const SALE_STATES = [
  'pending_group',
  'confirmed',
  'ready',
  'picked_up',
] as const satisfies readonly OrderState[];

export interface ViewerSessionRow {
  identity: string;
  joinedAt: Date;
  leftAt: Date | null;
}

/** Every media session of the stream except those of the given identities (the owner). */
export async function listViewerSessions(
  db: Database,
  streamId: string,
  excludeIdentities: string[],
): Promise<ViewerSessionRow[]> {
  let query = db
    .selectFrom('participant_sessions')
    .select(['identity', 'joined_at', 'left_at'])
    .where('stream_id', '=', streamId);
  if (excludeIdentities.length) query = query.where('identity', 'not in', excludeIdentities);
  const rows = await query.orderBy('joined_at').execute();
  return rows.map((r) => ({ identity: r.identity, joinedAt: r.joined_at, leftAt: r.left_at }));
}

/** Creation times of the stream's visible (not moderated away) comments. */
export async function listCommentTimes(db: Database, streamId: string): Promise<Date[]> {
  const rows = await db
    .selectFrom('comments')
    .select('created_at')
    .where('stream_id', '=', streamId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.created_at);
}

export async function countDeletedComments(db: Database, streamId: string): Promise<number> {
  const row = await db
    .selectFrom('comments')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('stream_id', '=', streamId)
    .where('deleted_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return row.n;
}

export interface SaleRow {
  offerId: string;
  buyerId: string;
  leaderId: string | null;
  quantity: number;
  totalCents: number;
  commissionCents: number;
  createdAt: Date;
}

/** The stream's orders that count as sales (see SALE_STATES), oldest first. */
export async function listStreamSales(db: Database, streamId: string): Promise<SaleRow[]> {
  const rows = await db
    .selectFrom('orders')
    .select([
      'offer_id',
      'buyer_id',
      'leader_id',
      'quantity',
      'total_cents',
      'commission_cents',
      'created_at',
    ])
    .where('stream_id', '=', streamId)
    .where('state', 'in', SALE_STATES)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    offerId: r.offer_id,
    buyerId: r.buyer_id,
    leaderId: r.leader_id,
    quantity: r.quantity,
    totalCents: r.total_cents,
    commissionCents: r.commission_cents,
    createdAt: r.created_at,
  }));
}

/** Orders of the stream that did not become sales, by state. */
export async function countLostOrders(
  db: Database,
  streamId: string,
): Promise<{ cancelled: number; refunded: number }> {
  const rows = await db
    .selectFrom('orders')
    .select(['state', sql<number>`count(*)::int`.as('n')])
    .where('stream_id', '=', streamId)
    .where('state', 'in', ['cancelled', 'refunded'])
    .groupBy('state')
    .execute();
  const of = (state: OrderState) => rows.find((r) => r.state === state)?.n ?? 0;
  return { cancelled: of('cancelled'), refunded: of('refunded') };
}

export interface StreamOfferRow {
  offerId: string;
  productName: string;
  priceCents: number;
  quantity: number;
  remaining: number;
  groupMin: number | null;
}

export async function listOffersOfStream(
  db: Database,
  streamId: string,
): Promise<StreamOfferRow[]> {
  const rows = await db
    .selectFrom('offers')
    .innerJoin('products', 'products.id', 'offers.product_id')
    .select([
      'offers.id',
      'products.name',
      'offers.price_cents',
      'offers.quantity',
      'offers.remaining',
      'offers.group_min',
    ])
    .where('offers.stream_id', '=', streamId)
    .orderBy('offers.created_at')
    .execute();
  return rows.map((r) => ({
    offerId: r.id,
    productName: r.name,
    priceCents: r.price_cents,
    quantity: r.quantity,
    remaining: r.remaining,
    groupMin: r.group_min,
  }));
}

export interface LeaderOfStreamRow {
  leaderId: string;
  displayName: string;
  code: string | null;
  clicks: number;
  visitors: number;
}

/**
 * The leaders that matter to this stream: those whose link was opened for it, or who are
 * credited with one of its orders (a shop link followed before the stream counts too).
 */
export async function listLeadersOfStream(
  db: Database,
  streamId: string,
  creditedLeaderIds: string[],
): Promise<LeaderOfStreamRow[]> {
  const clicks = db
    .selectFrom('leader_clicks')
    .select([
      'leader_id',
      sql<number>`count(*)::int`.as('clicks'),
      sql<number>`count(distinct visitor_key)::int`.as('visitors'),
    ])
    .where('stream_id', '=', streamId)
    .where('source', '=', 'link')
    .groupBy('leader_id')
    .as('c');
  const rows = await db
    .selectFrom('leaders')
    .leftJoin(clicks, 'c.leader_id', 'leaders.id')
    .select([
      'leaders.id',
      'leaders.display_name',
      'leaders.code',
      sql<number>`coalesce(c.clicks, 0)`.as('clicks'),
      sql<number>`coalesce(c.visitors, 0)`.as('visitors'),
    ])
    .where((eb) =>
      creditedLeaderIds.length
        ? eb.or([eb('c.leader_id', 'is not', null), eb('leaders.id', 'in', creditedLeaderIds)])
        : eb('c.leader_id', 'is not', null),
    )
    .orderBy('leaders.display_name')
    .execute();
  return rows.map((r) => ({
    leaderId: r.id,
    displayName: r.display_name,
    code: r.code,
    clicks: Number(r.clicks),
    visitors: Number(r.visitors),
  }));
}
