import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Database } from '../../db/database';
import type { OrderRow, OrderState } from '../../db/commerce.schema';
import { insertLedgerEntries } from '../../db/repositories/commission.repository';
import {
  findOrderById,
  findOrderListRow,
  lockOrder,
  lockOrderByCode,
  returnStock,
  transitionOrder,
} from '../../db/repositories/order.repository';
import { insertOutbox, type OutboxRow } from '../../db/repositories/outbox.repository';
import { listOrdersToPrepare } from '../../db/repositories/pickup.repository';
import {
  insertRefundRequestUnlessOpen,
  listShopRefundRequests,
  resolveOpenRefundRequest,
} from '../../db/repositories/refund.repository';
import type { AppDeps } from '../context';
import { stockGateFor } from './stock-gate.service';
import { AppError } from '../errors';
import type { User } from './auth.service';
import { ledgerOnPickup, ledgerOnReverse } from '../rules/commission';
import { assertPickupStaff, assertShopOwner } from './order-query.service';
import { dayIn, isOverdue, SHOP_TIME_ZONE } from '../rules/pickup';
import { offerStatus } from '../rules/offer';
import { orderListRowToDetail, type OrderDetail } from './order.service';
import { offerUpdate } from '../contracts/realtime';
import { publishCommitted, toOutbox } from './outbox.service';
import type { PrepareList, RefundRequest } from '../contracts/order';

type Deps = Pick<AppDeps, 'config' | 'db' | 'realtime' | 'logger'>;

async function detail(db: Database, orderId: string): Promise<OrderDetail> {
  const row = await findOrderListRow(db, orderId);
  if (!row) throw new AppError('not_found', 'No such order.');
  return orderListRowToDetail(row);
}

function publish(deps: Deps, rows: OutboxRow[]) {
  publishCommitted(deps.db, deps.realtime, rows, (err) =>
    deps.logger.error({ err }, 'outbox delete failed'),
  );
}

const STATE_MESSAGE: Record<OrderState, string> = {
  pending_group: 'This order is still waiting for its group to form.',
  confirmed: 'This order is confirmed.',
  ready: 'This order is ready.',
  picked_up: 'This order has already been picked up.',
  cancelled: 'This order was cancelled.',
  refunded: 'This order was refunded.',
};

/**
 * Takes an order out of circulation (cancel or refund): the state change is conditional,
 * units go back to the offer when the goods never left the shop, and the commission is
 * reversed (a negative earned entry when it had been earned).
 */
async function reverseOrder(
  trx: Transaction<DB>,
  order: OrderRow,
  to: 'cancelled' | 'refunded',
  from: readonly OrderState[],
  cancelReason?: string,
): Promise<{ order: OrderRow; outbox: OutboxRow[]; remaining: number | null }> {
  const changed = await transitionOrder(
    trx,
    order.id,
    from,
    to,
    cancelReason ? { cancel_reason: cancelReason } : {},
  );
  if (!changed) throw new AppError('invalid_transition', STATE_MESSAGE[order.state]);
  const wasPickedUp = order.state === 'picked_up';
  await insertLedgerEntries(
    trx,
    ledgerOnReverse(order, wasPickedUp, to === 'refunded' ? 'refund' : 'cancel'),
  );
  let outbox: OutboxRow[] = [];
  let remaining: number | null = null;
  if (!wasPickedUp) {
    const stock = await returnStock(trx, order.offer_id, order.quantity);
    remaining = stock.remaining;
    const offer = await trx
      .selectFrom('offers')
      .select(['group_min', 'group_reached_at', 'group_failed_at', 'closed_at'])
      .where('id', '=', order.offer_id)
      .executeTakeFirstOrThrow();
    outbox = await insertOutbox(
      trx,
      toOutbox(order.stream_id, [
        {
          event: 'offer:update',
          payload: offerUpdate({
            streamId: order.stream_id,
            offerId: order.offer_id,
            quantity: stock.quantity,
            remaining: stock.remaining,
            groupMin: stock.group_min,
            status: offerStatus({ ...offer, remaining: stock.remaining }),
          }),
        },
      ]),
    );
  }
  return { order: changed, outbox, remaining };
}

