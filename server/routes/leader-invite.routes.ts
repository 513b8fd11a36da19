import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../middleware/session';
import {
  acceptInvite,
  createInvite,
  previewInvite,
  shopInvites,
  withdrawInvite,
} from '../services/leader-invite.service';
import { ShopParams } from '../contracts/common';
import {
  CreateInviteBody,
  CreatedInvite,
  InviteEnvelope,
  InviteList,
  InviteParams,
  InvitePreviewEnvelope,
  InviteTokenParams,
  LeaderEnvelope,
  LeaderProfileBody,
} from '../contracts/leader';
import { createRouter, errors, jsonBody, jsonContent } from '../openapi';
import { publicOrigin } from '../http/origin';

export function leaderInviteRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/shops/{shopId}/leader-invites',
      tags: ['leaders'],
      summary: 'Invite a leader by link (owner); the link is shown only in this answer',
      request: { params: ShopParams, body: jsonBody(CreateInviteBody) },
      responses: {
        201: jsonContent(CreatedInvite, 'The invitation and its /invite/<token> link'),
        ...errors('validation_failed', 'unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const created = await createInvite(
        c.var.deps.db,
        requireAccount(c),
        c.req.valid('param').shopId,
        c.req.valid('json'),
        publicOrigin(c),
      );
      return c.json(created, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/shops/{shopId}/leader-invites',
      tags: ['leaders'],
      summary: "The shop's recent leader invitations, newest first (owner)",
      request: { params: ShopParams },
      responses: {
        200: jsonContent(InviteList, 'Invitations'),
        ...errors('unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const invites = await shopInvites(
        c.var.deps.db,
        requireAccount(c),
        c.req.valid('param').shopId,
      );
      return c.json({ invites }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/shops/{shopId}/leader-invites/{inviteId}/revoke',
      tags: ['leaders'],
      summary: 'Withdraw an invitation nobody has accepted (owner)',
      request: { params: InviteParams },
      responses: {
        200: jsonContent(InviteEnvelope, 'Revoked'),
        ...errors('unauthenticated', 'forbidden', 'not_found', 'invite_used'),
      },
    }),
    async (c) => {
      const { shopId, inviteId } = c.req.valid('param');
      const invite = await withdrawInvite(c.var.deps.db, requireAccount(c), shopId, inviteId);
      return c.json({ invite }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/invites/{token}',
      tags: ['leaders'],
      summary: 'What an invitation link offers (public: the token is the secret)',
      request: { params: InviteTokenParams },
      responses: {
        200: jsonContent(InvitePreviewEnvelope, 'The open invitation'),
        ...errors('not_found', 'invite_used', 'invite_expired', 'invite_revoked'),
      },
    }),
    async (c) => {
      const invite = await previewInvite(
        c.var.deps.db,
        c.var.user ?? null,
        c.req.valid('param').token,
      );
      return c.json({ invite }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/invites/{token}/accept',
      tags: ['leaders'],
      summary: 'Accept an invitation: become an approved leader at the invited rate',
      request: { params: InviteTokenParams, body: jsonBody(LeaderProfileBody) },
      responses: {
        200: jsonContent(LeaderEnvelope, 'Approved, with a code'),
        ...errors(
          'validation_failed',
          'unauthenticated',
          'forbidden',
          'not_found',
          'invite_used',
          'invite_expired',
          'invite_revoked',
          'already_leader',
          'leader_suspended',
          'conflict',
        ),
      },
    }),
    async (c) => {
      const leader = await acceptInvite(
        c.var.deps.db,
        requireAccount(c),
        c.req.valid('param').token,
        c.req.valid('json'),
      );
      return c.json({ leader }, 200);
    },
  );

  return router;
}
