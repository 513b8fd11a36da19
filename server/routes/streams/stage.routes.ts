import { createRoute } from '@hono/zod-openapi';
import { requireAccount, requireUser } from '../../middleware/session';
import { StreamParams } from '../../contracts/common';
import {
  CohostAccepted,
  CohostBody,
  CohostInvited,
  CohostRevoked,
  MediaToken,
  MyStage,
  SegmentBody,
  SegmentMark,
  StreamUserParams,
  Studio,
  TokenBody,
} from '../../contracts/stream';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import { getStudio } from '../../services/stream.service';
import {
  acceptCohost,
  getMyStage,
  inviteCohost,
  issueToken,
  removeStreamParticipant,
  revokeCohostStage,
  setSegment,
} from '../../services/stage.service';
import { type Router, ON_RESOURCE } from '../router';

/**
 * /api/streams/{streamId}/… of the live room: the studio, media tokens, the segment, and
 * who is on stage (co-hosts, removals). The stream itself is in streams.routes.ts.
 */
export function streamStageRoutes() {
  const router = createRouter();
  studioRoute(router);
  myStageRoute(router);
  tokenRoute(router);
  segmentRoute(router);
  inviteCohostRoute(router);
  acceptCohostRoute(router);
  revokeCohostRoute(router);
  removeParticipantRoute(router);
  return router;
}

function studioRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{streamId}/studio',
      tags: ['streams'],
      summary: "The owner's studio view: the stream and its segment history",
      request: { params: StreamParams },
      responses: {
        200: jsonContent(Studio, 'The studio'),
        ...errors(...ON_RESOURCE),
      },
    }),
    async (c) => {
      const user = requireUser(c);
      return c.json(await getStudio(c.var.deps.db, user, c.req.valid('param').streamId), 200);
    },
  );
}

function myStageRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{streamId}/me',
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
}

function tokenRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{streamId}/token',
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
}

function segmentRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{streamId}/segment',
      tags: ['streams'],
      summary: 'Label the current segment (owner); null clears it',
      request: {
        params: StreamParams,
        body: jsonBody(SegmentBody),
      },
      responses: {
        200: jsonContent(SegmentMark, 'The label and when it was set'),
        ...errors(...ON_RESOURCE, 'conflict'),
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
}

function inviteCohostRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{streamId}/cohosts',
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
}

function acceptCohostRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{streamId}/cohosts/accept',
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
}

function revokeCohostRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{streamId}/cohosts/{userId}/revoke',
      tags: ['streams'],
      summary: 'Take the stage back from a co-host (owner)',
      request: { params: StreamUserParams },
      responses: {
        200: jsonContent(CohostRevoked, 'Off stage'),
        ...errors(...ON_RESOURCE),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const { streamId, userId } = c.req.valid('param');
      return c.json(await revokeCohostStage(c.var.deps, user, streamId, userId), 200);
    },
  );
}

function removeParticipantRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{streamId}/participants/{userId}/remove',
      tags: ['streams'],
      summary: 'Remove someone from the stream for good (owner, co-host or moderator)',
      request: { params: StreamUserParams },
      responses: {
        204: { description: 'Removed' },
        ...errors(...ON_RESOURCE, 'bad_request'),
      },
    }),
    async (c) => {
      const user = requireAccount(c);
      const { streamId, userId } = c.req.valid('param');
      await removeStreamParticipant(c.var.deps, user, streamId, userId);
      return c.body(null, 204);
    },
  );
}
