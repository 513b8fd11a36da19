import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { OrderRow, OrderState } from '../../db/commerce.schema';
import { insertLedgerEntries } from '../../db/repositories/commission.repository';
import {
  buyerUnitsOnOffer,
  cancelPendingGroupOrders,
  confirmPendingGroupOrders,
  findOfferForBuyer,
  findOfferForOrder,
  findOrderByIdempotencyKey,
  insertOrder,
  isUniqueViolation,
  lockBuyerOnOffer,
  markGroupFailed,
  markGroupReached,
  placeSimpleOrder,
  returnStock,
  takeStock,
  type OrderListRow,
} from '../../db/repositories/order.repository';
import { insertOutbox, type OutboxRow } from '../../db/repositories/outbox.repository';
import { findLeaderPickupPoint } from '../../db/repositories/pickup.repository';
import type { AppDeps } from '../context';
import { AppError } from '../errors';
import { ORDER_STATES, type Order, type OrderDetail } from '../contracts/order';
import { OfferUpdatePayload, groupReached, offerUpdate, orderNew } from '../contracts/realtime';
import type { User } from './auth.service';
import { ledgerOnOrder, ledgerOnReverse, resolveAttribution } from './commission.service';
import { publishCommitted, toOutbox, type CommerceEvent } from './outbox.service';
import { commissionCents } from '../rules/commission';
import { maskName } from '../rules/names';
import { offerStatus, whyClosed } from '../rules/offer';

// The API's order states are the database's.
ORDER_STATES satisfies readonly OrderState[];
export { ORDER_STATES };
export type { Order, OrderDetail };

/** Why an order was cancelled, shown to the buyer. */
export type CancelReason = 'group_failed' | 'buyer_cancelled' | 'shop_cancelled';

export function orderRowToOrder(row: OrderRow): Order {
  return {
    id: row.id,
    status: row.state,
    shopId: row.shop_id,
    streamId: row.stream_id,
    offerId: row.offer_id,
    productName: row.product_name,
    unitPriceCents: row.unit_price_cents,
    quantity: row.quantity,
    totalCents: row.total_cents,
    pickupCode: row.pickup_code,
    pickupPointId: row.pickup_leader_id ?? row.shop_id,
    leaderId: row.leader_id,
    cancelReason: row.cancel_reason,
    createdAt: row.created_at.toISOString(),
    pickedUpAt: row.picked_up_at?.toISOString() ?? null,
  };
}

export function orderListRowToDetail(row: OrderListRow): OrderDetail {
  return {
    ...orderRowToOrder(row),
    buyerName: row.buyer_name,
    phone: row.phone,
    shop: { id: row.shop_id, slug: row.shop_slug, name: row.shop_name },
    streamTitle: row.stream_title,
    pickupPoint: row.pickup_leader_id
      ? {
          id: row.pickup_leader_id,
          kind: 'leader',
          name: row.pickup_leader_name ?? '',
          address: row.pickup_leader_address,
          hours: row.pickup_leader_hours,
        }
      : {
          id: row.shop_id,
          kind: 'shop',
          name: row.shop_name,
          address: row.shop_address,
          hours: row.shop_pickup_hours,
        },
    refundStatus: row.refund_status,
  };
}

export interface PlaceOrderInput {
  offerId: string;
  quantity: number;
  phone: string;
  pickupPointId?: string | undefined;
  ref?: string | undefined;
  /** The visitor cookie, for last-click attribution; not part of the request's identity. */
  visitorKey?: string | undefined;
}

