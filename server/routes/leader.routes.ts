import { createRoute } from '@hono/zod-openapi';
import { publicOrigin } from '../http/origin';
import { visitorKey } from '../http/visitor';
import { requireAccount, requireUser } from '../middleware/session';
import {
  applyToLead,
  approveLeader,
  changeLeaderRate,
  monthlyStatement,
  myMemberships,
  openLeaderLink,
  setLeaderStatus,
  shopLeaderBoard,
} from '../services/leader.service';
import { ShopParams } from '../contracts/common';
import {
  LeaderBoard,
  LeaderEnvelope,
  LeaderParams,
  LeaderProfileBody,
  Memberships,
  RateBody,
  ReferralClickBody,
  Statement,
  StatementQuery,
} from '../contracts/leader';
import { createRouter, errors, jsonBody, jsonContent } from '../openapi';

export function leaderRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/shops/{shopId}/leaders/apply',
      tags: ['leaders'],
      summary: 'Apply to become a leader (团长) of a shop',
      request: {
        params: ShopParams,
        body: jsonBody(LeaderProfileBody),
      },
      responses: {
        201: jsonContent(LeaderEnvelope, 'The application, pending'),
        ...errors('validation_failed', 'unauthenticated', 'forbidden', 'not_found', 'conflict'),
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

  router.openapi(
    createRoute({
      method: 'get',
      path: '/shops/{shopId}/leaders',
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

  router.openapi(
    createRoute({
      method: 'post',
      path: '/shops/{shopId}/leaders/{leaderId}/approve',
      tags: ['leaders'],
      summary: 'Approve (or reinstate) a leader with a commission rate',
      request: { params: LeaderParams, body: jsonBody(RateBody) },
      responses: {
        200: jsonContent(LeaderEnvelope, 'Approved, with a code'),
        ...errors('validation_failed', 'unauthenticated', 'forbidden', 'not_found', 'conflict'),
      },
    }),
    async (c) => {
      const { shopId, leaderId } = c.req.valid('param');
      const leader = await approveLeader(
        c.var.deps.db,
        requireAccount(c),
        shopId,
        leaderId,
        c.req.valid('json').commissionRate,
      );
      return c.json({ leader }, 200);
    },
  );

  for (const [action, to] of [
    ['decline', 'declined'],
    ['suspend', 'suspended'],
  ] as const) {
    router.openapi(
      createRoute({
        method: 'post',
        path: `/shops/{shopId}/leaders/{leaderId}/${action}`,
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
        const leader = await setLeaderStatus(
          c.var.deps.db,
          requireAccount(c),
          shopId,
          leaderId,
          to,
        );
        return c.json({ leader }, 200);
      },
    );
  }

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/shops/{shopId}/leaders/{leaderId}',
      tags: ['leaders'],
      summary: "Change a leader's rate (new orders only)",
      request: { params: LeaderParams, body: jsonBody(RateBody) },
      responses: {
        200: jsonContent(LeaderEnvelope, 'The new rate'),
        ...errors('validation_failed', 'unauthenticated', 'forbidden', 'not_found'),
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

  router.openapi(
    createRoute({
      method: 'get',
      path: '/leader/me',
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

  router.openapi(
    createRoute({
      method: 'get',
      path: '/leader/me/statements/{shopId}',
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

  router.openapi(
    createRoute({
      method: 'post',
      path: '/referrals/clicks',
      tags: ['leaders'],
      summary: 'Record the opening of a per-stream leader link (/live/<id>?ref=<code>)',
      request: {
        body: jsonBody(ReferralClickBody),
      },
      responses: {
        204: { description: 'Recorded (or counted once within a minute)' },
        ...errors('validation_failed'),
      },
    }),
    async (c) => {
      const { code, streamId } = c.req.valid('json');
      await openLeaderLink(c.var.deps.db, {
        code,
        visitorKey: visitorKey(c),
        userId: c.var.user?.id ?? null,
        streamId: streamId ?? null,
      });
      return c.body(null, 204);
    },
  );

  return router;
}
