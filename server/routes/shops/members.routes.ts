import { createRoute } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { requireAccount, requireUser } from '../../middleware/session';
import { ShopParams } from '../../contracts/common';
import { JoinShopBody, ShopMembershipEnvelope, ShopMemberList } from '../../contracts/member';
import { VISITOR_COOKIE, isVisitorKey } from '../../http/visitor';
import { createRouter, errors, jsonContent } from '../../openapi';
import { joinShop, leaveShop, listMembers, myMembership } from '../../services/member.service';
import { type Router, ON_RESOURCE } from '../router';

/** /api/shops/{shopId}/members…: residents join and leave a shop; the owner sees who joined. */
export function shopMemberRoutes() {
  const router = createRouter();
  myMembershipRoute(router);
  listRoute(router);
  joinRoute(router);
  leaveRoute(router);
  return router;
}

function myMembershipRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/members/me',
      tags: ['members'],
      summary: 'Whether I am a member of the shop (without a session: not a member)',
      request: { params: ShopParams },
      responses: {
        200: jsonContent(ShopMembershipEnvelope, 'My membership'),
        ...errors('validation_failed', 'not_found'),
      },
    }),
    async (c) => {
      const shopId = c.req.valid('param').shopId;
      const membership = await myMembership(c.var.deps.db, c.var.user, shopId);
      c.header('cache-control', 'private, no-store');
      return c.json({ membership }, 200);
    },
  );
}

function listRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/members',
      tags: ['members'],
      summary: "The shop's members, newest first, with who brought each one (owner)",
      request: { params: ShopParams },
      responses: {
        200: jsonContent(ShopMemberList, 'The members'),
        ...errors(...ON_RESOURCE),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const members = await listMembers(c.var.deps.db, user, c.req.valid('param').shopId);
      return c.json({ members }, 200);
    },
  );
}

function joinRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{shopId}/members',
      tags: ['members'],
      summary: 'Join the shop (关注/入群); guests too',
      description:
        "Credited to the leader of `ref` (the leader's link the page was opened by), else " +
        'of my last click on the shop within its attribution window (by account or visitor ' +
        'cookie), the rule orders follow; else to nobody. Joining again changes nothing and ' +
        'keeps the first leader (200 instead of 201).',
      request: {
        params: ShopParams,
        body: { required: false, content: { 'application/json': { schema: JoinShopBody } } },
      },
      responses: {
        200: jsonContent(ShopMembershipEnvelope, 'Already a member'),
        201: jsonContent(ShopMembershipEnvelope, 'Joined'),
        ...errors('validation_failed', 'bad_request', 'unauthenticated', 'not_found'),
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const cookie = getCookie(c, VISITOR_COOKIE);
      const { membership, created } = await joinShop(
        c.var.deps.db,
        user,
        c.req.valid('param').shopId,
        isVisitorKey(cookie) ? cookie : null,
        c.req.valid('json')?.ref,
      );
      return created ? c.json({ membership }, 201) : c.json({ membership }, 200);
    },
  );
}

function leaveRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'delete',
      path: '/{shopId}/members',
      tags: ['members'],
      summary: 'Leave the shop (leaving when not a member changes nothing)',
      request: { params: ShopParams },
      responses: {
        204: { description: 'Not a member any more' },
        ...errors('validation_failed', 'unauthenticated', 'not_found'),
      },
    }),
    async (c) => {
      const user = requireUser(c);
      await leaveShop(c.var.deps.db, user, c.req.valid('param').shopId);
      return c.body(null, 204);
    },
  );
}
