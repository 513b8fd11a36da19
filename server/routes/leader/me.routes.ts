import { createRoute } from '@hono/zod-openapi';
import { publicOrigin } from '../../http/origin';
import { requireUser } from '../../middleware/session';
import { monthlyStatement, myMemberships, myShareableStreams } from '../../services/leader.service';
import { ShopParams } from '../../contracts/common';
import { Memberships, ShareableStreams, Statement, StatementQuery } from '../../contracts/leader';
import { createRouter, errors, jsonContent } from '../../openapi';
import type { Router } from '../router';

/** /api/leader/me…: the signed-in leader's shops, links and statements. */
export function leaderMeRoutes() {
  const router = createRouter();
  membershipsRoute(router);
  streamsRoute(router);
  statementRoute(router);
  return router;
}

function membershipsRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/me',
      tags: ['leaders'],
      summary: "The signed-in leader's shops, links and numbers",
      responses: {
        200: jsonContent(Memberships, 'Memberships'),
        ...errors('unauthenticated'),
      },
    }),
    async (c) => {
      const memberships = await myMemberships(c.var.deps.db, requireUser(c), publicOrigin(c));
      return c.json({ memberships }, 200);
    },
  );
}

function streamsRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/me/streams',
      tags: ['leaders'],
      summary: "The streams the signed-in leader can share, each with the leader's ?ref= link",
      responses: {
        200: jsonContent(ShareableStreams, 'Upcoming, live and replayable streams'),
        ...errors('unauthenticated'),
      },
    }),
    async (c) => {
      const streams = await myShareableStreams(c.var.deps.db, requireUser(c), publicOrigin(c));
      return c.json({ streams }, 200);
    },
  );
}

function statementRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/me/statements/{shopId}',
      tags: ['leaders'],
      summary: 'A monthly commission statement for one shop',
      request: {
        params: ShopParams,
        query: StatementQuery,
      },
      responses: {
        200: jsonContent(Statement, 'The statement'),
        ...errors('validation_failed', 'unauthenticated', 'not_found'),
      },
    }),
    async (c) => {
      const statement = await monthlyStatement(
        c.var.deps.db,
        requireUser(c),
        c.req.valid('param').shopId,
        c.req.valid('query').month,
      );
      return c.json(statement, 200);
    },
  );
}
