import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { ShopParams } from '../../contracts/common';
import {
  OrderDetailEnvelope,
  PickupBody,
  PickupPointList,
  PickupPointParams,
  PrepareList,
} from '../../contracts/order';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import { redeemPickup, toPrepare } from '../../services/after-sales.service';
import { listPickupPoints } from '../../services/order-query.service';
import type { Router } from '../router';

/** /api/shops/{shopId}/pickups and /pickup-points…: handing orders out, and what each point has to prepare. */
export function shopPickupRoutes() {
  const router = createRouter();
  redeemPickupRoute(router);
  pickupPointsRoute(router);
  prepareRoute(router);
  return router;
}

function redeemPickupRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{shopId}/pickups',
      tags: ['pickup'],
      summary: 'Hand out an order by its pickup code (owner, or the leader at their point)',
      description: 'The order becomes picked_up and paid (pay at pickup).',
      request: {
        params: ShopParams,
        body: jsonBody(PickupBody),
      },
      responses: {
        200: jsonContent(OrderDetailEnvelope, 'Picked up'),
        ...errors(
          'validation_failed',
          'unauthenticated',
          'forbidden',
          'not_found',
          'pickup_code_used',
          'invalid_transition',
        ),
      },
    }),
    async (c) => {
      const order = await redeemPickup(
        c.var.deps,
        requireAccount(c),
        c.req.valid('param').shopId,
        c.req.valid('json').code,
      );
      return c.json({ order }, 200);
    },
  );
}

function pickupPointsRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/pickup-points',
      tags: ['pickup'],
      summary: "The shop's pickup points: the shop itself and its approved leaders' points",
      request: { params: ShopParams },
      responses: {
        200: jsonContent(PickupPointList, 'Points'),
        ...errors('not_found'),
      },
    }),
    async (c) =>
      c.json(
        { pickupPoints: await listPickupPoints(c.var.deps.db, c.req.valid('param').shopId) },
        200,
      ),
  );
}

function prepareRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/pickup-points/{pickupPointId}/prepare',
      tags: ['pickup'],
      summary: 'What to pack for whom at a pickup point today (printable)',
      description:
        'Confirmed orders not yet picked up that are due today or overdue. An order is due ' +
        'from the later of the day it was confirmed and the day its stream airs.',
      request: { params: PickupPointParams },
      responses: {
        200: jsonContent(PrepareList, 'The list'),
        ...errors('unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const { shopId, pickupPointId } = c.req.valid('param');
      return c.json(await toPrepare(c.var.deps.db, requireAccount(c), shopId, pickupPointId), 200);
    },
  );
}
