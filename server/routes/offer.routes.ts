import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../middleware/session';
import { createRouter, errors, jsonBody, jsonContent, z } from '../openapi';
import { closeStreamOffer, createOffer, pinOffer } from '../services/offer.service';

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

const CreateOfferBody = z.strictObject({
  productId: z.uuid(),
  priceCents: z.number().int().min(0).max(100_000_000),
  quantity: z.number().int().min(1).max(100_000),
  groupMin: z.number().int().min(2).max(100_000).optional(),
  groupDeadline: z.iso.datetime({ offset: true }).optional(),
  perBuyerLimit: z.number().int().min(1).max(1000).optional(),
});

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
