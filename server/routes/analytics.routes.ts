import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../middleware/session';
import { StreamStats } from '../contracts/analytics';
import { StreamParams } from '../contracts/common';
import { createRouter, errors, jsonContent, z } from '../openapi';
import { exportStreamOrdersCsv, getStreamStats } from '../services/analytics.service';

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
        200: jsonContent(StreamStats, 'The numbers'),
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
