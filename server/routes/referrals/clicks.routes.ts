import { createRoute } from '@hono/zod-openapi';
import { clickLimits } from '../../http/limits';
import { visitorKey } from '../../http/visitor';
import { recordLinkClick } from '../../services/leader.service';
import { ReferralClickBody } from '../../contracts/leader';
import { createRouter, errors, jsonBody } from '../../openapi';
import type { Router } from '../router';

/** /api/referrals/clicks: the opening of a per-stream leader link, limited per address and visitor. */
export function referralClickRoutes() {
  const router = createRouter();
  router.use('/clicks', ...clickLimits());
  clickRoute(router);
  return router;
}

function clickRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/clicks',
      tags: ['leaders'],
      summary: 'Record the opening of a per-stream leader link (/live/<id>?ref=<code>)',
      request: {
        body: jsonBody(ReferralClickBody),
      },
      responses: {
        204: { description: 'Recorded (or counted once within a minute)' },
        ...errors('validation_failed', 'not_found', 'rate_limited'),
      },
    }),
    async (c) => {
      const { code, streamId } = c.req.valid('json');
      await recordLinkClick(c.var.deps.db, {
        code,
        visitorKey: visitorKey(c),
        userId: c.var.user?.id ?? null,
        streamId,
      });
      return c.body(null, 204);
    },
  );
}
