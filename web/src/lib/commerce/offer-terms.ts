// An offer's terms (price, quantity, limit, group) as the owner last set them. They arrive
// on `offer:update` only when the owner edits the offer; the far more frequent updates from
// orders carry stock alone. The realtime state keeps only each offer's latest update, so the
// last terms heard are remembered here until the page reads the stream afresh.
import type { OfferTerms, OfferUpdatePayload } from '../../../../server/realtime/events.ts';

export type { OfferTerms };

/** `known` with the terms of any update that carries them; `known` itself if none do. */
export function rememberTerms(
  known: Record<string, OfferTerms>,
  updates: Record<string, OfferUpdatePayload>,
): Record<string, OfferTerms> {
  let next = known;
  for (const update of Object.values(updates)) {
    const terms = update.terms;
    if (!terms || sameTerms(known[update.offerId], terms)) continue;
    if (next === known) next = { ...known };
    next[update.offerId] = terms;
  }
  return next;
}

function sameTerms(a: OfferTerms | undefined, b: OfferTerms): boolean {
  return (
    a !== undefined &&
    a.priceCents === b.priceCents &&
    a.quantity === b.quantity &&
    a.perBuyerLimit === b.perBuyerLimit &&
    a.groupMin === b.groupMin &&
    a.groupDeadline === b.groupDeadline
  );
}

/** The offer with the terms heard in the room, which are newer than the page's read. */
export function withTerms<T extends { priceCents: number; groupMin: number | null }>(
  offer: T,
  terms: OfferTerms | undefined,
): T {
  return terms ? { ...offer, priceCents: terms.priceCents, groupMin: terms.groupMin } : offer;
}
