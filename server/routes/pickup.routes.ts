import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../middleware/session';
import { createRouter, errors, jsonBody, jsonContent, z } from '../openapi';
import { redeemPickup, toPrepare } from '../services/after-sales.service';
import { listPickupPoints } from '../services/order-query.service';
import { OrderDetailSchema, PickupPointSchema } from './order.routes';

const ShopParams = z.object({ shopId: z.uuid() });
const PointParams = z.object({ shopId: z.uuid(), pickupPointId: z.uuid() });

const PrepareSchema = z
  .object({
    pickupPointId: z.string(),
    today: z.string().openapi({ description: "The shop's today (YYYY-MM-DD, Asia/Shanghai)" }),
    totals: z.array(z.object({ productName: z.string(), quantity: z.number().int() })),
    buyers: z.array(
      z.object({
        buyerName: z.string(),
        phone: z.string(),
        pickupCode: z.string(),
        dueOn: z.string(),
        overdue: z.boolean(),
        items: z.array(z.object({ productName: z.string(), quantity: z.number().int() })),
      }),
    ),
  })
  .openapi('PrepareList');

export function pickupRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/shops/{shopId}/pickups',
      tags: ['pickup'],
      summary: 'Hand out an order by its pickup code (owner, or the leader at their point)',
      description: 'The order becomes picked_up and paid (pay at pickup).',
      request: {
        params: ShopParams,
        body: jsonBody(
          z.strictObject({
            code: z
              .string()
              .trim()
              .regex(/^\d{6}$/, '6 digits'),
          }),
        ),
      },
      responses: {
        200: jsonContent(z.object({ order: OrderDetailSchema }), 'Picked up'),
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

  router.openapi(
    createRoute({
      method: 'get',
      path: '/shops/{shopId}/pickup-points',
      tags: ['pickup'],
      summary: "The shop's pickup points: the shop itself and its approved leaders' points",
      request: { params: ShopParams },
      responses: {
        200: jsonContent(z.object({ pickupPoints: z.array(PickupPointSchema) }), 'Points'),
        ...errors('not_found'),
      },
    }),
    async (c) =>
      c.json(
        { pickupPoints: await listPickupPoints(c.var.deps.db, c.req.valid('param').shopId) },
        200,
      ),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/shops/{shopId}/pickup-points/{pickupPointId}/prepare',
      tags: ['pickup'],
      summary: 'What to pack for whom at a pickup point today (printable)',
      description:
        'Confirmed orders not yet picked up that are due today or overdue. An order is due ' +
        'from the later of the day it was confirmed and the day its stream airs.',
      request: { params: PointParams },
      responses: {
        200: jsonContent(PrepareSchema, 'The list'),
        ...errors('unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const { shopId, pickupPointId } = c.req.valid('param');
      return c.json(await toPrepare(c.var.deps.db, requireAccount(c), shopId, pickupPointId), 200);
    },
  );

  return router;
}
