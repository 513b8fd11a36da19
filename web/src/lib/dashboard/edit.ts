// What the plan page sends when the owner edits a stream or an offer, checked in the browser
// first so that a mistake is explained next to the field, in the owner's language. The
// server checks everything again (and alone knows what has been sold this very second).
import type { PlannedStream } from './api';
import { yuanToCents } from './api';

/** A message key under dashboard.plan.edit.errors, with its values. */
export type EditError =
  | { key: 'titleRequired' }
  | { key: 'timePast' }
  | { key: 'price' }
  | { key: 'quantity' }
  | { key: 'belowSold'; values: { sold: number } }
  | { key: 'overStock'; values: { stock: number } }
  | { key: 'belowGroup'; values: { min: number } }
  | { key: 'limit' };

export type Checked<T> = { ok: true; body: T } | { ok: false; error: EditError };

export interface StreamEditBody {
  title?: string;
  scheduledAt?: string | null;
}

/** How far in the past a start time may be (the server allows the same minute). */
const SLACK_MS = 60_000;

/**
 * The changes to a stream: the title always; the time only while scheduled ('' clears it).
 * `time` is an <input type="datetime-local"> value, read in the browser's zone. Only what
 * changed is sent; an empty body means there is nothing to save.
 */
export function checkStreamEdit(
  input: { title: string; time: string },
  stream: Pick<PlannedStream, 'title' | 'scheduledAt' | 'status'>,
  now: Date,
): Checked<StreamEditBody> {
  const title = input.title.trim();
  if (title === '') return { ok: false, error: { key: 'titleRequired' } };
  const body: StreamEditBody = {};
  if (title !== stream.title) body.title = title;
  if (stream.status === 'scheduled') {
    if (input.time === '') {
      if (stream.scheduledAt !== null) body.scheduledAt = null;
    } else {
      const at = new Date(input.time);
      if (Number.isNaN(at.getTime())) return { ok: false, error: { key: 'timePast' } };
      const same =
        stream.scheduledAt !== null &&
        Math.floor(Date.parse(stream.scheduledAt) / 60_000) === Math.floor(at.getTime() / 60_000);
      if (!same) {
        if (at.getTime() < now.getTime() - SLACK_MS) {
          return { ok: false, error: { key: 'timePast' } };
        }
        body.scheduledAt = at.toISOString();
      }
    }
  }
  return { ok: true, body };
}

export interface OfferEditBody {
  priceCents?: number;
  quantity?: number;
  perBuyerLimit?: number | null;
}

type EditableOffer = Pick<
  PlannedStream['offers'][number],
  'priceCents' | 'quantity' | 'remaining' | 'perBuyerLimit' | 'groupMin'
>;

const whole = (s: string): number | null => (/^\s*\d{1,9}\s*$/.test(s) ? Number(s) : null);

/**
 * The changes to an offer: live price (yuan, e.g. "12.5"), quantity for this stream and
 * per-buyer limit ('' for none). `stock` is the product's stock when known: like adding
 * an offer, raising the quantity above it is refused; lowering never is.
 */
export function checkOfferEdit(
  input: { price: string; quantity: string; limit: string },
  offer: EditableOffer,
  stock: number | null,
): Checked<OfferEditBody> {
  const priceCents = yuanToCents(input.price);
  if (priceCents === null || priceCents > 100_000_000) {
    return { ok: false, error: { key: 'price' } };
  }
  const quantity = whole(input.quantity);
  if (quantity === null || quantity < 1 || quantity > 100_000) {
    return { ok: false, error: { key: 'quantity' } };
  }
  const sold = offer.quantity - offer.remaining;
  if (quantity < sold) return { ok: false, error: { key: 'belowSold', values: { sold } } };
  if (stock !== null && quantity > offer.quantity && quantity > stock) {
    return { ok: false, error: { key: 'overStock', values: { stock } } };
  }
  if (offer.groupMin !== null && quantity < offer.groupMin) {
    return { ok: false, error: { key: 'belowGroup', values: { min: offer.groupMin } } };
  }
  let limit: number | null = null;
  if (input.limit.trim() !== '') {
    limit = whole(input.limit);
    if (limit === null || limit < 1 || limit > 1000) return { ok: false, error: { key: 'limit' } };
  }
  const body: OfferEditBody = {};
  if (priceCents !== offer.priceCents) body.priceCents = priceCents;
  if (quantity !== offer.quantity) body.quantity = quantity;
  if (limit !== offer.perBuyerLimit) body.perBuyerLimit = limit;
  return { ok: true, body };
}

/** The sentence (under dashboard.plan.edit.errors) for a refusal from the API, if it has one. */
export function editErrorKey(
  code: string,
  what: 'stream' | 'offer',
): 'started' | 'ended' | 'closed' | 'belowSold' | 'timePast' | null {
  switch (code) {
    case 'stream_started':
      return 'started';
    case 'stream_ended':
      return 'ended';
    case 'offer_closed':
      return 'closed';
    case 'quantity_below_sold':
      return 'belowSold';
    case 'bad_request':
      // the one a stream edit can meet; an offer's (stock, group) are checked before sending
      return what === 'stream' ? 'timePast' : null;
    default:
      return null;
  }
}
