import { createRoute } from '@hono/zod-openapi';
import { requireAccount, requireUser } from '../middleware/session';
import { createRouter, errors, jsonBody, jsonContent, z } from '../openapi';
import {
  cancelOrder,
  declineRefund,
  listRefunds,
  refundOrder,
  requestRefund,
} from '../services/after-sales.service';
import { OrderDetailSchema } from './order.routes';

const OrderParams = z.object({ orderId: z.uuid() });
const ShopParams = z.object({ shopId: z.uuid() });
const note = z.string().trim().min(1).max(500);
const photoUrl = z
  .string()
  .regex(/^\/api\/uploads\/[a-f0-9-]{36}\.(jpg|png|webp)$/, 'must be an uploaded image');

const RefundRequestSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    buyerName: z.string(),
    productName: z.string(),
    quantity: z.number().int(),
    totalCents: z.number().int(),
    orderStatus: z.string(),
    pickupCode: z.string(),
    reason: z.string(),
    photoUrl: z.string().nullable(),
    status: z.enum(['open', 'approved', 'declined']),
    note: z.string().nullable(),
    createdAt: z.string(),
    ageSeconds: z.number().int(),
  })
  .openapi('RefundRequest');

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
        body: jsonBody(z.strictObject({ reason: note, photoUrl: photoUrl.optional() })),
      },
      responses: {
        201: jsonContent(
          z.object({
            refundRequest: z.object({
              id: z.string(),
              status: z.literal('open'),
              createdAt: z.string(),
            }),
          }),
          'Opened',
        ),
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
          content: { 'application/json': { schema: z.strictObject({ note: note.optional() }) } },
        },
      },
      responses: {
        200: jsonContent(z.object({ order: OrderDetailSchema }), 'Refunded'),
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
      request: { params: OrderParams, body: jsonBody(z.strictObject({ note })) },
      responses: {
        200: jsonContent(z.object({ status: z.literal('declined') }), 'Declined'),
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
        200: jsonContent(z.object({ order: OrderDetailSchema }), 'Cancelled'),
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
        query: z.strictObject({ status: z.enum(['open', 'all']).optional() }),
      },
      responses: {
        200: jsonContent(z.object({ refundRequests: z.array(RefundRequestSchema) }), 'Requests'),
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
