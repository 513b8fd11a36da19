import { createRoute } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { VISITOR_COOKIE } from '../../http/visitor';
import { requireAccount, requireUser } from '../../middleware/session';
import { StreamParams } from '../../contracts/common';
import { orderLimit as ordersPerBuyer } from '../../http/limits';
import { IdempotencyHeaders, OrderEnvelope, PlaceOrderBody } from '../../contracts/order';
import { createRouter, errors, jsonBody, jsonContent, z } from '../../openapi';
import { placeOrder } from '../../services/order.service';
import { exportStreamOrdersCsv } from '../../services/analytics.service';
import type { Router } from '../router';

/** /api/streams/{streamId}/orders and /orders.csv: ordering from a stream, and the owner's export. */
export function streamOrderRoutes() {
  const router = createRouter();
  placeOrderRoute(router);
  ordersCsvRoute(router);
  return router;
}

function placeOrderRoute(router: Router) {
  const orderLimit = ordersPerBuyer();
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{streamId}/orders',
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
          'rate_limited',
        ),
      },
    }),
    async (c) => {
      const buyer = requireUser(c);
      const key = c.req.valid('header')['idempotency-key'];
      const { streamId } = c.req.valid('param');
      await orderLimit.consume(c, buyer.id);
      const { order, replayed } = await placeOrder(
        c.var.deps,
        buyer,
        streamId,
        { ...c.req.valid('json'), visitorKey: getCookie(c, VISITOR_COOKIE) },
        key,
        c.var.stockGate,
      );
      if (replayed) c.header('Idempotent-Replayed', 'true');
      return c.json({ order }, 201);
    },
  );
}

function ordersCsvRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{streamId}/orders.csv',
      tags: ['analytics'],
      summary: "The stream's orders as CSV, every state (owner)",
      request: { params: StreamParams },
      responses: {
        200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } },
        ...errors('validation_failed', 'unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const { csv, filename } = await exportStreamOrdersCsv(
        c.var.deps.db,
        requireAccount(c),
        c.req.valid('param').streamId,
      );
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${filename}"`);
      c.header('cache-control', 'no-store');
      return c.body(csv, 200);
    },
  );
}
