import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { createShop, editShop, getPublicShop } from '../../services/shop.service';
import { ShopParams } from '../../contracts/common';
import {
  CreateShopBody,
  EditShopBody,
  ShopEnvelope,
  PublicShopPage,
  SlugParams,
} from '../../contracts/shop';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import { type Router, BODY_ON_RESOURCE } from '../router';

/** /api/shops itself: opening a shop, its settings, and a shop's public page by its slug. */
export function shopRootRoutes() {
  const router = createRouter();
  openShopRoute(router);
  publicShopRoute(router);
  editShopRoute(router);
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
        200: jsonContent(PublicShopPage, 'The shop'),
        ...errors('not_found'),
      },
    }),
    async (c) => {
      const page = await getPublicShop(c.var.deps.db, c.req.valid('param').slug, c.var.user);
      // says whether the requester is a member, and lists members-only streams to members
      c.header('cache-control', 'private, no-store');
      return c.json(page, 200);
    },
  );
}

function editShopRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'patch',
      path: '/{shopId}',
      tags: ['shops'],
      summary: "Edit the shop's settings (owner)",
      description:
        'Name, address, pickup hours, story, logo (an upload of this app), the attribution ' +
        'window in days (1–30) and the default per-buyer limit (1–99, null for none). ' +
        'Fields left out stay as they are; null clears an optional one.',
      request: { params: ShopParams, body: jsonBody(EditShopBody) },
      responses: {
        200: jsonContent(ShopEnvelope, 'The shop as saved'),
        ...errors(...BODY_ON_RESOURCE),
      },
    }),
    async (c) => {
      const owner = requireAccount(c);
      const shop = await editShop(
        c.var.deps.db,
        owner,
        c.req.valid('param').shopId,
        c.req.valid('json'),
      );
      return c.json({ shop }, 200);
    },
  );
}
