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
import { createRouter, displayName, errors, jsonBody, jsonContent, z } from '../openapi';

export const LeaderSchema = z
  .object({
    id: z.string(),
    shopId: z.string(),
    userId: z.string(),
    displayName: z.string(),
    community: z.string().nullable(),
    status: z.enum(['pending', 'approved', 'declined', 'suspended']),
    code: z.string().nullable(),
    commissionRate: z.number().nullable(),
    pickupAddress: z.string().nullable(),
    pickupHours: z.string().nullable(),
  })
  .openapi('Leader');

const StatsSchema = z
  .object({
    clicks: z.number(),
    visitors: z.number(),
    orders: z.number(),
    buyers: z.number(),
    units: z.number(),
    gmvCents: z.number(),
    conversion: z.number(),
    commission: z.object({
      pendingCents: z.number(),
      earnedCents: z.number(),
      reversedCents: z.number(),
    }),
  })
  .openapi('LeaderStats');

const ShopParams = z.object({ shopId: z.uuid() });
const LeaderParams = z.object({ shopId: z.uuid(), leaderId: z.uuid() });
const Rate = z.strictObject({ commissionRate: z.number().min(0).max(1) });
const optionalText = (max: number) => z.string().trim().min(1).max(max).optional();

/** What a resident tells the shop about themselves, applying or accepting an invitation. */
export const LeaderProfileBody = z.strictObject({
  displayName,
  community: optionalText(60),
  pickupAddress: optionalText(200),
  pickupHours: optionalText(100),
});

/** The origin links are built on: the configured one, or this request's. */
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
        201: jsonContent(z.object({ leader: LeaderSchema }), 'The application, pending'),
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
        200: jsonContent(
          z.object({ leaders: z.array(z.object({ leader: LeaderSchema, stats: StatsSchema })) }),
          'Every leader with their numbers',
        ),
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
      request: { params: LeaderParams, body: jsonBody(Rate) },
      responses: {
        200: jsonContent(z.object({ leader: LeaderSchema }), 'Approved, with a code'),
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
          200: jsonContent(z.object({ leader: LeaderSchema }), 'Done'),
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
      request: { params: LeaderParams, body: jsonBody(Rate) },
      responses: {
        200: jsonContent(z.object({ leader: LeaderSchema }), 'The new rate'),
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
        200: jsonContent(
          z.object({
            memberships: z.array(
              z.object({
                leaderId: z.string(),
                displayName: z.string(),
                shopId: z.string(),
                shopSlug: z.string(),
                shopName: z.string(),
                status: z.string(),
                code: z.string().nullable(),
                link: z.string().nullable(),
                commissionRate: z.number().nullable(),
                stats: StatsSchema,
                recentOrders: z.array(
                  z.object({
                    id: z.string(),
                    productName: z.string(),
                    quantity: z.number(),
                    totalCents: z.number(),
                    commissionCents: z.number(),
                    state: z.string(),
                    buyerName: z.string(),
                    createdAt: z.string(),
                  }),
                ),
              }),
            ),
          }),
          'Memberships',
        ),
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
        query: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM') }),
      },
      responses: {
        200: jsonContent(
          z.object({
            month: z.string(),
            totals: z.object({
              pendingCents: z.number(),
              earnedCents: z.number(),
              reversedCents: z.number(),
            }),
            entries: z.array(
              z.object({
                orderId: z.string(),
                productName: z.string(),
                orderTotalCents: z.number(),
                bucket: z.string(),
                amountCents: z.number(),
                reason: z.string(),
                at: z.string(),
              }),
            ),
          }),
          'The statement',
        ),
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
        body: jsonBody(
          z.strictObject({ code: z.string().min(1).max(32), streamId: z.uuid().optional() }),
        ),
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
