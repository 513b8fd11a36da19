import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { acceptInvite, previewInvite } from '../../services/leader-invite.service';
import {
  InvitePreviewEnvelope,
  InviteTokenParams,
  LeaderEnvelope,
  LeaderProfileBody,
} from '../../contracts/leader';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import { type Router, ON_RESOURCE } from '../router';

/** /api/invites/{token}…: an invitation link, previewed and accepted by the invited leader. */
export function inviteRoutes() {
  const router = createRouter();
  previewRoute(router);
  acceptRoute(router);
  return router;
}

function previewRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{token}',
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
}

function acceptRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{token}/accept',
      tags: ['leaders'],
      summary: 'Accept an invitation: become an approved leader at the invited rate',
      request: { params: InviteTokenParams, body: jsonBody(LeaderProfileBody) },
      responses: {
        200: jsonContent(LeaderEnvelope, 'Approved, with a code'),
        ...errors(
          ...ON_RESOURCE,
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
}
