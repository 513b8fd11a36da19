import { createRoute } from '@hono/zod-openapi';
import { WebhookAnswer, WebhookHeaders } from '../../contracts/media';
import { createRouter, errors, jsonContent } from '../../openapi';
import { applyWebhook } from '../../services/stream.service';

/** LiveKit's webhooks: signed with our API secret, verified before anything is read. */
export function livekitWebhookRoutes() {
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'post',
      path: '/webhook',
      tags: ['media'],
      summary: 'LiveKit webhook (signed; a repeated event id is applied once)',
      request: { headers: WebhookHeaders },
      responses: {
        200: jsonContent(WebhookAnswer, 'Received'),
        ...errors('unauthenticated', 'unsupported_media_type', 'payload_too_large'),
      },
    }),
    async (c) => {
      const body = await c.req.text();
      const result = await applyWebhook(c.var.deps, body, c.req.header('authorization'));
      return c.json(result, 200);
    },
  );
  return router;
}
