import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Database } from '../../db/database';
import type { OrderRow, OrderState, RefundRequestRow } from '../../db/commerce.schema';
import { findOrderById, lockOrder } from '../../db/repositories/order.repository';
import {
  findLatestRefundRequest,
  findOpenRefundRequest,
  insertRefundRequestUnlessOpen,
  listShopRefundRequests,
  resolveOpenRefundRequest,
  responseFigures,
} from '../../db/repositories/refund.repository';
import { findApprovedLeaderOfUser, findShopById } from '../../db/repositories/pickup.repository';
import { AppError } from '../errors';
import type { User } from './auth.service';
import { assertPickupStaff, assertShopOwner } from './order-query.service';
import type { OrderDetail } from './order.service';
import { announce, notify } from './notification.service';
import {
  afterReverse,
  orderDetail,
  reverseOrder,
  STATE_MESSAGE,
  type AfterSalesDeps as Deps,
} from './reversal.service';
import {
  AFTER_SALES_WINDOW_DAYS,
  type AfterSalesSummary,
  type MyRefundRequest,
  type RefundKind,
  type RefundRequest,
  type RefundRequestList,
} from '../contracts/order';

// 售后: the buyer's refund requests and cancellations, the shop's answers to them, and how
// well the shop keeps its promise. Taking the order out of circulation is reversal.service;
// the pickup point's work is pickup.service (re-exported here for callers of old).
export { redeemPickup, toPrepare, type PrepareList } from './pickup.service';

/**
 * 秒退款: a bad-goods claim with a photo is refunded at once when the shop has a threshold
 * and the order's total is within it. A refund is always the whole order, so the order's
 * total is the amount claimed.
 */
export function isInstantRefund(
  shop: { instant_refund_cents: number },
  order: { total_cents: number },
  claim: { kind: RefundKind; photoUrl: string | null },
): boolean {
  return (
    claim.kind === 'bad_goods' &&
    claim.photoUrl !== null &&
    shop.instant_refund_cents > 0 &&
    order.total_cents <= shop.instant_refund_cents
  );
}

function toMyRefundRequest(row: RefundRequestRow): MyRefundRequest {
  return {
    id: row.id,
    orderId: row.order_id,
    status: row.status,
    kind: row.kind,
    automatic: row.decided_as === 'automatic',
    createdAt: row.created_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    note: row.note,
  };
}

const REFUNDABLE: readonly OrderState[] = ['pending_group', 'confirmed', 'ready', 'picked_up'];

/**
 * The buyer asks for a refund with a reason (and optionally a photo of the problem). The
 * request is promised an answer within the shop's promise; a 秒退款 claim is answered at
 * once, refunded through the same path as the owner's refund, and recorded as automatic.
 */
export async function requestRefund(
  deps: Deps,
  buyer: User,
  orderId: string,
  input: { reason: string; photoUrl?: string | undefined; kind?: RefundKind | undefined },
): Promise<MyRefundRequest> {
  const order = await findOrderById(deps.db, orderId);
  if (!order || order.buyer_id !== buyer.id) throw new AppError('not_found', 'No such order.');
  if (order.state === 'cancelled' || order.state === 'refunded') {
    throw new AppError('invalid_transition', STATE_MESSAGE[order.state]);
  }
  const shop = await findShopById(deps.db, order.shop_id);
  if (!shop) throw new AppError('not_found', 'No such order.');
  const claim = {
    order_id: order.id,
    shop_id: order.shop_id,
    buyer_id: buyer.id,
    reason: input.reason,
    photo_url: input.photoUrl ?? null,
    kind: input.kind ?? 'other',
    promise_hours: shop.response_promise_hours,
  };
  const taken = () => new AppError('conflict', 'A refund request for this order is already open.');
  if (!isInstantRefund(shop, order, { kind: claim.kind, photoUrl: claim.photo_url })) {
    const row = await insertRefundRequestUnlessOpen(deps.db, claim);
    if (!row) throw taken();
    return toMyRefundRequest(row);
  }
  const { result, row, told } = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockOrder(trx, orderId);
    if (!locked) throw new AppError('not_found', 'No such order.');
    if (!(await insertRefundRequestUnlessOpen(trx, claim))) throw taken();
    const result = await reverseOrder(trx, deps.config, locked, 'refunded', REFUNDABLE);
    const row = await resolveOpenRefundRequest(
      trx,
      orderId,
      'approved',
      { as: 'automatic', by: null },
      null,
    );
    if (!row) throw new AppError('conflict', 'The refund request changed meanwhile.');
    const told = await notifyRefundDecided(trx, deps.config, locked, { approved: true });
    return { result, row, told };
  });
  await afterReverse(deps, order.offer_id, result);
  announce(deps, told);
  return toMyRefundRequest(row);
}

