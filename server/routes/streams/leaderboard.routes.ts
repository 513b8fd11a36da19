import { createRoute } from '@hono/zod-openapi';
import { StreamParams } from '../../contracts/common';
import { StreamLeaderboard } from '../../contracts/leaderboard';
import { createRouter, errors, jsonContent } from '../../openapi';
import { getStreamLeaderboard } from '../../services/leaderboard.service';
import type { Router } from '../router';

/** /api/streams/{streamId}/leaderboard: the in-stream 团长榜. */
export function streamLeaderboardRoutes() {
  const router = createRouter();
  leaderboardRoute(router);
  return router;
}

function leaderboardRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{streamId}/leaderboard',
      tags: ['leaders'],
      summary: "The stream's 团长榜: leaders' groups by orders (public; the owner may hide it)",
      description:
        'Orders attributed to each leader in this stream, cancelled and refunded ones left out. Clients seed the overlay from it and follow `order:new` (its `leader`) live. When the owner hid the board, viewers get `hidden: true` and no leaders; the owner still gets them.',
      request: { params: StreamParams },
      responses: {
        200: jsonContent(StreamLeaderboard, 'The board'),
        ...errors('validation_failed', 'not_found'),
      },
    }),
    async (c) => {
      const board = await getStreamLeaderboard(
        c.var.deps.db,
        c.var.user,
        c.req.valid('param').streamId,
      );
      c.header('cache-control', 'no-store');
      return c.json(board, 200);
    },
  );
}
