import { createRoute } from '@hono/zod-openapi';
import { findShopById } from '../../db/repositories/shop.repository';
import { AppError } from '../errors';
import { requireAccount } from '../middleware/session';
import { getBlockedWords, setBlockedWords } from '../services/comment.service';
import { ShopParams } from '../contracts/common';
import { BlockedWords, PutBlockedWordsBody } from '../contracts/shop';
import { createRouter, errors, jsonBody, jsonContent } from '../openapi';

/** The shop-wide list of words comments may not contain (owner only). */
export function moderationRoutes() {
  const router = createRouter();

  const loadShop = async (db: Parameters<typeof findShopById>[0], shopId: string) => {
    const shop = await findShopById(db, shopId);
    if (!shop) throw new AppError('not_found', 'No such shop.');
    return shop;
  };

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/blocked-words',
      tags: ['moderation'],
      summary: "The shop's blocked words",
      request: { params: ShopParams },
      responses: {
        200: jsonContent(BlockedWords, 'The list'),
        ...errors('unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const shop = await loadShop(c.var.deps.db, c.req.valid('param').shopId);
      const words = await getBlockedWords(c.var.deps.db, user, shop.id, shop.owner_id);
      return c.json({ words }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'put',
      path: '/{shopId}/blocked-words',
      tags: ['moderation'],
      summary: "Replace the shop's blocked words",
      request: { params: ShopParams, body: jsonBody(PutBlockedWordsBody) },
      responses: {
        200: jsonContent(BlockedWords, 'The new list'),
        ...errors('validation_failed', 'unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const shop = await loadShop(c.var.deps.db, c.req.valid('param').shopId);
      const words = await setBlockedWords(
        c.var.deps.db,
        user,
        { id: shop.id, ownerId: shop.owner_id },
        c.req.valid('json').words,
      );
      return c.json({ words }, 200);
    },
  );

  return router;
}
