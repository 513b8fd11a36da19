import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../middleware/session';
import { ShopParams, StreamParams } from '../contracts/common';
import type { Segment } from '../contracts/stream';
import {
  CreateStreamBody,
  EditStreamBody,
  StreamEnvelope,
  StreamSummaryEnvelope,
} from '../contracts/stream';
import { createRouter, errors, jsonBody, jsonContent, z } from '../openapi';
import {
  SEGMENTS,
  createStream,
  editStream,
  endStream,
  getStreamView,
  startStream,
  streamCalendar,
} from '../services/stream.service';

// keep the contract's segments and the service's list in step
SEGMENTS satisfies readonly Segment[];

/**
 * The stream itself: planning it under a shop, reading and editing it, its calendar entry,
 * going live and ending. The live room's routes are in stream-stage.routes.ts.
 */
export function streamRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/shops/{shopId}/streams',
      tags: ['streams'],
      summary: 'Plan a stream (owner)',
      request: { params: ShopParams, body: jsonBody(CreateStreamBody) },
      responses: {
        201: jsonContent(StreamSummaryEnvelope, 'The planned stream'),
        ...errors(
          'validation_failed',
          'malformed_json',
          'unauthenticated',
          'forbidden',
          'not_found',
        ),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const body = c.req.valid('json');
      const stream = await createStream(c.var.deps.db, user, c.req.valid('param').shopId, body);
      return c.json({ stream }, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/streams/{streamId}',
      tags: ['streams'],
      summary: 'Edit a stream (owner): everything while scheduled, only the title once live',
      description:
        'Watchers hear of the change by `stream:update`; the calendar file follows the new time.',
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

  router.openapi(
    createRoute({
      method: 'get',
      path: '/streams/{streamId}',
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

  router.openapi(
    createRoute({
      method: 'get',
      path: '/streams/{streamId}/calendar.ics',
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

  for (const action of ['start', 'end'] as const) {
    router.openapi(
      createRoute({
        method: 'post',
        path: `/streams/{streamId}/${action}`,
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

  return router;
}
