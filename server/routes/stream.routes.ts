import { createRoute } from '@hono/zod-openapi';
import { requireAccount, requireUser } from '../middleware/session';
import { ShopParams, StreamParams } from '../contracts/common';
import type { Segment } from '../contracts/stream';
import {
  CohostAccepted,
  CohostBody,
  CohostInvited,
  CohostRevoked,
  CreateStreamBody,
  EditStreamBody,
  MediaToken,
  MyStage,
  SegmentBody,
  SegmentMark,
  StreamEnvelope,
  StreamSummaryEnvelope,
  StreamUserParams,
  Studio,
  TokenBody,
} from '../contracts/stream';
import { createRouter, errors, jsonBody, jsonContent, z } from '../openapi';
import {
  SEGMENTS,
  acceptCohost,
  createStream,
  editStream,
  endStream,
  getMyStage,
  getStreamView,
  getStudio,
  inviteCohost,
  issueToken,
  removeStreamParticipant,
  revokeCohostStage,
  setSegment,
  startStream,
  streamCalendar,
} from '../services/stream.service';

// keep the contract's segments and the service's list in step
SEGMENTS satisfies readonly Segment[];

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
      path: '/streams/{streamId}/studio',
      tags: ['streams'],
      summary: "The owner's studio view: the stream and its segment history",
      request: { params: StreamParams },
      responses: {
        200: jsonContent(Studio, 'The studio'),
        ...errors('validation_failed', 'unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const user = requireUser(c);
      return c.json(await getStudio(c.var.deps.db, user, c.req.valid('param').streamId), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/streams/{streamId}/me',
      tags: ['streams'],
      summary: 'My place in a stream: owner, co-host invitation, removed',
      request: { params: StreamParams },
      responses: {
        200: jsonContent(MyStage, 'My stage'),
        ...errors('validation_failed', 'unauthenticated', 'not_found'),
      },
    }),
    async (c) => {
      const user = requireUser(c);
      return c.json(await getMyStage(c.var.deps.db, user, c.req.valid('param').streamId), 200);
    },
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

  router.openapi(
    createRoute({
      method: 'post',
      path: '/streams/{streamId}/token',
      tags: ['streams'],
      summary: 'A LiveKit token: host for the owner or an accepted co-host, otherwise viewer',
      request: {
        params: StreamParams,
        body: { required: false, content: { 'application/json': { schema: TokenBody } } },
      },
      responses: {
        200: jsonContent(MediaToken, 'The token'),
        ...errors(
          'validation_failed',
          'forbidden',
          'participant_removed',
          'not_found',
          'stream_not_live',
        ),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const answer = await issueToken(
        c.var.deps,
        c.var.user,
        c.req.valid('param').streamId,
        body?.role,
      );
      c.header('cache-control', 'no-store');
      return c.json(answer, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/streams/{streamId}/segment',
      tags: ['streams'],
      summary: 'Label the current segment (owner); null clears it',
      request: {
        params: StreamParams,
        body: jsonBody(SegmentBody),
      },
      responses: {
        200: jsonContent(SegmentMark, 'The label and when it was set'),
        ...errors('validation_failed', 'unauthenticated', 'forbidden', 'not_found', 'conflict'),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const { segment } = c.req.valid('json');
      return c.json(
        await setSegment(c.var.deps, user, c.req.valid('param').streamId, segment),
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/streams/{streamId}/cohosts',
      tags: ['streams'],
      summary: 'Invite a user on stage (owner)',
      request: { params: StreamParams, body: jsonBody(CohostBody) },
      responses: {
        201: jsonContent(CohostInvited, 'The invitation'),
        ...errors(
          'validation_failed',
          'unauthenticated',
          'forbidden',
          'participant_removed',
          'not_found',
          'conflict',
        ),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const { userId } = c.req.valid('json');
      await inviteCohost(c.var.deps, user, c.req.valid('param').streamId, userId);
      return c.json({ cohost: { userId, status: 'invited' as const } }, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/streams/{streamId}/cohosts/accept',
      tags: ['streams'],
      summary: 'Accept an invitation on stage (the invited user)',
      request: { params: StreamParams },
      responses: {
        200: jsonContent(CohostAccepted, 'On stage'),
        ...errors('unauthenticated', 'forbidden', 'not_found', 'stream_not_live'),
      },
    }),
    async (c) => {
      const user = requireUser(c);
      return c.json(await acceptCohost(c.var.deps, user, c.req.valid('param').streamId), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/streams/{streamId}/cohosts/{userId}/revoke',
      tags: ['streams'],
      summary: 'Take the stage back from a co-host (owner)',
      request: { params: StreamUserParams },
      responses: {
        200: jsonContent(CohostRevoked, 'Off stage'),
        ...errors('validation_failed', 'unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const { streamId, userId } = c.req.valid('param');
      return c.json(await revokeCohostStage(c.var.deps, user, streamId, userId), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/streams/{streamId}/participants/{userId}/remove',
      tags: ['streams'],
      summary: 'Remove someone from the stream for good (owner)',
      request: { params: StreamUserParams },
      responses: {
        204: { description: 'Removed' },
        ...errors('validation_failed', 'unauthenticated', 'forbidden', 'not_found', 'bad_request'),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const { streamId, userId } = c.req.valid('param');
      await removeStreamParticipant(c.var.deps, user, streamId, userId);
      return c.body(null, 204);
    },
  );

  return router;
}
