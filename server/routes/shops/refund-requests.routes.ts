import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { ShopParams } from '../../contracts/common';
import { RefundRequestList, RefundRequestsQuery } from '../../contracts/order';
import { createRouter, errors, jsonContent } from '../../openapi';
import { listRefunds } from '../../services/after-sales.service';
import type { Router } from '../router';

/** /api/shops/{shopId}/refund-requests: the owner's refund requests. */
export function shopRefundRequestRoutes() {
  const router = createRouter();
  refundRequestsRoute(router);
  return router;
}

function refundRequestsRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/refund-requests',
      tags: ['refunds'],
      summary: "The shop's refund requests with their age (owner)",
      request: {
        params: ShopParams,
        query: RefundRequestsQuery,
      },
      responses: {
        200: jsonContent(RefundRequestList, 'Requests'),
        ...errors('unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) =>
      c.json(
        {
          refundRequests: await listRefunds(
            c.var.deps.db,
            requireAccount(c),
            c.req.valid('param').shopId,
            c.req.valid('query').status ?? 'all',
          ),
        },
        200,
      ),
  );
}
