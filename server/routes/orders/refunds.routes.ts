import { createRoute } from '@hono/zod-openapi';
import { requireAccount, requireUser } from '../../middleware/session';
import { OrderParams } from '../../contracts/common';
import {
  DeclineRefundBody,
  MyRefundRequestEnvelope,
  OrderDetailEnvelope,
  RefundBody,
  RefundDeclined,
  RefundRequestBody,
  RefundRequestOpened,
} from '../../contracts/order';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import {
  declineRefund,
  myRefundRequest,
  refundOrder,
  requestRefund,
} from '../../services/after-sales.service';
import type { Router } from '../router';

/**
 * /api/orders/{orderId}/refund…: a buyer asks for a refund (small bad-goods claims with a
 * photo are refunded at once) and follows it; the owner, or the leader of the order's pickup
 * point for a small claim, refunds; the owner declines.
 */
export function orderRefundRoutes() {
  const router = createRouter();
  requestRefundRoute(router);
  myRefundRequestRoute(router);
  refundRoute(router);
  declineRefundRoute(router);
  return router;
}

function requestRefundRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{orderId}/refund-requests',
      tags: ['refunds'],
      summary:
        'Ask for a refund (buyer), with a reason and optionally a photo; 201 approved at once for 秒退款',
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
        c.var.deps,
        requireUser(c),
        c.req.valid('param').orderId,
        c.req.valid('json'),
      );
      return c.json({ refundRequest }, 201);
    },
  );
}

function myRefundRequestRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{orderId}/refund-request',
      tags: ['refunds'],
      summary: "The order's latest refund request and its promised answer time (buyer)",
      request: { params: OrderParams },
      responses: {
        200: jsonContent(MyRefundRequestEnvelope, 'The request, or null'),
        ...errors('unauthenticated', 'not_found'),
      },
    }),
    async (c) =>
      c.json(
        {
          refundRequest: await myRefundRequest(
            c.var.deps.db,
            requireUser(c),
            c.req.valid('param').orderId,
          ),
        },
        200,
      ),
  );
}

function refundRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{orderId}/refund',
      tags: ['refunds'],
      summary:
        "Refund an order (owner), or approve a small claim at the leader's own point; units return if not yet picked up",
      request: {
        params: OrderParams,
        body: {
          required: false,
          content: { 'application/json': { schema: RefundBody } },
        },
      },
      responses: {
        200: jsonContent(OrderDetailEnvelope, 'Refunded'),
        ...errors(
          'validation_failed',
          'unauthenticated',
          'forbidden',
          'not_found',
          'invalid_transition',
        ),
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
}

function declineRefundRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{orderId}/refund/decline',
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
          c.var.deps,
          requireAccount(c),
          c.req.valid('param').orderId,
          c.req.valid('json').note,
        ),
        200,
      ),
  );
}
