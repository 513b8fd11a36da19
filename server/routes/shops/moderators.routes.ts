import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { ShopParams } from '../../contracts/common';
import {
  AppointModeratorBody,
  ModeratorEnvelope,
  ModeratorList,
  ShopUserParams,
} from '../../contracts/moderation';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import {
  appointModerator,
  dismissModerator,
  listModerators,
} from '../../services/moderator.service';
import { type Router, ON_RESOURCE } from '../router';

/** /api/shops/{shopId}/moderators…: whom the owner appoints to moderate the shop's streams. */
export function shopModeratorRoutes() {
  const router = createRouter();
  listRoute(router);
  appointRoute(router);
  dismissRoute(router);
  return router;
}

function listRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/moderators',
      tags: ['moderation'],
      summary: "The shop's moderators (owner)",
      request: { params: ShopParams },
      responses: {
        200: jsonContent(ModeratorList, 'The moderators, first appointed first'),
        ...errors(...ON_RESOURCE),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const moderators = await listModerators(c.var.deps.db, user, c.req.valid('param').shopId);
      return c.json({ moderators }, 200);
    },
  );
}

function appointRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{shopId}/moderators',
      tags: ['moderation'],
      summary: 'Appoint a leader or resident as a moderator of the shop (owner)',
      request: { params: ShopParams, body: jsonBody(AppointModeratorBody) },
      responses: {
        201: jsonContent(ModeratorEnvelope, 'Appointed (appointing twice changes nothing)'),
        ...errors(...ON_RESOURCE, 'bad_request'),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const moderator = await appointModerator(
        c.var.deps,
        user,
        c.req.valid('param').shopId,
        c.req.valid('json').userId,
      );
      return c.json({ moderator }, 201);
    },
  );
}

function dismissRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'delete',
      path: '/{shopId}/moderators/{userId}',
      tags: ['moderation'],
      summary: 'Dismiss a moderator (owner)',
      request: { params: ShopUserParams },
      responses: {
        204: { description: 'Dismissed' },
        ...errors(...ON_RESOURCE),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const { shopId, userId } = c.req.valid('param');
      await dismissModerator(c.var.deps, user, shopId, userId);
      return c.body(null, 204);
    },
  );
}
