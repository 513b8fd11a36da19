import { createRoute } from '@hono/zod-openapi';
import { LeaderParams } from '../../contracts/leader';
import {
  CreatePayoutBody,
  PayoutCsvParams,
  PayoutEnvelope,
  SettlementStatement,
  SettlementQuery,
} from '../../contracts/settlement';
import { requireAccount } from '../../middleware/session';
import { createRouter, errors, jsonBody, jsonContent, z } from '../../openapi';
import { leaderStatement, markPeriodPaid, payoutCsv } from '../../services/settlement.service';
import { type Router, ON_RESOURCE } from '../router';

/** /api/shops/{shopId}/leaders/{leaderId}/statement and …/payouts: a leader's settlement. */
export function shopSettlementRoutes() {
  const router = createRouter();
  statementRoute(router);
  payoutRoute(router);
  payoutCsvRoute(router);
  return router;
}

function statementRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/leaders/{leaderId}/statement',
      tags: ['settlement'],
      summary: "A leader's commission per order and payouts (the owner, or that leader)",
      request: { params: LeaderParams, query: SettlementQuery },
      responses: {
        200: jsonContent(SettlementStatement, 'The statement'),
        ...errors(...ON_RESOURCE),
      },
    }),
    async (c) => {
      const { shopId, leaderId } = c.req.valid('param');
      const statement = await leaderStatement(
        c.var.deps.db,
        requireAccount(c),
        shopId,
        leaderId,
        c.req.valid('query'),
      );
      return c.json(statement, 200);
    },
  );
}

function payoutRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{shopId}/leaders/{leaderId}/payouts',
      tags: ['settlement'],
      summary: 'Mark everything earned and unpaid up to periodEnd paid (owner)',
      request: { params: LeaderParams, body: jsonBody(CreatePayoutBody) },
      responses: {
        201: jsonContent(PayoutEnvelope, 'The payout'),
        ...errors(...ON_RESOURCE, 'conflict'),
      },
    }),
    async (c) => {
      const { shopId, leaderId } = c.req.valid('param');
      const payout = await markPeriodPaid(
        c.var.deps.db,
        requireAccount(c),
        shopId,
        leaderId,
        c.req.valid('json').periodEnd,
      );
      return c.json({ payout }, 201);
    },
  );
}

function payoutCsvRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/leaders/{leaderId}/payouts/{payoutFile}',
      tags: ['settlement'],
      summary:
        "A payout's entries as CSV: GET …/payouts/<payoutId>.csv (the owner, or that leader)",
      request: { params: PayoutCsvParams },
      responses: {
        200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } },
        ...errors(...ON_RESOURCE),
      },
    }),
    async (c) => {
      const { shopId, leaderId, payoutFile } = c.req.valid('param');
      const { csv, filename } = await payoutCsv(
        c.var.deps.db,
        requireAccount(c),
        shopId,
        leaderId,
        payoutFile.slice(0, -'.csv'.length),
      );
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${filename}"`);
      return c.body(csv, 200);
    },
  );
}
