import { createRoute } from '@hono/zod-openapi';
import { requireUser } from '../../middleware/session';
import { MarkReadBody, NotificationList } from '../../contracts/notification';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import { markRead, myNotifications } from '../../services/notification.service';
import type { Router } from '../router';

/** /api/me/notifications: the bell's notices. New ones arrive live on the `/me` socket. */
export function myNotificationRoutes() {
  const router = createRouter();
  listRoute(router);
  readRoute(router);
  return router;
}

function listRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/notifications',
      tags: ['notifications'],
      summary: 'My latest notices (50) and how many are unread',
      description:
        'In the signed-in user’s language. New ones arrive as `notification:new` on the socket.io namespace `/me`.',
      responses: {
        200: jsonContent(NotificationList, 'Notices, newest first'),
        ...errors('unauthenticated'),
      },
    }),
    async (c) => {
      c.header('cache-control', 'no-store');
      return c.json(await myNotifications(c.var.deps, requireUser(c)), 200);
    },
  );
}

function readRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/notifications/read',
      tags: ['notifications'],
      summary: 'Mark notices read (the given ones, or all)',
      request: { body: jsonBody(MarkReadBody) },
      responses: {
        204: { description: 'Marked' },
        ...errors('validation_failed', 'malformed_json', 'unauthenticated'),
      },
    }),
    async (c) => {
      await markRead(c.var.deps, requireUser(c), c.req.valid('json').ids);
      return c.body(null, 204);
    },
  );
}
