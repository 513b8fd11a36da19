import { sql, type Transaction } from 'kysely';
import type { Database } from '../database';
import type { DB } from '../schema';
import type { RefundRequestRow } from '../commerce.schema';

/** Opens a refund request unless one is open already; null when it is. */
export async function insertRefundRequestUnlessOpen(
  db: Database,
  row: {
    order_id: string;
    shop_id: string;
    buyer_id: string;
    reason: string;
    photo_url: string | null;
  },
): Promise<RefundRequestRow | null> {
  const inserted = await db
    .insertInto('refund_requests')
    .values(row)
    .onConflict((oc) => oc.column('order_id').where('status', '=', 'open').doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ?? null;
}

/** Resolves the order's open request, if any. */
export async function resolveOpenRefundRequest(
  trx: Transaction<DB>,
  orderId: string,
  status: 'approved' | 'declined',
  by: string,
  note: string | null,
): Promise<RefundRequestRow | null> {
  const row = await trx
    .updateTable('refund_requests')
    .set({ status, resolved_at: sql<Date>`now()`, resolved_by: by, note })
    .where('order_id', '=', orderId)
    .where('status', '=', 'open')
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

export interface RefundListRow extends RefundRequestRow {
  buyer_name: string;
  product_name: string;
  quantity: number;
  total_cents: number;
  order_state: string;
  pickup_code: string;
  age_seconds: number;
}

export async function listShopRefundRequests(
  db: Database,
  shopId: string,
  status: 'open' | 'all',
): Promise<RefundListRow[]> {
  let q = db
    .selectFrom('refund_requests')
    .innerJoin('orders', 'orders.id', 'refund_requests.order_id')
    .innerJoin('users', 'users.id', 'refund_requests.buyer_id')
    .selectAll('refund_requests')
    .select([
      'users.name as buyer_name',
      'orders.product_name',
      'orders.quantity',
      'orders.total_cents',
      'orders.state as order_state',
      'orders.pickup_code',
      sql<number>`extract(epoch from (coalesce(refund_requests.resolved_at, now()) - refund_requests.created_at))::int`.as(
        'age_seconds',
      ),
    ])
    .where('refund_requests.shop_id', '=', shopId);
  if (status === 'open') q = q.where('refund_requests.status', '=', 'open');
  return q.orderBy('refund_requests.created_at', 'asc').limit(500).execute();
}
