import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { StreamStats } from '../../contracts/analytics';
import { StreamParams } from '../../contracts/common';
import { createRouter, errors, jsonContent } from '../../openapi';
import { getStreamStats } from '../../services/analytics.service';
import { type Router, ON_RESOURCE } from '../router';

/** /api/streams/{streamId}/stats: a stream's numbers (owner). */
export function streamStatsRoutes() {
  const router = createRouter();
  statsRoute(router);
  return router;
}

function statsRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{streamId}/stats',
      tags: ['analytics'],
      summary: "A stream's numbers and per-minute timeline (owner)",
      description:
        'Computed from recorded rows (LiveKit webhooks, comments, orders, clicks), so they survive a restart. Orders, units, GMV and buyers exclude cancelled and refunded orders; the owner is not a viewer.',
      request: { params: StreamParams },
      responses: {
        200: jsonContent(StreamStats, 'The numbers'),
        ...errors(...ON_RESOURCE),
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
}
