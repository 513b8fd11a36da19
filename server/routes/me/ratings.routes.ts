import { createRoute } from '@hono/zod-openapi';
import { requireUser } from '../../middleware/session';
import { MyRatingList } from '../../contracts/rating';
import { createRouter, errors, jsonContent } from '../../openapi';
import { myRatings } from '../../services/rating.service';

/** /api/me/ratings: every rating I gave, for the my-orders page. */
export function myRatingRoutes() {
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/ratings',
      tags: ['ratings'],
      summary: 'My ratings, newest first, with the owners’ replies',
      responses: {
        200: jsonContent(MyRatingList, 'My ratings'),
        ...errors('unauthenticated'),
      },
    }),
    async (c) => {
      c.header('cache-control', 'private, no-store');
      return c.json({ ratings: await myRatings(c.var.deps.db, requireUser(c)) }, 200);
    },
  );
  return router;
}
