import { createRoute } from '@hono/zod-openapi';
import { StreamParams } from '../../contracts/common';
import { PickupPointList } from '../../contracts/order';
import { createRouter, errors, jsonContent } from '../../openapi';
import { listPickupPointsOfStream } from '../../services/order-query.service';
import type { Router } from '../router';

/** /api/streams/{streamId}/pickup-points: where a buyer can pick up. */
export function streamPickupPointRoutes() {
  const router = createRouter();
  pickupPointsRoute(router);
  return router;
}

function pickupPointsRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{streamId}/pickup-points',
      tags: ['orders'],
      summary: "Where a stream's orders can be picked up: the shop and its leaders' points",
      request: { params: StreamParams },
      responses: {
        200: jsonContent(PickupPointList, 'Pickup points'),
        ...errors('not_found'),
      },
    }),
    async (c) =>
      c.json(
        {
          pickupPoints: await listPickupPointsOfStream(
            c.var.deps.db,
            c.req.valid('param').streamId,
          ),
        },
        200,
      ),
  );
}
