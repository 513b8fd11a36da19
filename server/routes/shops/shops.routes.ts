import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { createShop, getPublicShop } from '../../services/shop.service';
import { CreateShopBody, ShopEnvelope, ShopPage, SlugParams } from '../../contracts/shop';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import type { Router } from '../router';

/** /api/shops itself: opening a shop, and a shop's public page by its slug. */
export function shopRootRoutes() {
  const router = createRouter();
  openShopRoute(router);
  publicShopRoute(router);
  return router;
}

function openShopRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['shops'],
      summary: 'Open a shop',
      request: { body: jsonBody(CreateShopBody) },
      responses: {
        201: jsonContent(ShopEnvelope, 'The new shop'),
        ...errors(
          'validation_failed',
          'malformed_json',
          'unauthenticated',
          'forbidden',
          'slug_taken',
        ),
      },
    }),
    async (c) => {
      const owner = requireAccount(c);
      const shop = await createShop(c.var.deps.db, owner, c.req.valid('json'));
      return c.json({ shop }, 201);
    },
  );
}

function publicShopRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{slug}',
      tags: ['shops'],
      summary: 'A shop and its streams (public)',
      request: { params: SlugParams },
      responses: {
        200: jsonContent(ShopPage, 'The shop'),
        ...errors('not_found'),
      },
    }),
    async (c) => c.json(await getPublicShop(c.var.deps.db, c.req.valid('param').slug), 200),
  );
}
