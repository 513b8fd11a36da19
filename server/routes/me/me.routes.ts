import { createRoute } from '@hono/zod-openapi';
import { requireAccount, requireUser } from '../../middleware/session';
import { UserEnvelope } from '../../contracts/auth';
import { OrderList } from '../../contracts/order';
import { MyShops } from '../../contracts/shop';
import { listMyOrders } from '../../services/order-query.service';
import { listMyShops } from '../../services/stream.service';
import { createRouter, errors, jsonContent } from '../../openapi';
import { myNotificationRoutes } from './notifications.routes';
import { myRatingRoutes } from './ratings.routes';
import type { Router } from '../router';

/** Everything under /api/me: the signed-in user, their orders and ratings, the shops they own. */
export function meRoutes() {
  const router = createRouter();
  meRoute(router);
  myOrdersRoute(router);
  myShopsRoute(router);
  return router.route('/', myRatingRoutes()).route('/', myNotificationRoutes());
}

function meRoute(router: Router) {
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
}

function myOrdersRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/orders',
      tags: ['orders'],
      summary: 'My orders, newest first',
      responses: {
        200: jsonContent(OrderList, 'My orders'),
        ...errors('unauthenticated'),
      },
    }),
    async (c) => c.json({ orders: await listMyOrders(c.var.deps.db, requireUser(c)) }, 200),
  );
}

function myShopsRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/shops',
      tags: ['streams'],
      summary: 'The shops I own, with their streams',
      responses: {
        200: jsonContent(MyShops, 'My shops'),
        ...errors('unauthenticated', 'forbidden'),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      return c.json({ shops: await listMyShops(c.var.deps.db, user) }, 200);
    },
  );
}
