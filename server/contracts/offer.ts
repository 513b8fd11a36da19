import { z } from 'zod';
import { IsoTime, MAX_PRICE_CENTS } from './common';

export const Offer = z
  .object({
    id: z.string(),
    streamId: z.string(),
    productId: z.string(),
    priceCents: z.number().int(),
    quantity: z.number().int(),
    remaining: z.number().int(),
    perBuyerLimit: z.number().int().nullable(),
    groupMin: z.number().int().nullable(),
    groupDeadline: z.string().nullable(),
    closed: z.boolean(),
  })
  .meta({ id: 'Offer' });
export type Offer = z.infer<typeof Offer>;

export const OfferEnvelope = z.object({ offer: Offer });
export type OfferEnvelope = z.infer<typeof OfferEnvelope>;

/** Where an offer stands, as the room hears it. */
export const OfferStatus = z.enum(['open', 'sold_out', 'group_reached', 'group_failed', 'closed']);
export type OfferStatus = z.infer<typeof OfferStatus>;

/** What the owner can change about an offer after putting it on sale. */
export const OfferTerms = z.object({
  priceCents: z.number(),
  quantity: z.number(),
  perBuyerLimit: z.number().nullable(),
  groupMin: z.number().nullable(),
  groupDeadline: z.string().nullable(),
});
export type OfferTerms = z.infer<typeof OfferTerms>;

const PriceCents = z.number().int().min(0).max(MAX_PRICE_CENTS);
const Quantity = z.number().int().min(1).max(100_000);
const GroupMin = z.number().int().min(2).max(100_000);
const PerBuyerLimit = z.number().int().min(1).max(1000);

export const CreateOfferBody = z.strictObject({
  productId: z.uuid(),
  priceCents: PriceCents,
  quantity: Quantity,
  groupMin: GroupMin.optional(),
  groupDeadline: IsoTime.optional(),
  perBuyerLimit: PerBuyerLimit.optional(),
});
export type CreateOfferBody = z.infer<typeof CreateOfferBody>;

export const EditOfferBody = z
  .strictObject({
    priceCents: PriceCents.optional(),
    quantity: Quantity.optional(),
    /** null: no limit */
    perBuyerLimit: PerBuyerLimit.nullable().optional(),
    /** null together with groupDeadline null: no longer a group buy */
    groupMin: GroupMin.nullable().optional(),
    groupDeadline: IsoTime.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change')
  .meta({ id: 'OfferEdit' });
export type EditOfferBody = z.infer<typeof EditOfferBody>;

export const OfferParams = z.object({ streamId: z.uuid(), offerId: z.uuid() });

export const Pinned = z.object({ pinnedOfferId: z.string().nullable() });
export const Unpinned = z.object({ pinnedOfferId: z.null() });
