import { createRoute } from '@hono/zod-openapi';
import { findLeaderByCode } from '../../../db/repositories/leader.repository';
import { findStream } from '../../../db/repositories/stream.repository';
import type { Database } from '../../../db/database';
import { AppError } from '../../errors';
import { clickLimits } from '../../http/limits';
import { visitorKey } from '../../http/visitor';
import { openLeaderLink } from '../../services/leader.service';
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

/**
 * A click names a stream of the link's own shop: an unknown stream, or another shop's, is
 * refused (404, the same answer for both) rather than recorded against the wrong shop.
 */
async function checkStreamOfLink(db: Database, code: string, streamId: string): Promise<void> {
  const leader = await findLeaderByCode(db, code);
  // an unknown or inactive code records nothing anyway (openLeaderLink), as before
  if (!leader) return;
  const stream = await findStream(db, streamId);
  if (!stream || stream.shop_id !== leader.shop_id) {
    throw new AppError('not_found', "No such stream in this link's shop.");
  }
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
      if (streamId) await checkStreamOfLink(c.var.deps.db, code, streamId);
      await openLeaderLink(c.var.deps.db, {
        code,
        visitorKey: visitorKey(c),
        userId: c.var.user?.id ?? null,
        streamId: streamId ?? null,
      });
      return c.body(null, 204);
    },
  );
}
