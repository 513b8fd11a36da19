import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { ShopParams } from '../../contracts/common';
import {
  PublicRatingEnvelope,
  RatingParams,
  RatingReplyBody,
  ShopRatings,
} from '../../contracts/rating';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import { replyToRating, shopRatings } from '../../services/rating.service';
import { type Router, BODY_ON_RESOURCE } from '../router';

/** /api/shops/{shopId}/ratings…: the shop's ratings (public) and the owner's replies. */
export function shopRatingRoutes() {
  const router = createRouter();
  listRoute(router);
  replyRoute(router);
  return router;
}

function listRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/ratings',
      tags: ['ratings'],
      summary: "The shop's ratings (public): average, counts per star and tag, recent texts",
      request: { params: ShopParams },
      responses: {
        200: jsonContent(ShopRatings, 'The ratings'),
        ...errors('validation_failed', 'not_found'),
      },
    }),
    async (c) => c.json(await shopRatings(c.var.deps.db, c.req.valid('param').shopId), 200),
  );
}

function replyRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{shopId}/ratings/{ratingId}/reply',
      tags: ['ratings'],
      summary: 'Answer a rating publicly (owner), once',
      request: { params: RatingParams, body: jsonBody(RatingReplyBody) },
      responses: {
        200: jsonContent(PublicRatingEnvelope, 'Answered'),
        ...errors(...BODY_ON_RESOURCE, 'already_replied'),
      },
    }),
    async (c) => {
      const { shopId, ratingId } = c.req.valid('param');
      const rating = await replyToRating(
        c.var.deps.db,
        requireAccount(c),
        shopId,
        ratingId,
        c.req.valid('json').text,
      );
      return c.json({ rating }, 200);
    },
  );
}
