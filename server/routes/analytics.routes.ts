import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../middleware/session';
import { createRouter, errors, jsonContent, z } from '../openapi';
import { exportStreamOrdersCsv, getStreamStats } from '../services/analytics.service';

const StreamParams = z.object({ streamId: z.uuid() });
const Segment = z.enum(['sourcing', 'kitchen', 'tasting', 'qa']).nullable();

const StreamStatsSchema = z
  .object({
    stream: z.object({
      id: z.string(),
      title: z.string(),
      status: z.enum(['scheduled', 'live', 'ended']),
      shopId: z.string(),
      shopSlug: z.string(),
      shopName: z.string(),
      scheduledAt: z.string().nullable(),
      startedAt: z.string().nullable(),
      endedAt: z.string().nullable(),
      durationSeconds: z.number().int(),
    }),
    peakViewers: z.number().int().openapi({ description: 'Most viewers at once (owner excluded)' }),
    uniqueViewers: z.number().int().openapi({ description: 'Distinct viewer identities' }),
    avgWatchSeconds: z
      .number()
      .int()
      .openapi({ description: 'Total time watched / unique viewers' }),
    comments: z.number().int().openapi({ description: 'Comments not deleted by moderation' }),
    deletedComments: z.number().int(),
    likes: z.number().int(),
    orders: z.number().int().openapi({ description: 'Orders not cancelled or refunded' }),
    units: z.number().int(),
    gmvCents: z.number().int(),
    buyers: z.number().int().openapi({ description: 'Distinct buyers of those orders' }),
    conversion: z.number().openapi({ description: 'buyers / uniqueViewers; 0 with no viewers' }),
    cancelledOrders: z.number().int(),
    refundedOrders: z.number().int(),
    segments: z.array(z.object({ segment: Segment, at: z.string(), minute: z.number().int() })),
    timeline: z.array(
      z.object({
        minute: z.number().int(),
        at: z.string(),
        viewers: z.number().int(),
        comments: z.number().int(),
        orders: z.number().int(),
        units: z.number().int(),
        gmvCents: z.number().int(),
        segment: Segment,
      }),
    ),
    perOffer: z.array(
      z.object({
        offerId: z.string(),
        productName: z.string(),
        priceCents: z.number().int(),
        quantity: z.number().int(),
        remaining: z.number().int(),
        groupMin: z.number().int().nullable(),
        orders: z.number().int(),
        buyers: z.number().int(),
        units: z.number().int(),
        gmvCents: z.number().int(),
      }),
    ),
    perLeader: z.array(
      z.object({
        leaderId: z.string().nullable().openapi({ description: 'null: orders with no leader' }),
        displayName: z.string().nullable(),
        code: z.string().nullable(),
        clicks: z.number().int(),
        visitors: z.number().int(),
        orders: z.number().int(),
        buyers: z.number().int(),
        units: z.number().int(),
        gmvCents: z.number().int(),
        commissionCents: z.number().int(),
      }),
    ),
  })
  .openapi('StreamStats');

export function analyticsRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'get',
      path: '/streams/{streamId}/stats',
      tags: ['analytics'],
      summary: "A stream's numbers and per-minute timeline (owner)",
      description:
        'Computed from recorded rows (LiveKit webhooks, comments, orders, clicks), so they survive a restart. Orders, units, GMV and buyers exclude cancelled and refunded orders; the owner is not a viewer.',
      request: { params: StreamParams },
      responses: {
        200: jsonContent(StreamStatsSchema, 'The numbers'),
        ...errors('validation_failed', 'unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const stats = await getStreamStats(
        c.var.deps.db,
        requireAccount(c),
        c.req.valid('param').streamId,
      );
      c.header('cache-control', 'no-store');
      return c.json(stats, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/streams/{streamId}/orders.csv',
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

  return router;
}
