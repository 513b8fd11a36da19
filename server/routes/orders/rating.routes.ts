import { createRoute } from '@hono/zod-openapi';
import { requireUser } from '../../middleware/session';
import { OrderParams } from '../../contracts/common';
import { MaybeMyRating, MyRatingEnvelope, RateOrderBody } from '../../contracts/rating';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import { myOrderRating, rateOrder } from '../../services/rating.service';
import type { Router } from '../router';

/** /api/orders/{orderId}/rating: the buyer rates a picked-up order, and may change it for a while. */
export function orderRatingRoutes() {
  const router = createRouter();
  rateRoute(router);
  myRatingRoute(router);
  return router;
}

function rateRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'put',
      path: '/{orderId}/rating',
      tags: ['ratings'],
      summary: 'Rate my picked-up order (buyer): 1–5 stars, tags, a short text',
      description:
        'The first rating of the order is created (201); a later PUT within 7 days of it ' +
        'replaces it (200), after that 409 rating_locked. Two first ratings at once make ' +
        'one: the later is an edit of the earlier.',
      request: { params: OrderParams, body: jsonBody(RateOrderBody) },
      responses: {
        200: jsonContent(MyRatingEnvelope, 'Changed'),
        201: jsonContent(MyRatingEnvelope, 'Rated'),
        ...errors(
          'validation_failed',
          'malformed_json',
          'unauthenticated',
          'not_found',
          'not_picked_up',
          'rating_locked',
        ),
      },
    }),
    async (c) => {
      const { rating, created } = await rateOrder(
        c.var.deps.db,
        requireUser(c),
        c.req.valid('param').orderId,
        c.req.valid('json'),
      );
      return created ? c.json({ rating }, 201) : c.json({ rating }, 200);
    },
  );
}

function myRatingRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{orderId}/rating',
      tags: ['ratings'],
      summary: 'My rating of my order (null while not rated), with the owner’s reply',
      request: { params: OrderParams },
      responses: {
        200: jsonContent(MaybeMyRating, 'My rating'),
        ...errors('validation_failed', 'unauthenticated', 'not_found'),
      },
    }),
    async (c) => {
      const rating = await myOrderRating(
        c.var.deps.db,
        requireUser(c),
        c.req.valid('param').orderId,
      );
      c.header('cache-control', 'private, no-store');
      return c.json({ rating }, 200);
    },
  );
}
