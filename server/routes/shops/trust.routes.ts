import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { ShopParams } from '../../contracts/common';
import { ShopLeaderTrust } from '../../contracts/trust';
import { ON_RESOURCE } from '../router';
import { createRouter, errors, jsonContent } from '../../openapi';
import { shopTrust } from '../../services/trust.service';

/** /api/shops/{shopId}/leader-trust: every approved leader's trust index, highest first (owner). */
export function shopTrustRoutes() {
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/leader-trust',
      tags: ['leaders'],
      summary: "The shop's leaders by trust index, highest first (owner)",
      request: { params: ShopParams },
      responses: {
        200: jsonContent(ShopLeaderTrust, 'The leaders'),
        ...errors(...ON_RESOURCE),
      },
    }),
    async (c) => {
      c.header('cache-control', 'no-store');
      return c.json(
        await shopTrust(c.var.deps, requireAccount(c), c.req.valid('param').shopId),
        200,
      );
    },
  );
  return router;
}
