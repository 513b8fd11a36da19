// Waitlists for sold-out offers (issue 17.4): a resident joins the line of a sold-out offer;
// when units come back the first in line gets one held for them (WAITLIST_HOLD_SECONDS) to
// confirm with an order, then the next.
import { z } from 'zod';
import { PlaceOrderBody } from './order';

export const WAITLIST_STATES = ['waiting', 'offered', 'claimed', 'expired', 'left'] as const;
export const WaitlistState = z.enum(WAITLIST_STATES);
export type WaitlistState = z.infer<typeof WaitlistState>;

export const WaitlistEntry = z.object({
  offerId: z.string(),
  /**
   * waiting: in line; offered: a unit is held until `expiresAt`; claimed: confirmed as
   * `orderId`; expired: the hold ran out and passed on; left: the resident left the line
   */
  state: WaitlistState,
  /** While waiting: the place in line, 1 being the next to get a unit. */
  position: z.number().int().nullable(),
  /** While offered: until when the unit is held. */
  expiresAt: z.string().nullable(),
  orderId: z.string().nullable(),
});
export type WaitlistEntry = z.infer<typeof WaitlistEntry>;

export const WaitlistEntryEnvelope = z.object({ entry: WaitlistEntry });
/** The signed-in resident's lines in a stream: the latest entry per offer. */
export const WaitlistEntryList = z.object({ entries: z.array(WaitlistEntry) });

/** Confirming the held unit: the order sheet's fields, for exactly one unit of that offer. */
export const ClaimWaitlistBody = PlaceOrderBody.omit({ offerId: true, quantity: true });
export type ClaimWaitlistBody = z.infer<typeof ClaimWaitlistBody>;

/** `waitlist:offer`, sent to the resident alone: a unit is held for them. */
export const WaitlistOfferPayload = z.object({
  streamId: z.string(),
  offerId: z.string(),
  userId: z.string(),
  productName: z.string(),
  expiresAt: z.string(),
});
export type WaitlistOfferPayload = z.infer<typeof WaitlistOfferPayload>;
