import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { StreamParams } from '../../contracts/common';
import {
  CreateOfferBody,
  EditOfferBody,
  OfferEnvelope,
  OfferParams,
  Pinned,
  Unpinned,
} from '../../contracts/offer';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import { closeStreamOffer, createOffer, editOffer, pinOffer } from '../../services/offer.service';
import type { Router } from '../router';

/** /api/streams/{streamId}/offers…: what a stream sells, pinned and closed by the owner. */
export function streamOfferRoutes() {
  const router = createRouter();
  createOfferRoute(router);
  editOfferRoute(router);
  pinRoute(router);
  unpinRoute(router);
  closeOfferRoute(router);
  return router;
}

function createOfferRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{streamId}/offers',
      tags: ['offers'],
      summary: 'Put a product on offer in a stream (owner)',
      request: { params: StreamParams, body: jsonBody(CreateOfferBody) },
      responses: {
        201: jsonContent(OfferEnvelope, 'The new offer'),
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
}

function editOfferRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'patch',
      path: '/{streamId}/offers/{offerId}',
      tags: ['offers'],
      summary:
        'Edit an offer (owner): price, quantity, per-buyer limit; group terms before any order',
      description:
        'The quantity can never go below the units already sold or held (409 quantity_below_sold); ' +
        'units sold stay sold, so sold + remaining = quantity holds. Viewers hear `offer:update` ' +
        'with the new terms.',
      request: { params: OfferParams, body: jsonBody(EditOfferBody) },
      responses: {
        200: jsonContent(OfferEnvelope, 'The offer as it is now'),
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
}

function pinRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{streamId}/offers/{offerId}/pin',
      tags: ['offers'],
      summary: 'Pin an offer on every viewer’s screen (owner)',
      request: { params: OfferParams },
      responses: {
        200: jsonContent(Pinned, 'Pinned'),
        ...errors('unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const { streamId, offerId } = c.req.valid('param');
      await pinOffer(c.var.deps, requireAccount(c), streamId, offerId);
      return c.json({ pinnedOfferId: offerId }, 200);
    },
  );
}

function unpinRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{streamId}/offers/unpin',
      tags: ['offers'],
      summary: 'Unpin the pinned offer (owner)',
      request: { params: StreamParams },
      responses: {
        200: jsonContent(Unpinned, 'Unpinned'),
        ...errors('unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      await pinOffer(c.var.deps, requireAccount(c), c.req.valid('param').streamId, null);
      return c.json({ pinnedOfferId: null }, 200);
    },
  );
}

function closeOfferRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{streamId}/offers/{offerId}/close',
      tags: ['offers'],
      summary: 'Stop taking orders on an offer (owner)',
      request: { params: OfferParams },
      responses: {
        200: jsonContent(OfferEnvelope, 'Closed'),
        ...errors('unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const { streamId, offerId } = c.req.valid('param');
      const offer = await closeStreamOffer(c.var.deps, requireAccount(c), streamId, offerId);
      return c.json({ offer }, 200);
    },
  );
}
