import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { getBlockedWords, setBlockedWords } from '../../services/comment.service';
import { ShopParams } from '../../contracts/common';
import { BlockedWords, PutBlockedWordsBody } from '../../contracts/shop';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import { type Router, ON_RESOURCE } from '../router';

/** /api/shops/{shopId}/blocked-words: the shop-wide list of words comments may not contain (owner only). */
export function shopBlockedWordRoutes() {
  const router = createRouter();
  getBlockedWordsRoute(router);
  putBlockedWordsRoute(router);
  return router;
}

function getBlockedWordsRoute(router: Router) {
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
      const words = await getBlockedWords(c.var.deps.db, user, c.req.valid('param').shopId);
      return c.json({ words }, 200);
    },
  );
}

function putBlockedWordsRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'put',
      path: '/{shopId}/blocked-words',
      tags: ['moderation'],
      summary: "Replace the shop's blocked words",
      request: { params: ShopParams, body: jsonBody(PutBlockedWordsBody) },
      responses: {
        200: jsonContent(BlockedWords, 'The new list'),
        ...errors(...ON_RESOURCE),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const words = await setBlockedWords(
        c.var.deps.db,
        user,
        c.req.valid('param').shopId,
        c.req.valid('json').words,
      );
      return c.json({ words }, 200);
    },
  );
}
