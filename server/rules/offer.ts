import type { OfferStatus } from '../contracts/offer';

// The rules of an offer's state, pure: what viewers see it as, and why it takes no order.

export function offerStatus(o: {
  remaining: number;
  group_min: number | null;
  group_reached_at: Date | null;
  group_failed_at?: Date | null;
  closed_at?: Date | null;
}): OfferStatus {
  if (o.closed_at) return 'closed';
  if (o.group_failed_at) return 'group_failed';
  if (o.remaining === 0) return 'sold_out';
  if (o.group_min !== null && o.group_reached_at) return 'group_reached';
  return 'open';
}

/** How long the sale goes on after the live when the owner set no end (SPEC journey 11). */
export const SALE_AFTER_LIVE_MS = 24 * 60 * 60 * 1000;

/** Why an offer takes no order: the stream's sale is over, or the offer itself is closed. */
export interface Closed {
  code: 'sale_closed' | 'offer_closed';
  message: string;
}

/**
 * Why an offer takes no order at `now` (the buyer is told), or null when it does. The sale
 * outlives the live: an ended stream's offers sell until its `sale_ends_at` (set at the end
 * when the owner set none); one without (ended before sales outlived the live) is over.
 */
export function whyClosed(
  offer: {
    stream_status: string;
    sale_ends_at: Date | null;
    closed_at: Date | null;
    group_failed_at: Date | null;
    group_deadline: Date | null;
    group_reached_at: Date | null;
  },
  now: Date,
): Closed | null {
  const saleOver = offer.sale_ends_at ? offer.sale_ends_at <= now : offer.stream_status === 'ended';
  if (saleOver) {
    return {
      code: 'sale_closed',
      message: 'The sale has closed: this stream takes no more orders.',
    };
  }
  const closed = (message: string): Closed => ({ code: 'offer_closed', message });
  if (offer.closed_at) return closed('This offer is closed.');
  if (offer.group_failed_at) return closed('This group buy did not reach its threshold in time.');
  if (offer.group_deadline && !offer.group_reached_at && offer.group_deadline <= now) {
    return closed('This group buy has passed its deadline.');
  }
  return null;
}

/** A guest may never take more than this of an offer that has no limit at all. */
export const GUEST_FALLBACK_LIMIT = 10;

/**
 * Units one buyer may hold on an offer (anti-hoarding): the offer's own limit; else the
 * shop's default; else none for an account, and GUEST_FALLBACK_LIMIT for a guest (a free
 * nickname must not buy out a sale). The owner lifts the default for an offer by giving it
 * a limit of its own. A buyer is an account and the phone numbers it orders with.
 */
export function buyerLimit(
  offer: { per_buyer_limit: number | null; default_buyer_limit: number | null },
  guest: boolean,
): number | null {
  const limit = offer.per_buyer_limit ?? offer.default_buyer_limit;
  if (limit !== null) return limit;
  return guest ? GUEST_FALLBACK_LIMIT : null;
}
