import { createRoute } from '@hono/zod-openapi';
import { requireUser } from '../middleware/session';
import { UserEnvelope } from '../contracts/auth';
import { createRouter, errors, jsonContent } from '../openapi';

export function meRoutes() {
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['auth'],
      summary: 'The signed-in user',
      responses: {
        200: jsonContent(UserEnvelope, 'The current user'),
        ...errors('unauthenticated'),
      },
    }),
    (c) => c.json({ user: requireUser(c) }, 200),
  );
  return router;
}