/** What a key's first request asked for: a repeat must ask for exactly the same. */
export function requestHash(streamId: string, input: PlaceOrderInput): string {
  const canonical = JSON.stringify([
    streamId,
    input.offerId,
    input.quantity,
    input.phone,
    input.pickupPointId ?? null,
    input.ref ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}

function pickupCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * What this process last learned of an offer's stock, and when (performance.now()). Used
 * only for a request whose own read of the offer is older than that: in a flash sale the
 * buyers queue for a database connection after reading the offer, and by the time one is
 * theirs the stock may long be gone. They are then told at once, without a transaction.
 * A hint never refuses a request that read the offer after the hint was taken, so stock
 * that comes back (a refund, a cancelled group, a raised quantity) is seen by new requests.
 */
const stockHints = new Map<string, { remaining: number; at: number }>();
const STOCK_HINTS_MAX = 10_000;

function noteStock(offerId: string, remaining: number): void {
  stockHints.delete(offerId);
  stockHints.set(offerId, { remaining, at: performance.now() });
  if (stockHints.size > STOCK_HINTS_MAX) {
    const oldest = stockHints.keys().next().value;
    if (oldest !== undefined) stockHints.delete(oldest);
  }
}

function knownSoldOut(offerId: string, readAt: number, quantity: number): boolean {
  const hint = stockHints.get(offerId);
  return hint !== undefined && hint.at > readAt && hint.remaining < quantity;
}

function remainingIn(events: { event: string; payload: unknown }[]): number | null {
  for (const e of events) {
    if (e.event !== 'offer:update') continue;
    const p = OfferUpdatePayload.safeParse(e.payload);
    if (p.success) return p.data.remaining;
  }
  return null;
}

/** Thrown inside the transaction to roll it back; becomes an AppError outside. */
class Refusal extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
  }
}

function replay(existing: OrderRow, hash: string): { order: Order; replayed: true } {
  if (existing.request_hash !== hash) {
    throw new AppError(
      'idempotency_conflict',
      'This Idempotency-Key was already used for a different order.',
    );
  }
  return { order: orderRowToOrder(existing), replayed: true };
}

/**
 * Places an order: one transaction takes the stock with a conditional update (never
 * oversells), checks the per-buyer limit under the offer's row lock, confirms the group if
 * this order crosses the threshold, writes the order, the pending commission and the
 * realtime events (outbox); the events are published only after commit.
 */
