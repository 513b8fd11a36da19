import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { StreamParams } from '../../contracts/common';
import type { Segment } from '../../contracts/stream';
import { EditStreamBody, StreamEnvelope, StreamSummaryEnvelope } from '../../contracts/stream';
import { createRouter, errors, jsonBody, jsonContent, z } from '../../openapi';
import {
  SEGMENTS,
  editStream,
  endStream,
  resumeStream,
  getStreamView,
  startStream,
  streamCalendar,
} from '../../services/stream.service';
import type { Router } from '../router';

// keep the contract's segments and the service's list in step
SEGMENTS satisfies readonly Segment[];

/**
 * /api/streams/{streamId} itself: reading and editing it, its calendar entry, going live and
 * ending. The live room's routes are in stage.routes.ts.
 */
export function streamRootRoutes() {
  const router = createRouter();
  editStreamRoute(router);
  streamViewRoute(router);
  calendarRoute(router);
  startAndEndRoutes(router);
  resumeRoute(router);
  return router;
}

function editStreamRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'patch',
      path: '/{streamId}',
      tags: ['streams'],
      summary:
        'Edit a stream (owner): everything while scheduled, the title and sale end once live, the sale end alone after',
      description:
        'Watchers hear of the change by `stream:update`; the calendar file follows the new time. `saleEndsAt`: until when the offers take orders after the live (default: 24 hours after the end, never past the latest group deadline); it must be in the future.',
      request: { params: StreamParams, body: jsonBody(EditStreamBody) },
      responses: {
        200: jsonContent(StreamSummaryEnvelope, 'The stream as it is now'),
        ...errors(
          'validation_failed',
          'malformed_json',
          'bad_request',
          'unauthenticated',
          'forbidden',
          'not_found',
          'stream_started',
          'stream_ended',
          'conflict',
        ),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const stream = await editStream(
        c.var.deps,
        user,
        c.req.valid('param').streamId,
        c.req.valid('json'),
      );
      return c.json({ stream }, 200);
    },
  );
}

function streamViewRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{streamId}',
      tags: ['streams'],
      summary: 'A stream as the watch page shows it (public)',
      request: { params: StreamParams },
      responses: {
        200: jsonContent(StreamEnvelope, 'The stream'),
        ...errors('validation_failed', 'not_found'),
      },
    }),
    async (c) =>
      c.json({ stream: await getStreamView(c.var.deps.db, c.req.valid('param').streamId) }, 200),
  );
}

function calendarRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{streamId}/calendar.ics',
      tags: ['streams'],
      summary: 'An add-to-calendar reminder (public)',
      request: { params: StreamParams },
      responses: {
        200: {
          description: 'An iCalendar file',
          content: { 'text/calendar': { schema: z.string() } },
        },
        ...errors('validation_failed', 'not_found'),
      },
    }),
    async (c) => {
      const { streamId } = c.req.valid('param');
      const origin = c.var.deps.config.ORIGIN ?? new URL(c.req.url).origin;
      const ics = await streamCalendar(c.var.deps.db, streamId, `${origin}/live/${streamId}`);
      return c.body(ics, 200, {
        'content-type': 'text/calendar; charset=utf-8',
        'content-disposition': `attachment; filename="linli-${streamId}.ics"`,
      });
    },
  );
}

function startAndEndRoutes(router: Router) {
  for (const action of ['start', 'end'] as const) {
    router.openapi(
      createRoute({
        method: 'post',
        path: `/{streamId}/${action}`,
        tags: ['streams'],
        summary: action === 'start' ? 'Go live (owner)' : 'End the stream (owner)',
        request: { params: StreamParams },
        responses: {
          200: jsonContent(StreamSummaryEnvelope, 'The stream'),
          ...errors('unauthenticated', 'forbidden', 'not_found', 'conflict', 'unavailable'),
        },
      }),
      async (c) => {
        const user = requireAccount(c);
        const { streamId } = c.req.valid('param');
        const stream =
          action === 'start'
            ? await startStream(c.var.deps, user, streamId)
            : await endStream(c.var.deps, user, streamId);
        return c.json({ stream }, 200);
      },
    );
  }
}

function resumeRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{streamId}/resume',
      tags: ['streams'],
      summary: 'Go live again after ending (owner)',
      description:
        'A stream ended less than 2 hours ago goes live again in the same room, with the same ' +
        'offers and orders; watchers hear `stream:status` live. Later: 409 `resume_expired`; ' +
        'a stream that is not ended: 409 `conflict`.',
      request: { params: StreamParams },
      responses: {
        200: jsonContent(StreamSummaryEnvelope, 'The stream, live again'),
        ...errors(
          'unauthenticated',
          'forbidden',
          'not_found',
          'conflict',
          'resume_expired',
          'unavailable',
        ),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const stream = await resumeStream(c.var.deps, user, c.req.valid('param').streamId);
      return c.json({ stream }, 200);
    },
  );
}
