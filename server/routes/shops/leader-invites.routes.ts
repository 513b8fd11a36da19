import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { createInvite, shopInvites, withdrawInvite } from '../../services/leader-invite.service';
import { ShopParams } from '../../contracts/common';
import {
  CreateInviteBody,
  CreatedInvite,
  InviteEnvelope,
  InviteList,
  InviteParams,
} from '../../contracts/leader';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import { publicOrigin } from '../../http/origin';
import { type Router, ON_RESOURCE } from '../router';

/** /api/shops/{shopId}/leader-invites…: the owner's invitation links (accepting one is /api/invites). */
export function shopLeaderInviteRoutes() {
  const router = createRouter();
  createInviteRoute(router);
  listInvitesRoute(router);
  revokeInviteRoute(router);
  return router;
}

function createInviteRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{shopId}/leader-invites',
      tags: ['leaders'],
      summary: 'Invite a leader by link (owner); the link is shown only in this answer',
      request: { params: ShopParams, body: jsonBody(CreateInviteBody) },
      responses: {
        201: jsonContent(CreatedInvite, 'The invitation and its /invite/<token> link'),
        ...errors(...ON_RESOURCE),
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
}

function listInvitesRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/leader-invites',
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
}

function revokeInviteRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{shopId}/leader-invites/{inviteId}/revoke',
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
}
