import { createRoute } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { VISITOR_COOKIE } from '../../http/visitor';
import { orderLimit as ordersPerBuyer } from '../../http/limits';
import { requireUser } from '../../middleware/session';
import { StreamParams } from '../../contracts/common';
import { OfferParams } from '../../contracts/offer';
import { IdempotencyHeaders, OrderEnvelope } from '../../contracts/order';
import {
  ClaimWaitlistBody,
  WaitlistEntryEnvelope,
  WaitlistEntryList,
} from '../../contracts/waitlist';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import {
  claimWaitlist,
  joinWaitlist,
  leaveWaitlist,
  myWaitlist,
} from '../../services/waitlist.service';
import type { Router } from '../router';

/** /api/streams/{streamId}/waitlist and /offers/{offerId}/waitlist…: lines for sold-out offers. */
export function streamWaitlistRoutes() {
  const router = createRouter();
  myWaitlistRoute(router);
  joinRoute(router);
  leaveRoute(router);
  claimRoute(router);
  return router;
}

function myWaitlistRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{streamId}/waitlist',
      tags: ['orders'],
      summary: "The signed-in resident's waitlist entries in this stream (latest per offer)",
      request: { params: StreamParams },
      responses: {
        200: jsonContent(WaitlistEntryList, 'Entries'),
        ...errors('validation_failed', 'unauthenticated'),
      },
    }),
    async (c) => {
      const entries = await myWaitlist(c.var.deps, requireUser(c), c.req.valid('param').streamId);
      c.header('cache-control', 'no-store');
      return c.json({ entries }, 200);
    },
  );
}

function joinRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{streamId}/offers/{offerId}/waitlist',
      tags: ['orders'],
      summary: 'Join the waitlist of a sold-out offer',
      description:
        'First come, first served. When units come back (a cancel, a refund before pickup, a raised quantity) the first in line gets one held for `WAITLIST_HOLD_SECONDS` (10 minutes by default) and a private `waitlist:offer` event; confirm it with …/waitlist/claim. Joining again answers the place already held. `in_stock` when the offer still has units.',
      request: { params: OfferParams },
      responses: {
        201: jsonContent(WaitlistEntryEnvelope, 'The place in line'),
        ...errors('validation_failed', 'unauthenticated', 'not_found', 'in_stock', 'offer_closed'),
      },
    }),
    async (c) => {
      const { streamId, offerId } = c.req.valid('param');
      const entry = await joinWaitlist(c.var.deps, requireUser(c), streamId, offerId);
      return c.json({ entry }, 201);
    },
  );
}

function leaveRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'delete',
      path: '/{streamId}/offers/{offerId}/waitlist',
      tags: ['orders'],
      summary: 'Leave the waitlist (a unit held for you passes to the next in line)',
      request: { params: OfferParams },
      responses: {
        204: { description: 'Not in line any more (also when one was not)' },
        ...errors('validation_failed', 'unauthenticated'),
      },
    }),
    async (c) => {
      const { streamId, offerId } = c.req.valid('param');
      await leaveWaitlist(c.var.deps, requireUser(c), streamId, offerId);
      return c.body(null, 204);
    },
  );
}

function claimRoute(router: Router) {
  const orderLimit = ordersPerBuyer();
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{streamId}/offers/{offerId}/waitlist/claim',
      tags: ['orders'],
      summary: 'Order the unit held for you from the waitlist',
      description:
        'One unit, with the order sheet’s rules (per-buyer limit, pickup point, attribution, `Idempotency-Key`). `no_reservation` once the hold has run out or passed on.',
      request: {
        params: OfferParams,
        headers: IdempotencyHeaders,
        body: jsonBody(ClaimWaitlistBody),
      },
      responses: {
        201: jsonContent(OrderEnvelope, 'The order'),
        ...errors(
          'validation_failed',
          'bad_request',
          'unauthenticated',
          'no_reservation',
          'limit_exceeded',
          'offer_closed',
          'idempotency_conflict',
          'rate_limited',
        ),
      },
    }),
    async (c) => {
      const buyer = requireUser(c);
      const { streamId, offerId } = c.req.valid('param');
      await orderLimit.consume(c, buyer.id);
      const { order, replayed } = await claimWaitlist(
        c.var.deps,
        buyer,
        streamId,
        offerId,
        { ...c.req.valid('json'), visitorKey: getCookie(c, VISITOR_COOKIE) },
        c.req.valid('header')['idempotency-key'],
      );
      if (replayed) c.header('Idempotent-Replayed', 'true');
      return c.json({ order }, 201);
    },
  );
}
