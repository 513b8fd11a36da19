import { createRoute } from '@hono/zod-openapi';
import { requireAccount, requireUser } from '../middleware/session';
import { OrderParams, ShopParams } from '../contracts/common';
import {
  DeclineRefundBody,
  OrderDetailEnvelope,
  RefundBody,
  RefundDeclined,
  RefundRequestBody,
  RefundRequestList,
  RefundRequestOpened,
  RefundRequestsQuery,
} from '../contracts/order';
import { createRouter, errors, jsonBody, jsonContent } from '../openapi';
import {
  cancelOrder,
  declineRefund,
  listRefunds,
  refundOrder,
  requestRefund,
} from '../services/after-sales.service';

export function refundRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/orders/{orderId}/refund-requests',
      tags: ['refunds'],
      summary: 'Ask for a refund (buyer), with a reason and optionally a photo',
      request: {
        params: OrderParams,
        body: jsonBody(RefundRequestBody),
      },
      responses: {
        201: jsonContent(RefundRequestOpened, 'Opened'),
        ...errors(
          'validation_failed',
          'unauthenticated',
          'not_found',
          'conflict',
          'invalid_transition',
        ),
      },
    }),
    async (c) => {
      const refundRequest = await requestRefund(
        c.var.deps.db,
        requireUser(c),
        c.req.valid('param').orderId,
        c.req.valid('json'),
      );
      return c.json({ refundRequest }, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/orders/{orderId}/refund',
      tags: ['refunds'],
      summary: 'Refund an order (owner); units return if not yet picked up',
      request: {
        params: OrderParams,
        body: {
          required: false,
          content: { 'application/json': { schema: RefundBody } },
        },
      },
      responses: {
        200: jsonContent(OrderDetailEnvelope, 'Refunded'),
        ...errors('unauthenticated', 'forbidden', 'not_found', 'invalid_transition'),
      },
    }),
    async (c) => {
      const body = c.req.header('content-length') ? c.req.valid('json') : {};
      const order = await refundOrder(
        c.var.deps,
        requireAccount(c),
        c.req.valid('param').orderId,
        body.note,
      );
      return c.json({ order }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/orders/{orderId}/refund/decline',
      tags: ['refunds'],
      summary: 'Decline the open refund request (owner), with a note',
      request: { params: OrderParams, body: jsonBody(DeclineRefundBody) },
      responses: {
        200: jsonContent(RefundDeclined, 'Declined'),
        ...errors(
          'validation_failed',
          'unauthenticated',
          'forbidden',
          'not_found',
          'invalid_transition',
        ),
      },
    }),
    async (c) =>
      c.json(
        await declineRefund(
          c.var.deps.db,
          requireAccount(c),
          c.req.valid('param').orderId,
          c.req.valid('json').note,
        ),
        200,
      ),
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/orders/{orderId}/cancel',
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

  router.openapi(
    createRoute({
      method: 'get',
      path: '/shops/{shopId}/refund-requests',
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

  return router;
}