/** The buyer's latest request on their order, with the deadline it runs against. */
export async function myRefundRequest(
  db: Database,
  buyer: User,
  orderId: string,
): Promise<MyRefundRequest | null> {
  const order = await findOrderById(db, orderId);
  if (!order || order.buyer_id !== buyer.id) throw new AppError('not_found', 'No such order.');
  const row = await findLatestRefundRequest(db, orderId);
  return row ? toMyRefundRequest(row) : null;
}

/**
 * Who may answer refund requests on this order, and how: the owner answers anything; the
 * approved leader of the order's pickup point may approve a claim on it up to the shop's
 * 秒退款 threshold (declining stays with the owner, who sees everything). Anyone else,
 * including a leader of another point or shop, is refused.
 */
async function deciderOn(
  db: Database,
  user: User,
  order: OrderRow,
): Promise<{ as: 'owner' | 'leader'; upToCents: number | null }> {
  const shop = await findShopById(db, order.shop_id);
  if (!shop) throw new AppError('not_found', 'No such order.');
  if (shop.owner_id === user.id) return { as: 'owner', upToCents: null };
  const leader = await findApprovedLeaderOfUser(db, order.shop_id, user.id);
  if (!leader) throw new AppError('forbidden', 'Only the shop owner can do this.');
  if (order.pickup_leader_id !== leader.id) {
    throw new AppError('forbidden', 'This order is picked up at another point.');
  }
  return { as: 'leader', upToCents: shop.instant_refund_cents };
}

/**
 * The owner refunds an order (approving its open request, if there is one), or the leader of
 * its pickup point approves the open request on a small order. The order row is locked and
 * its state changes conditionally, so two approvals at once make one refund; the other is
 * told the order was refunded.
 */
export async function refundOrder(
  deps: Deps,
  user: User,
  orderId: string,
  note?: string,
): Promise<OrderDetail> {
  const order = await findOrderById(deps.db, orderId);
  if (!order) throw new AppError('not_found', 'No such order.');
  const decider = await deciderOn(deps.db, user, order);
  if (decider.as === 'leader' && order.total_cents > (decider.upToCents ?? 0)) {
    throw new AppError(
      'forbidden',
      decider.upToCents
        ? `A leader approves claims up to ${(decider.upToCents / 100).toFixed(2)} yuan; the owner decides this one.`
        : 'The shop has not let leaders approve claims; the owner decides.',
    );
  }
  const result = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockOrder(trx, orderId);
    if (!locked) throw new AppError('not_found', 'No such order.');
    // a leader answers a buyer's claim; refunding on their own initiative is the owner's
    if (decider.as === 'leader' && !(await findOpenRefundRequest(trx, orderId))) {
      throw new AppError(
        locked.state === 'refunded' ? 'invalid_transition' : 'forbidden',
        locked.state === 'refunded'
          ? STATE_MESSAGE.refunded
          : 'There is no open refund request on this order.',
      );
    }
    const result = await reverseOrder(trx, deps.config, locked, 'refunded', REFUNDABLE);
    await resolveOpenRefundRequest(
      trx,
      orderId,
      'approved',
      { as: decider.as, by: user.id },
      note ?? null,
    );
    const told = await notifyRefundDecided(trx, deps.config, locked, { approved: true });
    return { ...result, told };
  });
  await afterReverse(deps, order.offer_id, result);
  announce(deps, result.told);
  return orderDetail(deps.db, orderId);
}

/** The owner declines the open request with a note; the order stays as it is. */
export async function declineRefund(
  deps: Deps,
  owner: User,
  orderId: string,
  note: string,
): Promise<{ status: 'declined' }> {
  const { db } = deps;
  const order = await findOrderById(db, orderId);
  if (!order) throw new AppError('not_found', 'No such order.');
  await assertShopOwner(db, owner, order.shop_id);
  const told = await db.transaction().execute(async (trx) => {
    const resolved = await resolveOpenRefundRequest(
      trx,
      orderId,
      'declined',
      { as: 'owner', by: owner.id },
      note,
    );
    if (!resolved) throw new AppError('invalid_transition', 'There is no open refund request.');
    return notifyRefundDecided(trx, deps.config, order, {
      approved: false,
      note,
      requestId: resolved.id,
    });
  });
  announce(deps, told);
  return { status: 'declined' };
}

