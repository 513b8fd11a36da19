import {
  findLastOrderDetails,
  findPinnedOfferId,
  listOfferOrdersForJielong,
} from '../../db/repositories/jielong.repository';
import { findOrderByIdempotencyKey } from '../../db/repositories/order.repository';
import type { StreamForRealtime } from '../../db/repositories/comment.repository';
import { jielongKey, type JielongEntry } from '../contracts/jielong';
import type { Order } from '../contracts/order';
import type { AppDeps } from '../context';
import { AppError } from '../errors';
import { maskName } from '../rules/names';
import type { User } from './auth.service';
import { orderRowToOrder, placeOrder } from './order.service';

// 接龙 (SPEC.md journey 14): "+N" typed in the chat while an offer is pinned orders N of it,
// through placeOrder — the order sheet's own function, so stock, per-buyer limits (account
// and phone), the group threshold, attribution and idempotency are the sheet's, unchanged.
// Only the form is different: the phone and pickup point are those of the resident's last
// order in this shop, and the Idempotency-Key is the chat message's id.
//
// The stock gate (middleware/stock-gate.ts) stands in front of the HTTP route only. A "+1"
// skips it: the gate is a shortcut for a flash sale's losers, never what keeps stock right
// (commitOrder's conditional update does), and chat lines are already slowed to one per 2 s
// per resident by the comment rate limit.

/** How many lines of the 接龙 list a client is sent when it asks for the whole list. */
export const JIELONG_LIST_MAX = 100;

export interface ChatOrderInput {
  quantity: number;
  /** The chat message's id (uuid, made by the client): a resend orders once. */
  clientId?: string | undefined;
  /** The visitor cookie the socket's handshake carried, for last-click attribution. */
  visitorKey?: string | undefined;
}

/**
 * Orders `quantity` of the stream's pinned offer for a "+N" in the chat. Refusals are the
 * sheet's (sold_out, limit_exceeded, offer_closed…), plus `no_pinned_offer` and
 * `needs_details` (no earlier order here to take a phone and pickup point from: the client
 * opens the order sheet instead).
 */
export async function orderFromChat(
  deps: Pick<AppDeps, 'config' | 'db' | 'realtime' | 'logger'>,
  buyer: User,
  stream: StreamForRealtime,
  input: ChatOrderInput,
): Promise<{ order: Order; replayed: boolean }> {
  const { db } = deps;
  const key = input.clientId ? jielongKey(input.clientId) : undefined;
  if (key) {
    // A resend (after a reconnection) answers the first order whatever changed since: the pin
    // may have moved, and the "last order" is now that order itself.
    const existing = await findOrderByIdempotencyKey(db, buyer.id, key);
    if (existing) return { order: orderRowToOrder(existing), replayed: true };
  }
  const offerId = await findPinnedOfferId(db, stream.id);
  if (!offerId) {
    throw new AppError('no_pinned_offer', 'No offer is pinned right now, so “+1” orders nothing.');
  }
  const last = await findLastOrderDetails(db, buyer.id, stream.shopId);
  if (!last) throw needsDetails();
  try {
    return await placeOrder(
      deps,
      buyer,
      stream.id,
      {
        offerId,
        quantity: input.quantity,
        phone: last.phone,
        pickupPointId: last.pickupLeaderId ?? undefined,
        visitorKey: input.visitorKey,
      },
      key,
    );
  } catch (err) {
    // placeOrder's one bad_request: the last pickup point no longer serves this shop
    if (err instanceof AppError && err.code === 'bad_request') throw needsDetails();
    throw err;
  }
}

function needsDetails(): AppError {
  return new AppError(
    'needs_details',
    'Tell us your phone and pickup point once; after that “+1” orders straight away.',
  );
}

/** The 接龙 list of the stream's offer: every order that still counts, names masked. */
export async function jielongList(
  db: AppDeps['db'],
  streamId: string,
  offerId: string,
): Promise<JielongEntry[]> {
  const rows = await listOfferOrdersForJielong(db, streamId, offerId, JIELONG_LIST_MAX);
  return rows.map((r) => ({
    orderId: r.id,
    buyerName: maskName(r.buyer_name),
    quantity: r.quantity,
  }));
}
