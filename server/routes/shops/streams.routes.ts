import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { ShopParams } from '../../contracts/common';
import { CreateStreamBody, StreamSummaryEnvelope } from '../../contracts/stream';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import { createStream } from '../../services/stream.service';
import { type Router, BODY_ON_RESOURCE } from '../router';

/** /api/shops/{shopId}/streams: planning a stream (everything after is /api/streams/{streamId}). */
export function shopStreamRoutes() {
  const router = createRouter();
  planStreamRoute(router);
  return router;
}

function planStreamRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{shopId}/streams',
      tags: ['streams'],
      summary: 'Plan a stream (owner)',
      request: { params: ShopParams, body: jsonBody(CreateStreamBody) },
      responses: {
        201: jsonContent(StreamSummaryEnvelope, 'The planned stream'),
        ...errors(...BODY_ON_RESOURCE),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const body = c.req.valid('json');
      const stream = await createStream(c.var.deps.db, user, c.req.valid('param').shopId, body);
      return c.json({ stream }, 201);
    },
  );
}
