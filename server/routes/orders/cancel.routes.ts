import { createRoute } from '@hono/zod-openapi';
import { requireUser } from '../../middleware/session';
import { OrderParams } from '../../contracts/common';
import { OrderDetailEnvelope } from '../../contracts/order';
import { createRouter, errors, jsonContent } from '../../openapi';
import { cancelOrder } from '../../services/after-sales.service';
import type { Router } from '../router';

/** /api/orders/{orderId}/cancel. */
export function orderCancelRoutes() {
  const router = createRouter();
  cancelRoute(router);
  return router;
}

function cancelRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{orderId}/cancel',
      tags: ['orders'],
      summary: 'Cancel my order before pickup (buyer)',
      request: { params: OrderParams },
      responses: {
        200: jsonContent(OrderDetailEnvelope, 'Cancelled'),
        ...errors('unauthenticated', 'not_found', 'invalid_transition'),
      },
    }),
    async (c) =>
      c.json(
        { order: await cancelOrder(c.var.deps, requireUser(c), c.req.valid('param').orderId) },
        200,
      ),
  );
}
