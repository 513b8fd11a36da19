import type { Database } from '../../db/database';
import type { OfferRow } from '../../db/schema';
import {
  closeOffer,
  findStreamOffer,
  findStreamOwnership,
  insertOffer,
  setPinnedOffer,
} from '../../db/repositories/offer.repository';
import { findProduct } from '../../db/repositories/product.repository';
import type { AppDeps } from '../context';
import { AppError } from '../errors';
import { scheduleGroupDeadline } from '../jobs/commerce.jobs';
import type { User } from './auth.service';

export interface Offer {
  id: string;
  streamId: string;
  productId: string;
  priceCents: number;
  quantity: number;
  remaining: number;
  perBuyerLimit: number | null;
  groupMin: number | null;
  groupDeadline: string | null;
  closed: boolean;
}

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
  deps: Pick<AppDeps, 'db'>,
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
  await setPinnedOffer(deps.db, streamId, offerId);
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
  deps.realtime.publish(streamId, 'offer:update', {
    streamId,
    offerId,
    remaining: closed.remaining,
    groupCount: closed.group_min === null ? 0 : closed.quantity - closed.remaining,
    status: 'closed',
  });
  return offerRowToOffer(closed);
}