/** The shop's staff (owner, or the leader at their own point) hands out an order by code. */
export async function redeemPickup(
  deps: Deps,
  staff: User,
  shopId: string,
  code: string,
): Promise<OrderDetail> {
  const { leaderId } = await assertPickupStaff(deps.db, staff, shopId);
  const orderId = await deps.db.transaction().execute(async (trx) => {
    const order = await lockOrderByCode(trx, shopId, code);
    if (!order) throw new AppError('not_found', `No order with pickup code ${code}.`);
    if (leaderId && order.pickup_leader_id !== leaderId) {
      throw new AppError('forbidden', 'This order is picked up at another point.');
    }
    if (order.state === 'picked_up') {
      throw new AppError(
        'pickup_code_used',
        `Already picked up at ${order.picked_up_at?.toISOString() ?? 'an earlier time'}.`,
      );
    }
    const changed = await transitionOrder(trx, order.id, ['confirmed', 'ready'], 'picked_up');
    if (!changed) throw new AppError('invalid_transition', STATE_MESSAGE[order.state]);
    await insertLedgerEntries(trx, ledgerOnPickup(order));
    return order.id;
  });
  return detail(deps.db, orderId);
}

export type { PrepareList };

/**
 * What to pack for whom at one pickup point today. An owner opening this in the morning
 * expects the confirmed orders still waiting to be collected that are due today, plus the
 * overdue ones (due earlier, never collected: the goods are still on the shelf and the buyer
 * needs a call), and not the pre-orders of a stream that airs on a later day, nor group
 * orders still waiting to form, nor anything picked up, cancelled or refunded. An order is
 * due from the later of the day it was confirmed and the day its stream airs. The owner's
 * dashboard counts the same list, so its numbers match the packing list it links to.
 */
export async function toPrepare(
  db: Database,
  staff: User,
  shopId: string,
  pickupPointId: string,
  now = new Date(),
): Promise<PrepareList> {
  const { leaderId } = await assertPickupStaff(db, staff, shopId);
  const pointLeader = pickupPointId === shopId ? null : pickupPointId;
  if (leaderId && pointLeader !== leaderId) {
    throw new AppError('forbidden', "Leaders see only their own point's list.");
  }
  const rows = await listOrdersToPrepare(db, shopId, pointLeader, {
    now,
    timeZone: SHOP_TIME_ZONE,
  });
  const today = dayIn(now, SHOP_TIME_ZONE);
  const totals = new Map<string, number>();
  const byCode = new Map<string, PrepareList['buyers'][number]>();
  for (const r of rows) {
    totals.set(r.product_name, (totals.get(r.product_name) ?? 0) + r.quantity);
    const entry = byCode.get(r.pickup_code) ?? {
      buyerName: r.buyer_name,
      phone: r.phone,
      pickupCode: r.pickup_code,
      dueOn: r.due_on,
      overdue: isOverdue(r.due_on, today),
      items: [],
    };
    entry.items.push({ productName: r.product_name, quantity: r.quantity });
    byCode.set(r.pickup_code, entry);
  }
  return {
    pickupPointId,
    today,
    totals: [...totals].map(([productName, quantity]) => ({ productName, quantity })),
    buyers: [...byCode.values()].sort((a, b) => a.buyerName.localeCompare(b.buyerName, 'zh-CN')),
  };
}

