import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { ShopParams } from '../../contracts/common';
import { OrderList, ShopOrdersQuery } from '../../contracts/order';
import { createRouter, errors, z } from '../../openapi';
import { exportShopOrdersCsv, listShopOrdersForOwner } from '../../services/order-query.service';
import type { Router } from '../router';

/** /api/shops/{shopId}/orders: the owner's order list, as JSON or CSV. */
export function shopOrderRoutes() {
  const router = createRouter();
  shopOrdersRoute(router);
  return router;
}

function shopOrdersRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/orders',
      tags: ['orders'],
      summary: "A shop's orders (owner), filtered; `format=csv` downloads them",
      request: { params: ShopParams, query: ShopOrdersQuery },
      responses: {
        200: {
          description: 'The orders',
          content: {
            'application/json': { schema: OrderList },
            'text/csv': { schema: z.string() },
          },
        },
        ...errors('validation_failed', 'unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const owner = requireAccount(c);
      const { shopId } = c.req.valid('param');
      const query = c.req.valid('query');
      const filter = {
        streamId: query.streamId,
        states: query.status,
        pickupPointId: query.pickupPointId,
      };
      if (query.format === 'csv') {
        const csv = await exportShopOrdersCsv(c.var.deps.db, owner, shopId, filter);
        c.header('Content-Type', 'text/csv; charset=utf-8');
        c.header('Content-Disposition', `attachment; filename="orders-${shopId.slice(0, 8)}.csv"`);
        return c.body(csv, 200);
      }
      return c.json(
        { orders: await listShopOrdersForOwner(c.var.deps.db, owner, shopId, filter) },
        200,
      );
    },
  );
}
