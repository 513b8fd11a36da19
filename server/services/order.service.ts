import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { OrderRow, OrderState } from '../../db/commerce.schema';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { insertLedgerEntries } from '../../db/repositories/commission.repository';
import {
  cancelPendingGroupOrders,
  confirmPendingGroupOrders,
  findOfferForBuyer,
  findOfferForOrder,
  findOrderByIdempotencyKey,
  isUniqueViolation,
  markGroupFailed,
  markGroupReached,
  returnStock,
  writeOrder,
  type OfferForBuyerRow,
  type OfferStock,
  type OrderListRow,
  type PlacedOrderRow,
} from '../../db/repositories/order.repository';
import { insertOutbox, type OutboxRow } from '../../db/repositories/outbox.repository';
import { findLeaderPickupPoint } from '../../db/repositories/pickup.repository';
import type { NoticeWithLocale } from '../../db/repositories/notification.repository';
import type { AppDeps } from '../context';
import { AppError } from '../errors';
import { ORDER_STATES, type Order, type OrderDetail } from '../contracts/order';
import { MAX_ORDER_TOTAL_CENTS } from '../contracts/common';
import { groupReached, offerUpdate, orderNew } from '../contracts/realtime';
import type { User } from './auth.service';
import { attributeOrder, type Attribution } from './attribution.service';
import { announce as announceNotices, notify } from './notification.service';
import { publishCommitted, toOutbox } from './outbox.service';
import { stockGateFor, type GateTicket } from './stock-gate.service';
import { commissionCents, ledgerOnOrder, ledgerOnReverse } from '../rules/commission';
import { maskName } from '../rules/names';
import { buyerLimit, offerStatus, whyClosed } from '../rules/offer';

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
  /**
   * The waitlist entry whose held unit this order confirms (waitlist.service claimWaitlist):
   * the unit comes from the offer's `reserved`, not its `remaining`.
   */
  waitlistEntryId?: string | undefined;
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