/** The buyer asks for a refund with a reason (and optionally a photo of the problem). */
export async function requestRefund(
  db: Database,
  buyer: User,
  orderId: string,
  input: { reason: string; photoUrl?: string | undefined },
): Promise<{ id: string; status: 'open'; createdAt: string }> {
  const order = await findOrderById(db, orderId);
  if (!order || order.buyer_id !== buyer.id) throw new AppError('not_found', 'No such order.');
  if (order.state === 'cancelled' || order.state === 'refunded') {
    throw new AppError('invalid_transition', STATE_MESSAGE[order.state]);
  }
  const row = await insertRefundRequestUnlessOpen(db, {
    order_id: order.id,
    shop_id: order.shop_id,
    buyer_id: buyer.id,
    reason: input.reason,
    photo_url: input.photoUrl ?? null,
  });
  if (!row) throw new AppError('conflict', 'A refund request for this order is already open.');
  return { id: row.id, status: 'open', createdAt: row.created_at.toISOString() };
}

/** The owner refunds an order (approving its open request, if there is one). */
export async function refundOrder(
  deps: Deps,
  owner: User,
  orderId: string,
  note?: string,
): Promise<OrderDetail> {
  const order = await findOrderById(deps.db, orderId);
  if (!order) throw new AppError('not_found', 'No such order.');
  await assertShopOwner(deps.db, owner, order.shop_id);
  const { outbox, remaining } = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockOrder(trx, orderId);
    if (!locked) throw new AppError('not_found', 'No such order.');
    const result = await reverseOrder(trx, locked, 'refunded', [
      'pending_group',
      'confirmed',
      'ready',
      'picked_up',
    ]);
    await resolveOpenRefundRequest(trx, orderId, 'approved', owner.id, note ?? null);
    return result;
  });
  // units went back on the offer: the stock gate starts a new epoch with them
  if (remaining !== null) await stockGateFor(deps).restocked(order.offer_id, remaining);
  publish(deps, outbox);
  return detail(deps.db, orderId);
}

export async function declineRefund(
  db: Database,
  owner: User,
  orderId: string,
  note: string,
): Promise<{ status: 'declined' }> {
  const order = await findOrderById(db, orderId);
  if (!order) throw new AppError('not_found', 'No such order.');
  await assertShopOwner(db, owner, order.shop_id);
  const resolved = await db
    .transaction()
    .execute((trx) => resolveOpenRefundRequest(trx, orderId, 'declined', owner.id, note));
  if (!resolved) throw new AppError('invalid_transition', 'There is no open refund request.');
  return { status: 'declined' };
}

/** The buyer cancels before pickup: units go back on the offer, commission is reversed. */
export async function cancelOrder(deps: Deps, buyer: User, orderId: string): Promise<OrderDetail> {
  const order = await findOrderById(deps.db, orderId);
  if (!order || order.buyer_id !== buyer.id) throw new AppError('not_found', 'No such order.');
  const { outbox, remaining } = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockOrder(trx, orderId);
    if (!locked) throw new AppError('not_found', 'No such order.');
    return reverseOrder(
      trx,
      locked,
      'cancelled',
      ['pending_group', 'confirmed'],
      'buyer_cancelled',
    );
  });
  // units went back on the offer: the stock gate starts a new epoch with them
  if (remaining !== null) await stockGateFor(deps).restocked(order.offer_id, remaining);
  publish(deps, outbox);
  return detail(deps.db, orderId);
}

export type RefundRequestView = RefundRequest;

export async function listRefunds(
  db: Database,
  owner: User,
  shopId: string,
  status: 'open' | 'all',
): Promise<RefundRequestView[]> {
  await assertShopOwner(db, owner, shopId);
  const rows = await listShopRefundRequests(db, shopId, status);
  return rows.map((r) => ({
    id: r.id,
    orderId: r.order_id,
    buyerName: r.buyer_name,
    productName: r.product_name,
    quantity: r.quantity,
    totalCents: r.total_cents,
    orderStatus: r.order_state,
    pickupCode: r.pickup_code,
    reason: r.reason,
    photoUrl: r.photo_url,
    status: r.status,
    note: r.note,
    createdAt: r.created_at.toISOString(),
    ageSeconds: r.age_seconds,
  }));
}
