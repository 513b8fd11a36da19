import { sql, type Transaction } from 'kysely';
import type { Database } from '../database';
import type { DB } from '../schema';
import type { RefundRequestRow } from '../commerce.schema';
import type { RefundDecider, RefundKind } from '../after-sales.schema';

/**
 * Opens a refund request unless one is open already; null when it is. Its deadline is the
 * shop's promise as it stands now, counted from the database's clock like created_at.
 */
export async function insertRefundRequestUnlessOpen(
  db: Database,
  row: {
    order_id: string;
    shop_id: string;
    buyer_id: string;
    reason: string;
    photo_url: string | null;
    kind: RefundKind;
    promise_hours: number;
  },
): Promise<RefundRequestRow | null> {
  const { promise_hours, ...values } = row;
  const inserted = await db
    .insertInto('refund_requests')
    .values({ ...values, due_at: sql<Date>`now() + make_interval(hours => ${promise_hours})` })
    .onConflict((oc) => oc.column('order_id').where('status', '=', 'open').doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ?? null;
}

/** Resolves the order's open request, if any; an automatic answer has nobody behind it. */
export async function resolveOpenRefundRequest(
  trx: Transaction<DB>,
  orderId: string,
  status: 'approved' | 'declined',
  decider: { as: RefundDecider; by: string | null },
  note: string | null,
): Promise<RefundRequestRow | null> {
  const row = await trx
    .updateTable('refund_requests')
    .set({
      status,
      resolved_at: sql<Date>`now()`,
      resolved_by: decider.by,
      decided_as: decider.as,
      note,
    })
    .where('order_id', '=', orderId)
    .where('status', '=', 'open')
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

function requestsOf(db: Database, orderId: string) {
  return db.selectFrom('refund_requests').selectAll().where('order_id', '=', orderId);
}

export async function findOpenRefundRequest(
  db: Database,
  orderId: string,
): Promise<RefundRequestRow | undefined> {
  return requestsOf(db, orderId).where('status', '=', 'open').executeTakeFirst();
}

/** The order's latest request (open, or the last one answered). */
export async function findLatestRefundRequest(
  db: Database,
  orderId: string,
): Promise<RefundRequestRow | undefined> {
  return requestsOf(db, orderId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export interface RefundListRow extends RefundRequestRow {
  buyer_name: string;
  product_name: string;
  quantity: number;
  total_cents: number;
  order_state: string;
  pickup_code: string;
  pickup_leader_id: string | null;
  pickup_point_name: string | null;
  decided_by_name: string | null;
  age_seconds: number;
}

/** A shop's requests, or only those for orders picked up at one leader's point. */
export async function listShopRefundRequests(
  db: Database,
  shopId: string,
  status: 'open' | 'all',
  pickupLeaderId: string | null = null,
): Promise<RefundListRow[]> {
  let q = db
    .selectFrom('refund_requests')
    .innerJoin('orders', 'orders.id', 'refund_requests.order_id')
    .innerJoin('users', 'users.id', 'refund_requests.buyer_id')
    .leftJoin('leaders', 'leaders.id', 'orders.pickup_leader_id')
    .leftJoin('users as deciders', 'deciders.id', 'refund_requests.resolved_by')
    .selectAll('refund_requests')
    .select([
      'users.name as buyer_name',
      'orders.product_name',
      'orders.quantity',
      'orders.total_cents',
      'orders.state as order_state',
      'orders.pickup_code',
      'orders.pickup_leader_id',
      'leaders.display_name as pickup_point_name',
      'deciders.name as decided_by_name',
      sql<number>`extract(epoch from (coalesce(refund_requests.resolved_at, now()) - refund_requests.created_at))::int`.as(
        'age_seconds',
      ),
    ])
    .where('refund_requests.shop_id', '=', shopId);
  if (status === 'open') q = q.where('refund_requests.status', '=', 'open');
  if (pickupLeaderId) q = q.where('orders.pickup_leader_id', '=', pickupLeaderId);
  return q.orderBy('refund_requests.created_at', 'asc').limit(500).execute();
}

export interface ResponseFigures {
  answered: number;
  answered_in_time: number;
  automatic: number;
  overdue_open: number;
  median_seconds: number | null;
}

/**
 * How well a shop kept its after-sales promise over the requests made in the last `days`
 * days: how many were answered, how many of those by their own deadline, how many are still
 * open past it, and the median time to an answer (automatic refunds count, at their few
 * milliseconds: the buyer had an answer).
 */
export async function responseFigures(
  db: Database,
  shopId: string,
  days: number,
): Promise<ResponseFigures> {
  const row = await db
    .selectFrom('refund_requests')
    .select([
      sql<number>`count(*) filter (where resolved_at is not null)::int`.as('answered'),
      sql<number>`count(*) filter (where resolved_at <= due_at)::int`.as('answered_in_time'),
      sql<number>`count(*) filter (where decided_as = 'automatic')::int`.as('automatic'),
      sql<number>`count(*) filter (where resolved_at is null and due_at < now())::int`.as(
        'overdue_open',
      ),
      sql<
        number | null
      >`percentile_cont(0.5) within group (order by extract(epoch from resolved_at - created_at)) filter (where resolved_at is not null)`.as(
        'median_seconds',
      ),
    ])
    .where('shop_id', '=', shopId)
    .where('created_at', '>', sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirstOrThrow();
  return {
    ...row,
    median_seconds: row.median_seconds === null ? null : Number(row.median_seconds),
  };
}