/** Thrown inside the transaction to roll it back; becomes an AppError outside. */
class Refusal extends Error {
  constructor(
    readonly appError: AppError,
    /** For a refusal by the stock: the units the offer had left. */
    readonly remaining?: number,
  ) {
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

/** Refuses, before any lock, what the offer as read can already tell: closed, too few, too many. */
function checkOrderable(
  offer: OfferForBuyerRow,
  quantity: number,
  limit: number | null,
  claim: boolean,
): void {
  const closed = whyClosed(offer, new Date());
  if (closed) throw new AppError(closed.code, closed.message);
  // A read outside the lock may only be stale upwards (units come back rarely): when it
  // already shows too few, the answer is sold out without queueing for the offer's row lock.
  // A held unit (a waitlist claim) is not in `remaining`.
  if (!claim && offer.remaining < quantity) throw new AppError('sold_out', 'Sold out.');
  // The total is recorded in an int4 column (new prices are bounded so it fits; an offer
  // priced before that bound could still pass it): the validation failure it is.
  if (offer.price_cents * quantity > MAX_ORDER_TOTAL_CENTS) {
    const most = Math.floor(MAX_ORDER_TOTAL_CENTS / Math.max(offer.price_cents, 1));
    throw new AppError(
      'validation_failed',
      `This order's total would be too large to record: at this price at most ${most} can be ordered at once.`,
      [{ path: 'json.quantity', message: `at most ${most} at this price` }],
    );
  }
  if (limit !== null && quantity > limit) {
    throw new AppError('limit_exceeded', `At most ${limit} per buyer for this offer.`, undefined, {
      perBuyer: limit,
      held: 0,
    });
  }
}

/** The leader's pickup point the buyer chose, or null for the shop itself. */
async function pickupLeaderFor(
  db: AppDeps['db'],
  offer: OfferForBuyerRow,
  pickupPointId: string | undefined,
): Promise<string | null> {
  if (!pickupPointId || pickupPointId === offer.shop_id) return null;
  const point = await findLeaderPickupPoint(db, offer.shop_id, pickupPointId);
  if (!point) throw new AppError('bad_request', 'That pickup point does not serve this shop.');
  return point.id;
}

/** The order row, whole: price, pickup, attribution and commission are decided here once. */
function newOrderRow(
  buyer: User,
  offer: OfferForBuyerRow,
  input: PlaceOrderInput,
  decided: {
    pickupLeaderId: string | null;
    attribution: Attribution | null;
    idempotencyKey: string | undefined;
    hash: string;
  },
): PlacedOrderRow {
  const totalCents = offer.price_cents * input.quantity;
  const { attribution, idempotencyKey } = decided;
  return {
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
    pickup_leader_id: decided.pickupLeaderId,
    pickup_code: pickupCode(),
    leader_id: attribution?.leaderId ?? null,
    commission_rate: attribution?.rate ?? null,
    commission_cents: attribution ? commissionCents(attribution.rate, totalCents) : 0,
    idempotency_key: idempotencyKey ?? null,
    request_hash: idempotencyKey ? decided.hash : null,
    created_at: new Date(),
  };
}

/** The answer when the units the buyer already holds leave no room for these. */
function limitRefusal(limit: number, held: number): Refusal {
  return new Refusal(
    new AppError(
      'limit_exceeded',
      `At most ${limit} per buyer for this offer; you already have ${held}.`,
      undefined,
      { perBuyer: limit, held },
    ),
  );
}

/**
 * When this order's units carry a group past its threshold: the group is marked reached
 * (once, under the offer's row lock the order statement took), its waiting orders are
 * confirmed, and the room is told. Returns the extra outbox rows.
 */
async function formGroupIfCrossed(
  trx: Transaction<DB>,
  config: AppDeps['config'],
  offer: OfferForBuyerRow,
  stock: OfferStock,
  buyerId: string,
): Promise<{ reached: boolean; outbox: OutboxRow[]; notices: NoticeWithLocale[] }> {
  const groupCount = stock.quantity - stock.remaining;
  const none = { reached: false, outbox: [], notices: [] };
  if (stock.group_min === null || stock.group_reached_at || groupCount < stock.group_min) {
    return none;
  }
  if (!(await markGroupReached(trx, offer.offer_id))) return none;
  const waited = await confirmPendingGroupOrders(trx, offer.offer_id);
  // every buyer of the group hears it formed, the one whose order formed it too
  const notices = await notify(
    trx,
    config,
    [...new Set([...waited, buyerId])].map((userId) => ({
      user_id: userId,
      kind: 'group_formed' as const,
      stream_id: offer.stream_id,
      data: { productName: offer.product_name },
      dedupe_key: `group_formed:${offer.offer_id}:${userId}`,
    })),
  );
  const outbox = await insertOutbox(
    trx,
    toOutbox(offer.stream_id, [
      {
        event: 'group:reached',
        payload: groupReached({
          streamId: offer.stream_id,
          offerId: offer.offer_id,
          productName: offer.product_name,
          groupCount,
          groupMin: stock.group_min,
        }),
      },
    ]),
  );
  return { reached: true, outbox, notices };
}

interface Committed {
  order: OrderRow;
  stock: OfferStock;
  reached: boolean;
  outbox: OutboxRow[];
  /** the group's notices when this order formed it */
  notices?: NoticeWithLocale[];
}

/**
 * Writes the order (see writeOrder). An offer without a group takes one statement and
 * nothing else, its per-buyer limit included (the statement takes the buyer's locks and
 * counts the units they hold); a group's threshold is checked after the statement, in the
 * same transaction.
 */
async function commitOrder(
  { db, config }: Pick<AppDeps, 'db' | 'config'>,
  offer: OfferForBuyerRow,
  row: PlacedOrderRow,
  buyerName: string,
  readAt: number,
  limit: number | null,
  attribution: Attribution | null,
  /** the waitlist entry whose held unit this order takes, if any */
  claim: string | null,
): Promise<Committed> {
  const ledger = ledgerOnOrder(row);
  const events = toOutbox(offer.stream_id, [
    {
      event: 'order:new',
      payload: orderNew({
        streamId: row.stream_id,
        offerId: row.offer_id,
        orderId: row.id,
        buyerName,
        productName: row.product_name,
        quantity: row.quantity,
        createdAt: row.created_at,
        // the leader row attributeOrder already read: no query of its own
        leader: attribution && {
          leaderId: attribution.leaderId,
          displayName: attribution.displayName,
          community: attribution.community,
        },
      }),
    },
  ]);
  const committed = await db.connection().execute(async (conn): Promise<Committed | null> => {
    // Checked once a connection is ours (see stockHints): no statement at all for a buyer
    // who queued behind the sale's last unit.
    if (claim === null && knownSoldOut(offer.offer_id, readAt, row.quantity)) {
      throw new Refusal(new AppError('sold_out', 'Sold out.'));
    }
    if (claim === null && offer.group_min === null) {
      // one statement, the buyer's limit (if any) checked in it under the buyer's locks
      const written = await writeOrder(conn, row, ledger, events, limit ?? undefined);
      if (!written) return null;
      if ('limitHeld' in written) throw limitRefusal(limit ?? 0, written.limitHeld);
      return { ...written, stock: written.offer, reached: false };
    }
    // a group (its threshold is checked after the write) or a waitlist claim: a transaction
    return conn.transaction().execute(async (trx) => {
      const written = await writeOrder(trx, row, ledger, events, limit ?? undefined, claim);
      if (!written && claim !== null) {
        // the claim's entry update is rolled back with the refusal
        throw new Refusal(
          new AppError('no_reservation', 'The unit held for you is no longer held.'),
        );
      }
      if (!written) return null;
      if ('limitHeld' in written) throw limitRefusal(limit ?? 0, written.limitHeld);
      const group = await formGroupIfCrossed(trx, config, offer, written.offer, row.buyer_id);
      return {
        order: written.order,
        stock: written.offer,
        reached: group.reached,
        outbox: [...written.outbox, ...group.outbox],
        notices: group.notices,
      };
    });
  });
  if (committed) return committed;
  // refused by the stock or the offer's state: say which, and remember the stock
  const now = await findOfferForOrder(db, offer.stream_id, offer.offer_id);
  if (now) noteStock(now.offer_id, now.remaining);
  const why = now ? whyClosed(now, new Date()) : null;
  throw new Refusal(
    why ? new AppError(why.code, why.message) : new AppError('sold_out', 'Sold out.'),
    why ? undefined : now?.remaining,
  );
}

/** After commit: the order's events, and the offer's stock as the statement left it. */
function announce(
  deps: Pick<AppDeps, 'config' | 'db' | 'realtime' | 'logger'>,
  offer: OfferForBuyerRow,
  committed: Committed,
): void {
  const { stock } = committed;
  noteStock(offer.offer_id, stock.remaining);
  publishCommitted(deps.db, deps.realtime, committed.outbox, (err) =>
    deps.logger.error({ err }, 'outbox delete failed'),
  );
  if (committed.notices) announceNotices(deps, committed.notices);
  // Stock is state, not an event: it is not kept in the outbox (a sweep after a crash sends
  // the offer's stock as it is by then, see sweepOutbox).
  deps.realtime.publish(
    offer.stream_id,
    'offer:update',
    offerUpdate({
      streamId: offer.stream_id,
      offerId: offer.offer_id,
      quantity: stock.quantity,
      remaining: stock.remaining,
      groupMin: stock.group_min,
      status: offerStatus({
        remaining: stock.remaining,
        group_min: stock.group_min,
        group_reached_at: stock.group_reached_at ?? (committed.reached ? new Date() : null),
      }),
    }),
  );
}

/**
 * Places an order, top to bottom: read the offer (with the buyer's earlier order under this
 * Idempotency-Key and their last leader click, in one round trip); refuse what it already
 * tells; decide pickup, attribution and commission; write the order in one statement that
 * never oversells (commitOrder); announce it after commit.
 */
export async function placeOrder(
  deps: Pick<AppDeps, 'config' | 'db' | 'realtime' | 'logger'>,
  buyer: User,
  streamId: string,
  input: PlaceOrderInput,
  idempotencyKey?: string,
  /** What the stock gate let through in front of the route (middleware/stock-gate.ts). */
  ticket?: GateTicket,
): Promise<{ order: Order; replayed: boolean }> {
  const { db } = deps;
  const gate = stockGateFor(deps);
  const hash = requestHash(streamId, input);
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
  const limit = buyerLimit(offer, buyer.guest);
  const claim = input.waitlistEntryId ?? null;
  checkOrderable(offer, input.quantity, limit, claim !== null);
  const pickupLeaderId = await pickupLeaderFor(db, offer, input.pickupPointId);
  const attribution = await attributeOrder(db, {
    shopId: offer.shop_id,
    attributionDays: offer.attribution_days,
    buyerId: buyer.id,
    visitorKey: input.visitorKey ?? null,
    ref: input.ref,
    lastClickLeaderId: offer.last_click_leader_id,
  });
  const decided = { pickupLeaderId, attribution, idempotencyKey, hash };
  for (let attempt = 0; ; attempt++) {
    try {
      const row = newOrderRow(buyer, offer, input, decided);
      const committed = await commitOrder(
        deps,
        offer,
        row,
        maskName(buyer.name),
        readAt,
        limit,
        attribution,
        claim,
      );
      announce(deps, offer, committed);
      if (ticket) {
        // what the statement left first, then the units: a buyer waiting at the gate wakes
        // to the new figure
        await gate.remember(ticket, committed.stock.remaining);
        gate.release(ticket);
        if (ticket.replayKey) await gate.rememberWinner(ticket.replayKey);
      }
      return { order: orderRowToOrder(committed.order), replayed: false };
    } catch (err) {
      if (err instanceof Refusal) {
        // sold out by the statement itself: the gate answers the next ones
        if (ticket && err.remaining !== undefined) {
          await gate.remember(ticket, err.remaining);
          gate.release(ticket);
        }
        throw err.appError;
      }
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
  deps: Pick<AppDeps, 'config' | 'db' | 'realtime' | 'logger'>,
  offerId: string,
): Promise<{ cancelled: number } | null> {
  const result = await deps.db.transaction().execute(async (trx) => {
    const failed = await markGroupFailed(trx, offerId);
    if (!failed) return null;
    const cancelled = await cancelPendingGroupOrders(trx, offerId, 'group_failed');
    const notices = await notify(
      trx,
      deps.config,
      [...new Set(cancelled.map((o) => o.buyer_id))].map((userId) => ({
        user_id: userId,
        kind: 'group_failed' as const,
        stream_id: failed.stream_id,
        data: { productName: cancelled.find((o) => o.buyer_id === userId)?.product_name ?? '' },
        dedupe_key: `group_failed:${offerId}:${userId}`,
      })),
    );
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
    return { cancelled: cancelled.length, rows, remaining: stock.remaining, notices };
  });
  if (!result) return null;
  announceNotices(deps, result.notices);
  await stockGateFor(deps).restocked(offerId, result.remaining);
  publishCommitted(deps.db, deps.realtime, result.rows, (err) =>
    deps.logger.error({ err }, 'outbox delete failed'),
  );
  return { cancelled: result.cancelled };
}
