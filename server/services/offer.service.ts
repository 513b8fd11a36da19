import type { Database } from '../../db/database';
import type { OfferRow } from '../../db/schema';
import {
  closeOffer,
  findStreamOffer,
  findStreamOwnership,
  insertOffer,
  lockStreamOffer,
  offerHasOrders,
  setPinnedOffer,
  updateOfferTerms,
  type OfferTermsUpdate,
} from '../../db/repositories/offer.repository';
import { insertOutbox } from '../../db/repositories/outbox.repository';
import { insertPin } from '../../db/repositories/replay.repository';
import { findProduct } from '../../db/repositories/product.repository';
import type { AppDeps } from '../context';
import { stockGateFor } from './stock-gate.service';
import { AppError } from '../errors';
import { scheduleGroupDeadline } from '../jobs/commerce.jobs';
import type { Offer, OfferTerms } from '../contracts/offer';
import { offerUpdate } from '../contracts/realtime';
import type { User } from './auth.service';
import { offerStatus } from '../rules/offer';
import { publishCommitted, toOutbox } from './outbox.service';
import { handToLine, scheduleHolds } from './waitlist.service';

export type { Offer };

export function offerRowToOffer(row: OfferRow): Offer {
  return {
    id: row.id,
    streamId: row.stream_id,
    productId: row.product_id,
    priceCents: row.price_cents,
    quantity: row.quantity,
    remaining: row.remaining,
    perBuyerLimit: row.per_buyer_limit,
    groupMin: row.group_min,
    groupDeadline: row.group_deadline?.toISOString() ?? null,
    closed: row.closed_at !== null,
  };
}

async function ownedStream(db: Database, owner: User, streamId: string) {
  const stream = await findStreamOwnership(db, streamId);
  if (!stream) throw new AppError('not_found', 'No such stream.');
  if (stream.owner_id !== owner.id) {
    throw new AppError('forbidden', "Only the shop's owner can change its offers.");
  }
  return stream;
}

export interface OfferInput {
  productId: string;
  priceCents: number;
  quantity: number;
  groupMin?: number | undefined;
  groupDeadline?: string | undefined;
  perBuyerLimit?: number | undefined;
}

export async function createOffer(
  deps: Pick<AppDeps, 'config' | 'db' | 'logger'>,
  owner: User,
  streamId: string,
  input: OfferInput,
  now = new Date(),
): Promise<Offer> {
  const { db } = deps;
  const stream = await ownedStream(db, owner, streamId);
  if (stream.status === 'ended') throw new AppError('offer_closed', 'The stream has ended.');
  const product = await findProduct(db, stream.shop_id, input.productId);
  if (!product || product.archived_at) {
    throw new AppError('not_found', 'No such product in this shop.');
  }
  if (input.quantity > product.stock) {
    throw new AppError(
      'bad_request',
      `Only ${product.stock} in stock for this product; lower the quantity.`,
    );
  }
  const deadline = input.groupDeadline ? new Date(input.groupDeadline) : null;
  if ((input.groupMin === undefined) !== (deadline === null)) {
    throw new AppError(
      'bad_request',
      'A group threshold needs a deadline, and a deadline a threshold.',
    );
  }
  if (deadline && deadline.getTime() <= now.getTime()) {
    throw new AppError('bad_request', 'The group deadline must be in the future.');
  }
  if (input.groupMin !== undefined && input.groupMin > input.quantity) {
    throw new AppError('bad_request', 'The group threshold cannot exceed the quantity on offer.');
  }
  const row = await insertOffer(db, {
    stream_id: streamId,
    product_id: product.id,
    price_cents: input.priceCents,
    quantity: input.quantity,
    remaining: input.quantity,
    per_buyer_limit: input.perBuyerLimit ?? null,
    group_min: input.groupMin ?? null,
    group_deadline: deadline,
  });
  // the gate knows the stock from the start, so a flash sale's first burst is already gated
  await stockGateFor(deps).opened(row.id, row.remaining);
  // A crash between insert and schedule is caught by the overdue-group sweep.
  if (deadline) await scheduleGroupDeadline(row.id, deadline);
  return offerRowToOffer(row);
}

