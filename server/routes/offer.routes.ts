import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../middleware/session';
import { createRouter, errors, jsonBody, jsonContent, z } from '../openapi';
import { closeStreamOffer, createOffer, editOffer, pinOffer } from '../services/offer.service';

export const OfferSchema = z
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
  .openapi('Offer');

const PriceCents = z.number().int().min(0).max(100_000_000);
const Quantity = z.number().int().min(1).max(100_000);
const GroupMin = z.number().int().min(2).max(100_000);
const GroupDeadline = z.iso.datetime({ offset: true });
const PerBuyerLimit = z.number().int().min(1).max(1000);

const CreateOfferBody = z.strictObject({
  productId: z.uuid(),
  priceCents: PriceCents,
  quantity: Quantity,
  groupMin: GroupMin.optional(),
  groupDeadline: GroupDeadline.optional(),
  perBuyerLimit: PerBuyerLimit.optional(),
});

const EditOfferBody = z
  .strictObject({
    priceCents: PriceCents.optional(),
    quantity: Quantity.optional(),
    /** null: no limit */
    perBuyerLimit: PerBuyerLimit.nullable().optional(),
    /** null together with groupDeadline null: no longer a group buy */
    groupMin: GroupMin.nullable().optional(),
    groupDeadline: GroupDeadline.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change')
  .openapi('OfferEdit');

const StreamParams = z.object({ streamId: z.uuid() });
const OfferParams = z.object({ streamId: z.uuid(), offerId: z.uuid() });

export function offerRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/streams/{streamId}/offers',
      tags: ['offers'],
      summary: 'Put a product on offer in a stream (owner)',
      request: { params: StreamParams, body: jsonBody(CreateOfferBody) },
      responses: {
        201: jsonContent(z.object({ offer: OfferSchema }), 'The new offer'),
        ...errors(
          'validation_failed',
          'bad_request',
          'unauthenticated',
          'forbidden',
          'not_found',
          'offer_closed',
        ),
      },
    }),
    async (c) => {
      const offer = await createOffer(
        c.var.deps,
        requireAccount(c),
        c.req.valid('param').streamId,
        c.req.valid('json'),
      );
      return c.json({ offer }, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/streams/{streamId}/offers/{offerId}',
      tags: ['offers'],
      summary:
        'Edit an offer (owner): price, quantity, per-buyer limit; group terms before any order',
      description:
        'The quantity can never go below the units already sold or held (409 quantity_below_sold); ' +
        'units sold stay sold, so sold + remaining = quantity holds. Viewers hear `offer:update` ' +
        'with the new terms.',
      request: { params: OfferParams, body: jsonBody(EditOfferBody) },
      responses: {
        200: jsonContent(z.object({ offer: OfferSchema }), 'The offer as it is now'),
        ...errors(
          'validation_failed',
          'malformed_json',
          'bad_request',
          'unauthenticated',
          'forbidden',
          'not_found',
          'stream_ended',
          'offer_closed',
          'quantity_below_sold',
          'offer_has_orders',
        ),
      },
    }),
    async (c) => {
      const { streamId, offerId } = c.req.valid('param');
      const offer = await editOffer(
        c.var.deps,
        requireAccount(c),
        streamId,
        offerId,
        c.req.valid('json'),
      );
      return c.json({ offer }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/streams/{streamId}/offers/{offerId}/pin',
      tags: ['offers'],
      summary: 'Pin an offer on every viewer’s screen (owner)',
      request: { params: OfferParams },
      responses: {
        200: jsonContent(z.object({ pinnedOfferId: z.string().nullable() }), 'Pinned'),
        ...errors('unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const { streamId, offerId } = c.req.valid('param');
      await pinOffer(c.var.deps, requireAccount(c), streamId, offerId);
      return c.json({ pinnedOfferId: offerId }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/streams/{streamId}/offers/unpin',
      tags: ['offers'],
      summary: 'Unpin the pinned offer (owner)',
      request: { params: StreamParams },
      responses: {
        200: jsonContent(z.object({ pinnedOfferId: z.null() }), 'Unpinned'),
        ...errors('unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      await pinOffer(c.var.deps, requireAccount(c), c.req.valid('param').streamId, null);
      return c.json({ pinnedOfferId: null }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/streams/{streamId}/offers/{offerId}/close',
      tags: ['offers'],
      summary: 'Stop taking orders on an offer (owner)',
      request: { params: OfferParams },
      responses: {
        200: jsonContent(z.object({ offer: OfferSchema }), 'Closed'),
        ...errors('unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const { streamId, offerId } = c.req.valid('param');
      const offer = await closeStreamOffer(c.var.deps, requireAccount(c), streamId, offerId);
      return c.json({ offer }, 200);
    },
  );

  return router;
}
