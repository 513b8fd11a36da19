import { createRoute } from '@hono/zod-openapi';
import { requireUser } from '../../middleware/session';
import { StreamParams } from '../../contracts/common';
import { ReminderState } from '../../contracts/notification';
import { createRouter, errors, jsonContent } from '../../openapi';
import { myReminder, remindMe } from '../../services/reminder.service';
import type { Router } from '../router';

/** /api/streams/{streamId}/reminder: 提醒我, a notice when a scheduled stream goes live. */
export function streamReminderRoutes() {
  const router = createRouter();
  getRoute(router);
  setRoute(router, 'put');
  setRoute(router, 'delete');
  return router;
}

function getRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{streamId}/reminder',
      tags: ['notifications'],
      summary: 'Whether I asked to be reminded when this stream goes live',
      request: { params: StreamParams },
      responses: {
        200: jsonContent(ReminderState, 'The reminder'),
        ...errors('validation_failed', 'unauthenticated', 'not_found'),
      },
    }),
    async (c) => {
      c.header('cache-control', 'no-store');
      const reminded = await myReminder(c.var.deps, requireUser(c), c.req.valid('param').streamId);
      return c.json({ reminded }, 200);
    },
  );
}

function setRoute(router: Router, method: 'put' | 'delete') {
  router.openapi(
    createRoute({
      method,
      path: '/{streamId}/reminder',
      tags: ['notifications'],
      summary:
        method === 'put'
          ? 'Remind me when this scheduled stream goes live (提醒我)'
          : 'No reminder for this stream after all',
      description:
        'The notice arrives in the bell (live on the `/me` socket) and by email for an account with an address when the server sends mail.',
      request: { params: StreamParams },
      responses: {
        200: jsonContent(ReminderState, 'The reminder as it is now'),
        ...errors('validation_failed', 'unauthenticated', 'not_found', 'stream_started'),
      },
    }),
    async (c) => {
      const reminded = await remindMe(
        c.var.deps,
        requireUser(c),
        c.req.valid('param').streamId,
        method === 'put',
      );
      return c.json({ reminded }, 200);
    },
  );
}
