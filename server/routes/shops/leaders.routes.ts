import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import {
  applyToLead,
  approveLeader,
  changeLeaderRate,
  setLeaderStatus,
  shopLeaderBoard,
} from '../../services/leader.service';
import { ShopParams } from '../../contracts/common';
import {
  LeaderBoard,
  LeaderEnvelope,
  LeaderParams,
  LeaderProfileBody,
  RateBody,
} from '../../contracts/leader';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import { decideLeaderWithNotice } from '../../services/notification.service';
import { type Router, ON_RESOURCE } from '../router';

/** /api/shops/{shopId}/leaders…: applying to lead a shop, and the owner's leader board and decisions. */
export function shopLeaderRoutes() {
  const router = createRouter();
  applyRoute(router);
  boardRoute(router);
  approveRoute(router);
  declineAndSuspendRoutes(router);
  changeRateRoute(router);
  return router;
}

function applyRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{shopId}/leaders/apply',
      tags: ['leaders'],
      summary: 'Apply to become a leader (团长) of a shop',
      request: {
        params: ShopParams,
        body: jsonBody(LeaderProfileBody),
      },
      responses: {
        201: jsonContent(LeaderEnvelope, 'The application, pending'),
        ...errors(...ON_RESOURCE, 'conflict'),
      },
    }),
    async (c) => {
      const leader = await applyToLead(
        c.var.deps.db,
        requireAccount(c),
        c.req.valid('param').shopId,
        c.req.valid('json'),
      );
      return c.json({ leader }, 201);
    },
  );
}

function boardRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/leaders',
      tags: ['leaders'],
      summary: "The shop's leader board (owner)",
      request: { params: ShopParams },
      responses: {
        200: jsonContent(LeaderBoard, 'Every leader with their numbers'),
        ...errors('unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const leaders = await shopLeaderBoard(
        c.var.deps.db,
        requireAccount(c),
        c.req.valid('param').shopId,
      );
      return c.json({ leaders }, 200);
    },
  );
}

function approveRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{shopId}/leaders/{leaderId}/approve',
      tags: ['leaders'],
      summary: 'Approve (or reinstate) a leader with a commission rate',
      request: { params: LeaderParams, body: jsonBody(RateBody) },
      responses: {
        200: jsonContent(LeaderEnvelope, 'Approved, with a code'),
        ...errors(...ON_RESOURCE, 'conflict'),
      },
    }),
    async (c) => {
      const { shopId, leaderId } = c.req.valid('param');
      const owner = requireAccount(c);
      const { commissionRate } = c.req.valid('json');
      const leader = await decideLeaderWithNotice(c.var.deps, (db) =>
        approveLeader(db, owner, shopId, leaderId, commissionRate),
      );
      return c.json({ leader }, 200);
    },
  );
}

function declineAndSuspendRoutes(router: Router) {
  for (const [action, to] of [
    ['decline', 'declined'],
    ['suspend', 'suspended'],
  ] as const) {
    router.openapi(
      createRoute({
        method: 'post',
        path: `/{shopId}/leaders/{leaderId}/${action}`,
        tags: ['leaders'],
        summary: action === 'decline' ? 'Decline an application' : 'Suspend an approved leader',
        request: { params: LeaderParams },
        responses: {
          200: jsonContent(LeaderEnvelope, 'Done'),
          ...errors('unauthenticated', 'forbidden', 'not_found', 'conflict'),
        },
      }),
      async (c) => {
        const { shopId, leaderId } = c.req.valid('param');
        const owner = requireAccount(c);
        const leader = await decideLeaderWithNotice(c.var.deps, (db) =>
          setLeaderStatus(db, owner, shopId, leaderId, to),
        );
        return c.json({ leader }, 200);
      },
    );
  }
}

function changeRateRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'patch',
      path: '/{shopId}/leaders/{leaderId}',
      tags: ['leaders'],
      summary: "Change a leader's rate (new orders only)",
      request: { params: LeaderParams, body: jsonBody(RateBody) },
      responses: {
        200: jsonContent(LeaderEnvelope, 'The new rate'),
        ...errors(...ON_RESOURCE),
      },
    }),
    async (c) => {
      const { shopId, leaderId } = c.req.valid('param');
      const leader = await changeLeaderRate(
        c.var.deps.db,
        requireAccount(c),
        shopId,
        leaderId,
        c.req.valid('json').commissionRate,
      );
      return c.json({ leader }, 200);
    },
  );
}
