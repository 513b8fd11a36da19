import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createRoute } from '@hono/zod-openapi';
import { StreamParams } from '../../contracts/common';
import { ReplayComments } from '../../contracts/replay';
import { AppError } from '../../errors';
import { createRouter, errors, jsonContent } from '../../openapi';
import { isUuid } from '../../rules/ids';
import {
  assertMayWatchReplay,
  replayComments,
  replayPlaylist,
} from '../../services/replay.service';
import { recorderOf } from '../../services/recording.service';
import type { Router } from '../router';

// The replay's media (issue 10): /api/streams/{streamId}/replay/index.m3u8 joins the
// stream's recordings into one HLS playlist, and /replay/{folder}/{file} serves their
// files from DATA_DIR/recordings, with HTTP Range (players seek in MP4 files by range).
// Media bytes, not JSON: plain routes, left out of the OpenAPI document. Beside them,
// /replay/comments gives the live's comments in replay time. All three answer only those who
// may watch the stream (members-only streams: 403 members_only to others).

const CONTENT_TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  ts: 'video/mp2t',
  mp4: 'video/mp4',
  m4s: 'video/iso.segment',
};

/** A recording's folder: its id, and `-<n>` for a restarted attempt (recording.service.ts). */
const RECORDING_FOLDER =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(-\d{1,2})?$/;

/** A file name egress writes: no separators, a known media extension. */
const MEDIA_FILE = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*\.(m3u8|ts|mp4|m4s)$/;

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` within `size`; null when unsatisfiable or multiple. */
export function parseRange(header: string, size: number): { start: number; end: number } | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return null;
  return { start, end };
}

export function streamReplayRoutes() {
  const router = createRouter();
  replayCommentsRoute(router);

  router.get('/:streamId/replay/index.m3u8', async (c) => {
    const streamId = c.req.param('streamId');
    const recorder = recorderOf(c.var.deps.media);
    if (!isUuid(streamId)) throw new AppError('not_found', 'No replay.');
    await assertMayWatchReplay(c.var.deps.db, c.var.user, streamId);
    if (!recorder) throw new AppError('not_found', 'No replay.');
    const playlist = await replayPlaylist(c.var.deps.db, recorder.directory, streamId);
    if (!playlist) throw new AppError('not_found', 'No replay.');
    c.header('Content-Type', CONTENT_TYPES.m3u8);
    c.header('Cache-Control', 'no-cache');
    return c.body(playlist);
  });

  router.get('/:streamId/replay/:folder/:file', async (c) => {
    const { streamId, folder, file } = c.req.param();
    const recorder = recorderOf(c.var.deps.media);
    const ext = MEDIA_FILE.exec(file)?.[1];
    if (!isUuid(streamId) || !RECORDING_FOLDER.test(folder) || !ext) {
      throw new AppError('not_found', 'No such file.');
    }
    await assertMayWatchReplay(c.var.deps.db, c.var.user, streamId);
    if (!recorder) throw new AppError('not_found', 'No such file.');
    const path = join(recorder.directory, streamId, folder, file);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw new AppError('not_found', 'No such file.');
    const size = info.size;
    c.header('Content-Type', CONTENT_TYPES[ext] ?? 'application/octet-stream');
    c.header('Accept-Ranges', 'bytes');
    // a finished recording's files never change; private, as a members-only stream's are
    c.header('Cache-Control', 'private, max-age=86400');
    const header = c.req.header('range');
    if (header) {
      const range = parseRange(header, size);
      if (!range) {
        c.header('Content-Range', `bytes */${size}`);
        return c.body(null, 416);
      }
      c.header('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
      c.header('Content-Length', String(range.end - range.start + 1));
      const body = Readable.toWeb(createReadStream(path, range)) as ReadableStream;
      return c.body(body, 206);
    }
    c.header('Content-Length', String(size));
    return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream, 200);
  });

  return router;
}

function replayCommentsRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{streamId}/replay/comments',
      tags: ['streams'],
      summary: "An ended stream's comments, each at its moment in the replay",
      description:
        'The comments that stayed (deleted ones left out), oldest first, at most 2000. `atMs` is where each was posted in the replay: 0 before the recording began, its end after. A members-only stream answers only those who may watch it.',
      request: { params: StreamParams },
      responses: {
        200: jsonContent(ReplayComments, 'The comments'),
        ...errors('validation_failed', 'not_found', 'members_only'),
      },
    }),
    async (c) => {
      const comments = await replayComments(
        c.var.deps.db,
        c.var.user,
        c.req.valid('param').streamId,
      );
      return c.json({ comments }, 200);
    },
  );
}