export async function pinOffer(
  deps: Pick<AppDeps, 'db' | 'realtime'>,
  owner: User,
  streamId: string,
  offerId: string | null,
): Promise<void> {
  await ownedStream(deps.db, owner, streamId);
  if (offerId) {
    const offer = await findStreamOffer(deps.db, streamId, offerId);
    if (!offer) throw new AppError('not_found', 'No such offer in this stream.');
  }
  await deps.db.transaction().execute(async (trx) => {
    await setPinnedOffer(trx, streamId, offerId);
    await insertPin(trx, streamId, offerId); // the replay shows it from this moment
  });
  deps.realtime.publish(streamId, 'offer:pinned', { streamId, offerId });
}

export async function closeStreamOffer(
  deps: Pick<AppDeps, 'db' | 'realtime'>,
  owner: User,
  streamId: string,
  offerId: string,
): Promise<Offer> {
  await ownedStream(deps.db, owner, streamId);
  const offer = await findStreamOffer(deps.db, streamId, offerId);
  if (!offer) throw new AppError('not_found', 'No such offer in this stream.');
  const closed = (await closeOffer(deps.db, offerId)) ?? offer;
  deps.realtime.publish(
    streamId,
    'offer:update',
    offerUpdate({
      streamId,
      offerId,
      quantity: closed.quantity,
      remaining: closed.remaining,
      groupMin: closed.group_min,
      status: 'closed',
    }),
  );
  return offerRowToOffer(closed);
}

export interface OfferEditInput {
  priceCents?: number | undefined;
  quantity?: number | undefined;
  /** null: no limit */
  perBuyerLimit?: number | null | undefined;
  /** null (with groupDeadline null): no longer a group buy */
  groupMin?: number | null | undefined;
  groupDeadline?: string | null | undefined;
}

export function offerRowToTerms(row: OfferRow): OfferTerms {
  return {
    priceCents: row.price_cents,
    quantity: row.quantity,
    perBuyerLimit: row.per_buyer_limit,
    groupMin: row.group_min,
    groupDeadline: row.group_deadline?.toISOString() ?? null,
  };
}

/**
 * The owner edits an offer: live price, quantity, per-buyer limit at any time before the
 * stream ends; group threshold and deadline only while no order was ever placed on it (the
 * orders already placed were placed on those terms). All checks and the update run under
 * the offer's row lock, the lock every order takes to take stock, so the quantity can never
 * go below the units sold or held, and `offer:update` (with the new terms) goes out through
 * the outbox after commit.
 *
 * Orders already past their stock step keep the price and limit they read: a price change
 * applies to orders placed after it.
 */