/** In the deciding transaction: the buyer hears what became of their claim (or refund). */
function notifyRefundDecided(
  trx: Transaction<DB>,
  config: Deps['config'],
  order: OrderRow,
  decision: { approved: true } | { approved: false; note: string; requestId: string },
) {
  return notify(trx, config, [
    {
      user_id: order.buyer_id,
      kind: 'refund_decided',
      stream_id: order.stream_id,
      data: decision.approved
        ? { productName: order.product_name, approved: true }
        : { productName: order.product_name, approved: false, note: decision.note },
      dedupe_key: decision.approved
        ? `refund:${order.id}`
        : `refund_declined:${decision.requestId}`,
    },
  ]);
}

/** The buyer cancels before pickup: units go back on the offer, commission is reversed. */
export async function cancelOrder(deps: Deps, buyer: User, orderId: string): Promise<OrderDetail> {
  const order = await findOrderById(deps.db, orderId);
  if (!order || order.buyer_id !== buyer.id) throw new AppError('not_found', 'No such order.');
  const result = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockOrder(trx, orderId);
    if (!locked) throw new AppError('not_found', 'No such order.');
    return reverseOrder(
      trx,
      deps.config,
      locked,
      'cancelled',
      ['pending_group', 'confirmed'],
      'buyer_cancelled',
    );
  });
  await afterReverse(deps, order.offer_id, result);
  return orderDetail(deps.db, orderId);
}

export type RefundRequestView = RefundRequest;

/**
 * The refund requests the requester answers: all of the shop's for its owner; those on
 * orders picked up at their point for an approved leader, who may approve up to the
 * shop's 秒退款 threshold. Automatic ones stay in the list, marked, for the owner's audit.
 */
export async function listRefunds(
  db: Database,
  user: User,
  shopId: string,
  status: 'open' | 'all',
): Promise<RefundRequestList> {
  const { leaderId } = await assertPickupStaff(db, user, shopId);
  const shop = await findShopById(db, shopId);
  if (!shop) throw new AppError('not_found', 'No such shop.');
  const rows = await listShopRefundRequests(db, shopId, status, leaderId);
  return {
    refundRequests: rows.map((r) => ({
      id: r.id,
      orderId: r.order_id,
      buyerName: r.buyer_name,
      productName: r.product_name,
      quantity: r.quantity,
      totalCents: r.total_cents,
      orderStatus: r.order_state,
      pickupCode: r.pickup_code,
      pickupPointName: r.pickup_point_name,
      reason: r.reason,
      kind: r.kind,
      photoUrl: r.photo_url,
      status: r.status,
      note: r.note,
      createdAt: r.created_at.toISOString(),
      dueAt: r.due_at.toISOString(),
      resolvedAt: r.resolved_at?.toISOString() ?? null,
      decidedAs: r.decided_as,
      decidedByName: r.decided_by_name,
      ageSeconds: r.age_seconds,
    })),
    viewer: leaderId
      ? { role: 'leader', approveUpToCents: shop.instant_refund_cents, canDecline: false }
      : { role: 'owner', approveUpToCents: null, canDecline: true },
  };
}

/** The shop's promise and how well it kept it over the last 30 days (public). */
export async function afterSalesSummary(db: Database, shopId: string): Promise<AfterSalesSummary> {
  const shop = await findShopById(db, shopId);
  if (!shop) throw new AppError('not_found', 'No such shop.');
  const f = await responseFigures(db, shopId, AFTER_SALES_WINDOW_DAYS);
  const judged = f.answered + f.overdue_open;
  return {
    responsePromiseHours: shop.response_promise_hours,
    instantRefundCents: shop.instant_refund_cents,
    windowDays: AFTER_SALES_WINDOW_DAYS,
    answered: f.answered,
    answeredInTime: f.answered_in_time,
    overdueOpen: f.overdue_open,
    automatic: f.automatic,
    medianResponseSeconds: f.median_seconds,
    withinPromiseShare: judged === 0 ? null : f.answered_in_time / judged,
  };
}
