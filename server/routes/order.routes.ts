import { createRoute } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { VISITOR_COOKIE } from '../http/visitor';
import { requireAccount, requireUser } from '../middleware/session';
import { ShopParams, StreamParams } from '../contracts/common';
import {
  IdempotencyHeaders,
  OrderEnvelope,
  OrderList,
  PickupPointList,
  PlaceOrderBody,
  ShopOrdersQuery,
} from '../contracts/order';
import { createRouter, errors, jsonBody, jsonContent, z } from '../openapi';
import { placeOrder } from '../services/order.service';
import {
  exportShopOrdersCsv,
  listPickupPointsOfStream,
  listShopOrdersForOwner,
} from '../services/order-query.service';

export function orderRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/streams/{streamId}/orders',
      tags: ['orders'],
      summary: 'Order from a stream offer',
      description:
        'Takes the stock in one transaction. `Idempotency-Key` (per buyer): a repeat answers the first order; the same key with a different body is 422. Group offers answer `pending_group` until the threshold is reached.',
      request: {
        params: StreamParams,
        headers: IdempotencyHeaders,
        body: jsonBody(PlaceOrderBody),
      },
      responses: {
        201: jsonContent(OrderEnvelope, 'The order (or the first one for this key)'),
        ...errors(
          'validation_failed',
          'bad_request',
          'unauthenticated',
          'not_found',
          'sold_out',
          'limit_exceeded',
          'offer_closed',
          'idempotency_conflict',
        ),
      },
    }),
    async (c) => {
      const buyer = requireUser(c);
      const key = c.req.valid('header')['idempotency-key'];
      const { order, replayed } = await placeOrder(
        c.var.deps,
        buyer,
        c.req.valid('param').streamId,
        { ...c.req.valid('json'), visitorKey: getCookie(c, VISITOR_COOKIE) },
        key,
      );
      if (replayed) c.header('Idempotent-Replayed', 'true');
      return c.json({ order }, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/streams/{streamId}/pickup-points',
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

  router.openapi(
    createRoute({
      method: 'get',
      path: '/shops/{shopId}/orders',
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

  return router;
}
