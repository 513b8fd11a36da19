import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../middleware/session';
import {
  acceptInvite,
  createInvite,
  INVITE_DAYS_DEFAULT,
  INVITE_DAYS_MAX,
  previewInvite,
  shopInvites,
  withdrawInvite,
} from '../services/leader-invite.service';
import { createRouter, errors, jsonBody, jsonContent, z } from '../openapi';
import { publicOrigin } from '../http/origin';
import { LeaderProfileBody, LeaderSchema } from './leader.routes';

const InviteSchema = z
  .object({
    id: z.string(),
    shopId: z.string(),
    note: z.string().nullable(),
    commissionRate: z.number(),
    status: z.enum(['open', 'accepted', 'revoked', 'expired']),
    createdAt: z.string(),
    expiresAt: z.string(),
    acceptedAt: z.string().nullable(),
    leaderId: z.string().nullable(),
    leaderName: z.string().nullable(),
  })
  .openapi('LeaderInvite');

const InvitePreviewSchema = z
  .object({
    shop: z.object({
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      address: z.string().nullable(),
    }),
    note: z.string().nullable(),
    commissionRate: z.number(),
    expiresAt: z.string(),
    viewer: z
      .object({
        owner: z.boolean(),
        leaderStatus: z.enum(['pending', 'approved', 'declined', 'suspended']).nullable(),
        acceptedByYou: z.boolean(),
      })
      .nullable(),
  })
  .openapi('LeaderInvitePreview');

const ShopParams = z.object({ shopId: z.uuid() });
const InviteParams = z.object({ shopId: z.uuid(), inviteId: z.uuid() });
// Any string: a token that cannot exist is simply not found, like an unknown one.
const TokenParams = z.object({ token: z.string().min(1).max(64) });

const CreateInviteBody = z.strictObject({
  note: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'must not contain control characters')
    .optional()
    .openapi({ description: 'Whom the invitation is for, as a reminder to the owner' }),
  commissionRate: z.number().min(0).max(1),
  expiresInDays: z
    .number()
    .int()
    .min(1)
    .max(INVITE_DAYS_MAX)
    .optional()
    .openapi({ description: `Days until the link stops working (default ${INVITE_DAYS_DEFAULT})` }),
});

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
        201: jsonContent(
          z.object({ invite: InviteSchema, link: z.string() }),
          'The invitation and its /invite/<token> link',
        ),
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
        200: jsonContent(z.object({ invites: z.array(InviteSchema) }), 'Invitations'),
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
        200: jsonContent(z.object({ invite: InviteSchema }), 'Revoked'),
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
      request: { params: TokenParams },
      responses: {
        200: jsonContent(z.object({ invite: InvitePreviewSchema }), 'The open invitation'),
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
      request: { params: TokenParams, body: jsonBody(LeaderProfileBody) },
      responses: {
        200: jsonContent(z.object({ leader: LeaderSchema }), 'Approved, with a code'),
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