export async function placeOrder(
  deps: Pick<AppDeps, 'db' | 'realtime' | 'logger'>,
  buyer: User,
  streamId: string,
  input: PlaceOrderInput,
  idempotencyKey?: string,
): Promise<{ order: Order; replayed: boolean }> {
  const { db } = deps;
  const hash = requestHash(streamId, input);
  // One round trip: the offer, a previous order under this key, the buyer's last click.
  const readAt = performance.now();
  const offer = await findOfferForBuyer(db, streamId, input.offerId, {
    id: buyer.id,
    idempotencyKey: idempotencyKey ?? null,
    visitorKey: input.visitorKey ?? null,
  });
  if (idempotencyKey && (!offer || offer.existing_order_id)) {
    // a repeat (possibly of an order on an offer since gone): answer with the first order
    const existing = await findOrderByIdempotencyKey(db, buyer.id, idempotencyKey);
    if (existing) return replay(existing, hash);
  }
  if (!offer) throw new AppError('not_found', 'No such offer in this stream.');
  const closed = whyClosed(offer, new Date());
  if (closed) throw new AppError('offer_closed', closed);
  // A read outside the lock may only be stale upwards (units come back rarely): when it
  // already shows too few, the answer is sold out without queueing for the offer's row lock.
  if (offer.remaining < input.quantity) throw new AppError('sold_out', 'Sold out.');
  if (offer.per_buyer_limit !== null && input.quantity > offer.per_buyer_limit) {
    throw new AppError(
      'limit_exceeded',
      `At most ${offer.per_buyer_limit} per buyer for this offer.`,
    );
  }

  let pickupLeaderId: string | null = null;
  if (input.pickupPointId && input.pickupPointId !== offer.shop_id) {
    const point = await findLeaderPickupPoint(db, offer.shop_id, input.pickupPointId);
    if (!point) throw new AppError('bad_request', 'That pickup point does not serve this shop.');
    pickupLeaderId = point.id;
  }
  const attribution = await resolveAttribution(db, {
    shopId: offer.shop_id,
    buyerId: buyer.id,
    ref: input.ref,
    visitorKey: input.visitorKey,
    attributionDays: offer.attribution_days,
    lastClickLeaderId: offer.last_click_leader_id,
  });
  const totalCents = offer.price_cents * input.quantity;

  // Offers without a group take the one-statement path; a per-buyer limit is checked first
  // under a lock on this buyer and offer only, so the offer's row stays locked for a single
  // statement even in a flash sale. Group offers need the transaction below.
  const simple = offer.group_min === null;
  const limit = offer.per_buyer_limit;

  for (let attempt = 0; ; attempt++) {
    try {
      if (simple) {
        const order = {
          buyerName: maskName(buyer.name),
          order: {
            id: randomUUID(),
            shop_id: offer.shop_id,
            stream_id: offer.stream_id,
            offer_id: offer.offer_id,
            buyer_id: buyer.id,
            product_name: offer.product_name,
            unit_price_cents: offer.price_cents,
            quantity: input.quantity,
            total_cents: totalCents,
            phone: input.phone,
            pickup_leader_id: pickupLeaderId,
            pickup_code: pickupCode(),
            leader_id: attribution?.leaderId ?? null,
            commission_rate: attribution?.rate ?? null,
            commission_cents: attribution ? commissionCents(attribution.rate, totalCents) : 0,
            idempotency_key: idempotencyKey ?? null,
            request_hash: idempotencyKey ? hash : null,
          },
        };
        const placed = await db.connection().execute(async (conn) => {
          // Checked once a connection is ours (see stockHints): no statement at all for a
          // buyer who queued behind the sale's last unit.
          if (knownSoldOut(offer.offer_id, readAt, input.quantity)) {
            throw new Refusal(new AppError('sold_out', 'Sold out.'));
          }
          if (limit === null) return placeSimpleOrder(conn, order);
          return conn.transaction().execute(async (trx) => {
            await lockBuyerOnOffer(trx, offer.offer_id, buyer.id);
            const held = await buyerUnitsOnOffer(trx, offer.offer_id, buyer.id);
            if (held + input.quantity > limit) {
              throw new Refusal(
                new AppError(
                  'limit_exceeded',
                  `At most ${limit} per buyer for this offer; you already have ${held}.`,
                ),
              );
            }
            return placeSimpleOrder(trx, order);
          });
        });
        if (!placed) {
          const now = await findOfferForOrder(db, streamId, input.offerId);
          if (now) noteStock(now.offer_id, now.remaining);
          const why = now ? whyClosed(now, new Date()) : null;
          throw new Refusal(
            why ? new AppError('offer_closed', why) : new AppError('sold_out', 'Sold out.'),
          );
        }
        const left = remainingIn(placed.events);
        if (left !== null) noteStock(offer.offer_id, left);
        publishCommitted(db, deps.realtime, placed.events, (err) =>
          deps.logger.error({ err }, 'outbox delete failed'),
        );
        return { order: orderRowToOrder(placed.order), replayed: false };
      }
      const outbox = await db.transaction().execute(async (trx) => {
        const taken = await takeStock(trx, offer.offer_id, input.quantity);
        if (!taken) throw new Refusal(new AppError('sold_out', 'Sold out.'));
        if (offer.per_buyer_limit !== null) {
          const held = await buyerUnitsOnOffer(trx, offer.offer_id, buyer.id);
          if (held + input.quantity > offer.per_buyer_limit) {
            throw new Refusal(
              new AppError(
                'limit_exceeded',
                `At most ${offer.per_buyer_limit} per buyer for this offer; you already have ${held}.`,
              ),
            );
          }
        }
        const groupCount = taken.quantity - taken.remaining;
        let reachedNow = false;
        if (taken.group_min !== null && !taken.group_reached_at && groupCount >= taken.group_min) {
          reachedNow = await markGroupReached(trx, offer.offer_id);
          if (reachedNow) await confirmPendingGroupOrders(trx, offer.offer_id);
        }
        const waiting = taken.group_min !== null && !taken.group_reached_at && !reachedNow;
        const order = await insertOrder(trx, {
          shop_id: offer.shop_id,
          stream_id: offer.stream_id,
          offer_id: offer.offer_id,
          buyer_id: buyer.id,
          product_name: offer.product_name,
          unit_price_cents: offer.price_cents,
          quantity: input.quantity,
          total_cents: totalCents,
          state: waiting ? 'pending_group' : 'confirmed',
          confirmed_at: waiting ? null : new Date(),
          phone: input.phone,
          pickup_leader_id: pickupLeaderId,
          pickup_code: pickupCode(),
          leader_id: attribution?.leaderId ?? null,
          commission_rate: attribution?.rate ?? null,
          commission_cents: attribution ? commissionCents(attribution.rate, totalCents) : 0,
          idempotency_key: idempotencyKey ?? null,
          request_hash: idempotencyKey ? hash : null,
        });
        await insertLedgerEntries(trx, ledgerOnOrder(order));
        const events: CommerceEvent[] = [
          {
            event: 'order:new',
            payload: orderNew({
              streamId: offer.stream_id,
              offerId: offer.offer_id,
              orderId: order.id,
              buyerName: maskName(buyer.name),
              productName: offer.product_name,
              quantity: input.quantity,
              createdAt: order.created_at,
            }),
          },
          {
            event: 'offer:update',
            payload: offerUpdate({
              streamId: offer.stream_id,
              offerId: offer.offer_id,
              quantity: taken.quantity,
              remaining: taken.remaining,
              groupMin: taken.group_min,
              status: offerStatus({
                remaining: taken.remaining,
                group_min: taken.group_min,
                group_reached_at: taken.group_reached_at ?? (reachedNow ? new Date() : null),
              }),
            }),
          },
        ];
        if (reachedNow && taken.group_min !== null) {
          events.push({
            event: 'group:reached',
            payload: groupReached({
              streamId: offer.stream_id,
              offerId: offer.offer_id,
              productName: offer.product_name,
              groupCount,
              groupMin: taken.group_min,
            }),
          });
        }
        const rows = await insertOutbox(trx, toOutbox(offer.stream_id, events));
        return { order, rows };
      });
      publishCommitted(db, deps.realtime, outbox.rows, (err) =>
        deps.logger.error({ err }, 'outbox delete failed'),
      );
      return { order: orderRowToOrder(outbox.order), replayed: false };
    } catch (err) {
      if (err instanceof Refusal) throw err.appError;
      if (idempotencyKey && isUniqueViolation(err, 'orders_idempotency_per_buyer')) {
        // A concurrent request with the same key won; it has committed by now.
        const winner = await findOrderByIdempotencyKey(db, buyer.id, idempotencyKey);
        if (winner) return replay(winner, hash);
      }
      if (isUniqueViolation(err, 'orders_pickup_code_per_shop') && attempt < 8) continue;
      throw err;
    }
  }
}

