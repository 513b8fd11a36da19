import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { ShopParams } from '../../contracts/common';
import {
  AfterSalesSummaryEnvelope,
  RefundRequestList,
  RefundRequestsQuery,
} from '../../contracts/order';
import { createRouter, errors, jsonContent } from '../../openapi';
import { afterSalesSummary, listRefunds } from '../../services/after-sales.service';
import type { Router } from '../router';

/**
 * /api/shops/{shopId}/refund-requests: the requests the owner (or a pickup point's leader)
 * answers; /api/shops/{shopId}/after-sales: the shop's promise and how well it kept it.
 */
export function shopRefundRequestRoutes() {
  const router = createRouter();
  refundRequestsRoute(router);
  afterSalesRoute(router);
  return router;
}

function afterSalesRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/after-sales',
      tags: ['refunds'],
      summary: "The shop's after-sales promise and its response figures over 30 days (public)",
      request: { params: ShopParams },
      responses: {
        200: jsonContent(AfterSalesSummaryEnvelope, 'Promise and figures'),
        ...errors('validation_failed', 'not_found'),
      },
    }),
    async (c) =>
      c.json(
        { afterSales: await afterSalesSummary(c.var.deps.db, c.req.valid('param').shopId) },
        200,
      ),
  );
}

function refundRequestsRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/refund-requests',
      tags: ['refunds'],
      summary:
        "The shop's refund requests with their age (owner), or those at the leader's own point",
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
        await listRefunds(
          c.var.deps.db,
          requireAccount(c),
          c.req.valid('param').shopId,
          c.req.valid('query').status ?? 'all',
        ),
        200,
      ),
  );
}
