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
import { redeemPickup, toPrepare } from '../../services/pickup.service';
import { listPickupPoints } from '../../services/order-query.service';
import { markPointReady } from '../../services/ready.service';
import { ReadyCount } from '../../contracts/notification';
import { type Router, ON_RESOURCE } from '../router';

/** /api/shops/{shopId}/pickups and /pickup-points…: handing orders out, and what each point has to prepare. */
export function shopPickupRoutes() {
  const router = createRouter();
  redeemPickupRoute(router);
  pickupPointsRoute(router);
  prepareRoute(router);
  readyRoute(router);
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
        ...errors(...ON_RESOURCE, 'pickup_code_used', 'invalid_transition'),
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

function readyRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{shopId}/pickup-points/{pickupPointId}/ready',
      tags: ['pickup'],
      summary: 'Mark what the point has to prepare as packed: each buyer is told to come',
      description:
        'The confirmed orders of the prepare list become `ready`, and each buyer gets an `order_ready` notice (the bell, and email when the server sends mail). Orders already ready are left as they are.',
      request: { params: PickupPointParams },
      responses: {
        200: jsonContent(ReadyCount, 'How many orders became ready'),
        ...errors(...ON_RESOURCE),
      },
    }),
    async (c) => {
      const { shopId, pickupPointId } = c.req.valid('param');
      const result = await markPointReady(c.var.deps, requireAccount(c), shopId, pickupPointId);
      return c.json(result, 200);
    },
  );
}