export async function editOffer(
  deps: Pick<AppDeps, 'config' | 'db' | 'realtime' | 'logger'>,
  owner: User,
  streamId: string,
  offerId: string,
  input: OfferEditInput,
  now = new Date(),
): Promise<Offer> {
  const { db } = deps;
  await ownedStream(db, owner, streamId);
  const groupChange = input.groupMin !== undefined || input.groupDeadline !== undefined;
  const { row, outbox, deadlineMoved, handed } = await db.transaction().execute(async (trx) => {
    const offer = await lockStreamOffer(trx, streamId, offerId);
    if (!offer) throw new AppError('not_found', 'No such offer in this stream.');
    if (offer.stream_status === 'ended') {
      throw new AppError('stream_ended', 'The stream has ended; its offers can no longer change.');
    }
    if (offer.closed_at) throw new AppError('offer_closed', 'This offer is closed.');
    if (offer.group_failed_at) {
      throw new AppError('offer_closed', 'This group buy did not reach its threshold in time.');
    }
    const sold = offer.quantity - offer.remaining;
    const quantity = input.quantity ?? offer.quantity;
    if (quantity < sold) {
      throw new AppError(
        'quantity_below_sold',
        `${sold} already sold or held; the quantity cannot go below that.`,
      );
    }
    // The rule of createOffer: an offer never promises more than the shop has. Lowering is
    // always allowed, even when the product's stock has since fallen below the offer.
    if (quantity > offer.quantity && quantity > offer.product_stock) {
      throw new AppError(
        'bad_request',
        `Only ${offer.product_stock} in stock for this product; lower the quantity.`,
      );
    }
    let groupMin = offer.group_min;
    let deadline = offer.group_deadline;
    if (groupChange) {
      if (await offerHasOrders(trx, offer.id)) {
        throw new AppError(
          'offer_has_orders',
          'People have already ordered on these group terms; they can no longer change.',
        );
      }
      if (input.groupMin !== undefined) groupMin = input.groupMin;
      if (input.groupDeadline !== undefined) {
        deadline = input.groupDeadline === null ? null : new Date(input.groupDeadline);
      }
      if ((groupMin === null) !== (deadline === null)) {
        throw new AppError(
          'bad_request',
          'A group threshold needs a deadline, and a deadline a threshold.',
        );
      }
      if (deadline && input.groupDeadline && deadline.getTime() <= now.getTime()) {
        throw new AppError('bad_request', 'The group deadline must be in the future.');
      }
    }
    if (groupMin !== null && groupMin > quantity) {
      throw new AppError('bad_request', 'The group threshold cannot exceed the quantity on offer.');
    }
    const terms: OfferTermsUpdate = {
      ...(input.priceCents !== undefined ? { price_cents: input.priceCents } : {}),
      ...(input.quantity !== undefined ? { quantity: input.quantity } : {}),
      ...(input.perBuyerLimit !== undefined ? { per_buyer_limit: input.perBuyerLimit } : {}),
      ...(groupChange ? { group_min: groupMin, group_deadline: deadline } : {}),
    };
    const changed = await updateOfferTerms(trx, offer.id, terms);
    // unreachable while the lock is held; the conditional update says so if it ever is not
    if (!changed) throw new AppError('quantity_below_sold', 'Units were sold meanwhile.');
    // a raised quantity's new units go to the offer's waitlist first
    const handed =
      changed.remaining > offer.remaining
        ? await handToLine(trx, deps.config, { offerId: offer.id, streamId })
        : null;
    const updated = handed ? { ...changed, remaining: handed.remaining } : changed;
    const rows = await insertOutbox(
      trx,
      toOutbox(streamId, [
        {
          event: 'offer:update',
          payload: offerUpdate(
            {
              streamId,
              offerId: updated.id,
              quantity: updated.quantity,
              remaining: updated.remaining,
              groupMin: updated.group_min,
              status: offerStatus(updated),
            },
            offerRowToTerms(updated),
          ),
        },
      ]),
    );
    const moved =
      groupChange && deadline !== null && deadline.getTime() !== offer.group_deadline?.getTime();
    return {
      row: updated,
      outbox: [...rows, ...(handed?.outbox ?? [])],
      deadlineMoved: moved,
      handed,
    };
  });
  // a raised quantity gives units: the stock gate starts a new epoch with the figure
  await stockGateFor(deps).restocked(row.id, row.remaining);
  publishCommitted(db, deps.realtime, outbox, (err) =>
    deps.logger.error({ err }, 'outbox delete failed'),
  );
  if (handed) await scheduleHolds(deps, handed);
  // A job still queued for the old time finds the deadline not yet passed and does nothing;
  // when the queue keeps that job instead (one per offer), the overdue-group sweep catches
  // an earlier deadline within seconds.
  if (deadlineMoved && row.group_deadline) await scheduleGroupDeadline(row.id, row.group_deadline);
  return offerRowToOffer(row);
}
