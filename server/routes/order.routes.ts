import { createRoute } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { VISITOR_COOKIE } from '../http/visitor';
import { requireAccount, requireUser } from '../middleware/session';
import { createRouter, errors, jsonBody, jsonContent, z } from '../openapi';
import { ORDER_STATES, placeOrder } from '../services/order.service';
import {
  exportShopOrdersCsv,
  listMyOrders,
  listPickupPointsOfStream,
  listShopOrdersForOwner,
} from '../services/order-query.service';

export const OrderSchema = z
  .object({
    id: z.string(),
    status: z.enum(ORDER_STATES),
    shopId: z.string(),
    streamId: z.string(),
    offerId: z.string(),
    productName: z.string(),
    unitPriceCents: z.number().int(),
    quantity: z.number().int(),
    totalCents: z.number().int(),
    pickupCode: z.string(),
    pickupPointId: z.string(),
    leaderId: z.string().nullable(),
    cancelReason: z.string().nullable(),
    createdAt: z.string(),
    pickedUpAt: z.string().nullable(),
  })
  .openapi('Order');

export const PickupPointSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['shop', 'leader']),
    name: z.string(),
    address: z.string().nullable(),
    hours: z.string().nullable(),
  })
  .openapi('PickupPoint');

export const OrderDetailSchema = OrderSchema.extend({
  buyerName: z.string(),
  phone: z.string(),
  shop: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  streamTitle: z.string(),
  pickupPoint: PickupPointSchema,
  refundStatus: z.enum(['open', 'approved', 'declined']).nullable(),
}).openapi('OrderDetail');

/** Mainland mobile numbers, or an international number in E.164. */
const phone = z
  .string()
  .trim()
  .regex(/^(1[3-9]\d{9}|\+[1-9]\d{7,14})$/, 'must be a mobile number');

const PlaceOrderBody = z.strictObject({
  offerId: z.uuid(),
  quantity: z.number().int().min(1).max(99),
  phone,
  pickupPointId: z.uuid().optional(),
  ref: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .optional(),
});

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,100}$/, '1–100 printable ASCII characters')
    .optional(),
});

const StreamParams = z.object({ streamId: z.uuid() });
const ShopParams = z.object({ shopId: z.uuid() });

const stateList = z
  .string()
  .transform((s) => s.split(','))
  .pipe(z.array(z.enum(ORDER_STATES)).min(1).max(6));

const ShopOrdersQuery = z.strictObject({
  streamId: z.uuid().optional(),
  status: stateList.optional(),
  /** the shop's id for pickups at the shop, a leader's id for that leader's point */
  pickupPointId: z.uuid().optional(),
  format: z.enum(['json', 'csv']).optional(),
});

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
        201: jsonContent(
          z.object({ order: OrderSchema }),
          'The order (or the first one for this key)',
        ),
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
        200: jsonContent(z.object({ pickupPoints: z.array(PickupPointSchema) }), 'Pickup points'),
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
      path: '/me/orders',
      tags: ['orders'],
      summary: 'My orders, newest first',
      responses: {
        200: jsonContent(z.object({ orders: z.array(OrderDetailSchema) }), 'My orders'),
        ...errors('unauthenticated'),
      },
    }),
    async (c) => c.json({ orders: await listMyOrders(c.var.deps.db, requireUser(c)) }, 200),
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
            'application/json': { schema: z.object({ orders: z.array(OrderDetailSchema) }) },
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