/**
 * The deadline of a group buy: if the threshold was not reached, cancel its waiting orders
 * once, return their units, reverse their commissions and tell the room. Safe to call any
 * number of times, from any process: only the call that sets group_failed_at acts.
 */
export async function failGroupIfUnreached(
  deps: Pick<AppDeps, 'db' | 'realtime' | 'logger'>,
  offerId: string,
): Promise<{ cancelled: number } | null> {
  const result = await deps.db.transaction().execute(async (trx) => {
    const failed = await markGroupFailed(trx, offerId);
    if (!failed) return null;
    const cancelled = await cancelPendingGroupOrders(trx, offerId, 'group_failed');
    const units = cancelled.reduce((n, o) => n + o.quantity, 0);
    const stock = await returnStock(trx, offerId, units);
    await insertLedgerEntries(
      trx,
      cancelled.flatMap((o) => ledgerOnReverse(o, false, 'cancel')),
    );
    const rows: OutboxRow[] = await insertOutbox(
      trx,
      toOutbox(failed.stream_id, [
        {
          event: 'offer:update',
          payload: offerUpdate({
            streamId: failed.stream_id,
            offerId,
            quantity: stock.quantity,
            remaining: stock.remaining,
            groupMin: stock.group_min,
            status: 'group_failed',
          }),
        },
      ]),
    );
    return { cancelled: cancelled.length, rows };
  });
  if (!result) return null;
  publishCommitted(deps.db, deps.realtime, result.rows, (err) =>
    deps.logger.error({ err }, 'outbox delete failed'),
  );
  return { cancelled: result.cancelled };
}
