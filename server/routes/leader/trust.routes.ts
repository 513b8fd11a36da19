import { createRoute } from '@hono/zod-openapi';
import { requireUser } from '../../middleware/session';
import { ShopParams } from '../../contracts/common';
import { LeaderTrust } from '../../contracts/trust';
import { createRouter, errors, jsonContent } from '../../openapi';
import { myTrust } from '../../services/trust.service';

/** /api/leader/me/trust/{shopId}: the signed-in leader's trust index in a shop, with its history. */
export function leaderTrustRoutes() {
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/me/trust/{shopId}',
      tags: ['leaders'],
      summary: "The signed-in leader's trust index (团长信用分) in a shop",
      description:
        'The published formula (server/rules/trust.ts): 50 % satisfaction (ratings of orders attributed to the leader or picked up at their point), 30 % activity (link clicks and orders), 20 % after-sales speed (claims the leader answered within the promise), over 30 days, with a prior for few data. 金牌团长: at or above 85 every day of 30.',
      request: { params: ShopParams },
      responses: {
        200: jsonContent(LeaderTrust, 'The index'),
        ...errors('validation_failed', 'unauthenticated', 'not_found'),
      },
    }),
    async (c) => {
      c.header('cache-control', 'no-store');
      return c.json(await myTrust(c.var.deps, requireUser(c), c.req.valid('param').shopId), 200);
    },
  );
  return router;
}
