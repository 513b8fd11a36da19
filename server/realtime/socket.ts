import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { parse as parseCookies } from 'hono/utils/cookie';
import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { isDatabaseUnavailable } from '../../db/database';
import type { StreamForRealtime } from '../../db/repositories/comment.repository';
import type { AppDeps } from '../context';
import { AppError } from '../errors';
import { isSameOrigin } from '../middleware/edge';
import { isVisitorKey, VISITOR_COOKIE } from '../routes/leader.routes';
import { userRowToUser, type User } from '../services/auth.service';
import {
  deleteComment,
  joinStream,
  like,
  muteUser,
  normaliseCommentText,
  postComment,
} from '../services/comment.service';
import { SESSION_COOKIE, validateSessionToken } from '../services/session.service';
import { removeStreamParticipant } from '../services/stream.service';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from './events';
import { connectRealtimeRedis } from './redis';

// socket.io on the app's own HTTP server: authenticated by the session cookie during the
// handshake, same-origin only, small payloads, one stream room per socket. Services announce
// committed changes on the bus; this layer fans them out to the stream's room. With
// REDIS_URL, rooms span processes through the Redis streams adapter, which also keeps
// connection-state recovery working across nodes; while Redis is away, each process carries
// on with its own sockets (see redis.ts).

/** Largest message a client may send. Comments are 200 characters; 4 KiB is plenty. */
export const MAX_SOCKET_PAYLOAD = 4 * 1024;
/** A client that comes back within this long receives what it missed. */
export const RECOVERY_WINDOW_MS = 2 * 60_000;

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
interface InterServerEvents {}

interface SocketData {
  /** null: a visitor without a session, who watches but cannot post, like or moderate */
  user: User | null;
  /** who this socket counts as in the viewer count: the user, else the visitor cookie */
  viewerKey: string;
  stream: StreamForRealtime | null;
  canModerate: boolean;
}

type RealtimeSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type RealtimeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

export const streamRoom = (streamId: string) => `stream:${streamId}`;

const uuid = z.uuid();
const JoinPayload = z.strictObject({ streamId: uuid });
const CommentPayload = z.strictObject({ text: z.string().max(2000) });
const LikePayload = z
  .strictObject({ count: z.number().int().min(1).max(10).optional() })
  .optional();
const DeletePayload = z.strictObject({ id: uuid });
const MutePayload = z.strictObject({
  userId: uuid,
  minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
});
const RemovePayload = z.strictObject({ userId: uuid });
const RemovedPayload = z.object({ userId: z.string() });

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function toAnswer(err: unknown): { error: { code: string; message: string } } {
  if (err instanceof AppError) return { error: { code: err.code, message: err.message } };
  if (isDatabaseUnavailable(err)) {
    return { error: { code: 'unavailable', message: 'The database is not answering; try again.' } };
  }
  return { error: { code: 'internal', message: 'Something went wrong on our side.' } };
}

function reply<T extends object>(ack: unknown, answer: Parameters<Ack<T>>[0]): void {
  if (typeof ack === 'function') (ack as Ack<T>)(answer);
}

export interface RealtimeHandle {
  io: RealtimeServer;
  close(): Promise<void>;
}

export async function attachRealtime(server: HttpServer, deps: AppDeps): Promise<RealtimeHandle> {
  const { config, db, logger } = deps;
  const io: RealtimeServer = new Server(server, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD,
    connectionStateRecovery: {
      maxDisconnectionDuration: RECOVERY_WINDOW_MS,
      skipMiddlewares: true,
    },
    allowRequest: (req, callback) => {
      const same = isSameOrigin(
        {
          origin: header(req, 'origin'),
          host: header(req, 'host'),
          forwardedHost: header(req, 'x-forwarded-host'),
          secFetchSite: header(req, 'sec-fetch-site'),
        },
        config,
      );
      callback(same ? null : 'forbidden_origin', same);
    },
  });

  const redis = config.REDIS_URL ? await connectRealtimeRedis(config.REDIS_URL, logger) : null;
  if (redis) io.adapter(redis.adapter);

  // Default: one comment per 2 s with a burst of 3 (BurstyRateLimiter lends 2 extra points
  // per 30 s once the steady limiter is spent).
  const limiter = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract =>
    redis
      ? redis.limiter({ keyPrefix, points, duration })
      : new RateLimiterMemory({ keyPrefix, points, duration });
  const commentLimiter = new BurstyRateLimiter(
    limiter('comment', 1, 2),
    limiter('comment-burst', 2, 30),
  );
  const likeLimiter = limiter('like', 10, 1);

  // Everyone may watch: a socket without a valid session joins read-only (comments, stock,
  // orders, viewers arrive; posting, liking and moderating need a session, a guest nickname
  // being enough). A signed-in socket carries its user.
  io.use((socket, next) => {
    const cookies = parseCookies(socket.request.headers.cookie ?? '');
    const token = cookies[SESSION_COOKIE];
    const visitor = cookies[VISITOR_COOKIE];
    const anonymousKey = `visitor:${isVisitorKey(visitor) ? visitor : socket.id}`;
    socket.data.stream = null;
    socket.data.canModerate = false;
    if (!token) {
      socket.data.user = null;
      socket.data.viewerKey = anonymousKey;
      next();
      return;
    }
    validateSessionToken(db, token, config.SESSION_DAYS).then(
      (session) => {
        socket.data.user = session ? userRowToUser(session.user) : null;
        socket.data.viewerKey = session ? session.user.id : anonymousKey;
        next();
      },
      (err: unknown) => {
        logger.error({ err }, 'socket handshake failed');
        next(new Error('internal'));
      },
    );
  });

  const signedIn = (socket: RealtimeSocket): User => {
    const user = socket.data.user;
    if (!user) throw new AppError('unauthenticated', 'Pick a nickname (or sign in) first.');
    return user;
  };

  // The sockets in a stream's room on every process; on this one alone while Redis, or
  // another process, does not answer (a count or a removal covering this process beats none).
  const roomSockets = (streamId: string) =>
    io
      .in(streamRoom(streamId))
      .fetchSockets()
      .catch((err: unknown) => {
        // Redis being away is logged once, by redis.ts
        if (redis?.connected) logger.warn({ err }, 'fetching sockets across processes failed');
        return io.local.in(streamRoom(streamId)).fetchSockets();
      });

  // Viewer counts: recounted at most once a second per stream, as distinct users.
  const pendingViewerCounts = new Map<string, NodeJS.Timeout>();
  const scheduleViewerCount = (streamId: string) => {
    if (pendingViewerCounts.has(streamId)) return;
    pendingViewerCounts.set(
      streamId,
      setTimeout(() => {
        pendingViewerCounts.delete(streamId);
        roomSockets(streamId)
          .then((sockets) => {
            // people watching: the shop's owner in the studio is not one of them
            const count = new Set(
              sockets
                .filter((s) => s.data.user?.id !== s.data.stream?.ownerId)
                .map((s) => s.data.viewerKey),
            ).size;
            io.to(streamRoom(streamId)).emit('viewers', { streamId, count });
          })
          .catch((err: unknown) => logger.warn({ err }, 'viewer count failed'));
      }, 1000),
    );
  };

  // Likes: summed per stream and written at most twice a second.
  const pendingLikes = new Map<string, number>();
  const likeFlush = setInterval(() => {
    for (const [streamId, count] of pendingLikes) {
      pendingLikes.delete(streamId);
      like(db, streamId, count).then(
        (total) => io.to(streamRoom(streamId)).emit('like', { streamId, count: total }),
        (err: unknown) => logger.warn({ err }, 'like flush failed'),
      );
    }
  }, 500);

  const unsubscribe = deps.realtime.subscribe((streamId, event, payload) => {
    // The bus is typed per event; socket.io's emit wants the same pair.
    (io.to(streamRoom(streamId)).emit as (e: string, p: unknown) => boolean)(event, payload);
    if (event === 'user:removed') {
      // told first (above), then taken out of the room on every node
      const removed = RemovedPayload.safeParse(payload);
      if (!removed.success) return;
      roomSockets(streamId)
        .then((sockets) => {
          for (const s of sockets) {
            if (s.data.user?.id === removed.data.userId) s.leave(streamRoom(streamId));
          }
          scheduleViewerCount(streamId);
        })
        .catch((err: unknown) => logger.warn({ err }, 'removing sockets failed'));
    }
  });

  io.on('connection', (socket: RealtimeSocket) => {
    if (socket.recovered && socket.data.stream) scheduleViewerCount(socket.data.stream.id);

    const inStream = (): StreamForRealtime => {
      const stream = socket.data.stream;
      if (!stream) throw new AppError('bad_request', 'Join a stream first.');
      return stream;
    };

    socket.on('stream:join', (raw, ack) => {
      void (async () => {
        try {
          const { streamId } = JoinPayload.parse(raw);
          const joined = await joinStream(db, socket.data.user, streamId);
          const previous = socket.data.stream;
          if (previous && previous.id !== streamId) {
            await socket.leave(streamRoom(previous.id));
            scheduleViewerCount(previous.id);
          }
          socket.data.stream = joined.stream;
          socket.data.canModerate = joined.canModerate;
          await socket.join(streamRoom(streamId));
          scheduleViewerCount(streamId);
          reply(ack, {
            ok: true,
            comments: joined.comments,
            likes: joined.likes,
            canModerate: joined.canModerate,
          });
        } catch (err) {
          reply(
            ack,
            err instanceof z.ZodError
              ? toAnswer(new AppError('validation_failed', 'Invalid stream id.'))
              : toAnswer(err),
          );
        }
      })();
    });

    socket.on('stream:leave', () => {
      const stream = socket.data.stream;
      if (!stream) return;
      socket.data.stream = null;
      void socket.leave(streamRoom(stream.id));
      scheduleViewerCount(stream.id);
    });

    socket.on('comment:send', (raw, ack) => {
      void (async () => {
        try {
          const parsed = CommentPayload.safeParse(raw);
          if (!parsed.success)
            throw new AppError(
              'validation_failed',
              'A comment is {text} of at most 200 characters.',
            );
          const stream = inStream();
          const user = signedIn(socket);
          // malformed comments are refused before they cost the writer a rate-limit point
          normaliseCommentText(parsed.data.text);
          try {
            await commentLimiter.consume(user.id);
          } catch (err) {
            if (err instanceof RateLimiterRes) {
              throw new AppError(
                'rate_limited',
                'You are commenting a little fast — try again in a moment.',
              );
            }
            throw err;
          }
          const comment = await postComment(db, user, stream, parsed.data.text);
          io.to(streamRoom(stream.id)).emit('comment:new', comment);
          reply(ack, { ok: true, id: comment.id });
        } catch (err) {
          if (!(err instanceof AppError)) logger.error({ err }, 'comment:send failed');
          reply(ack, toAnswer(err));
        }
      })();
    });

    socket.on('like', (raw) => {
      void (async () => {
        const parsed = LikePayload.safeParse(raw);
        const stream = socket.data.stream;
        // hearts need a session too, so an anonymous script cannot inflate them
        if (!parsed.success || !stream || !socket.data.user) return;
        try {
          await likeLimiter.consume(socket.data.user.id);
        } catch {
          return; // extra hearts are simply dropped
        }
        pendingLikes.set(stream.id, (pendingLikes.get(stream.id) ?? 0) + (parsed.data?.count ?? 1));
      })();
    });

    socket.on('comment:delete', (raw, ack) => {
      void (async () => {
        try {
          const parsed = DeletePayload.safeParse(raw);
          if (!parsed.success) throw new AppError('validation_failed', 'Invalid comment id.');
          const stream = inStream();
          await deleteComment(db, signedIn(socket), stream, parsed.data.id);
          io.to(streamRoom(stream.id)).emit('comment:deleted', {
            id: parsed.data.id,
            streamId: stream.id,
          });
          reply(ack, { ok: true });
        } catch (err) {
          reply(ack, toAnswer(err));
        }
      })();
    });

    socket.on('user:mute', (raw, ack) => {
      void (async () => {
        try {
          const parsed = MutePayload.safeParse(raw);
          if (!parsed.success)
            throw new AppError('validation_failed', 'Mute needs a user id and 1–1440 minutes.');
          const stream = inStream();
          const until = await muteUser(db, signedIn(socket), stream, parsed.data);
          const targets = await roomSockets(stream.id);
          for (const target of targets) {
            if (target.data.user?.id === parsed.data.userId) {
              target.emit('user:muted', { streamId: stream.id, until: until.toISOString() });
            }
          }
          reply(ack, { ok: true });
        } catch (err) {
          reply(ack, toAnswer(err));
        }
      })();
    });

    socket.on('user:remove', (raw, ack) => {
      void (async () => {
        try {
          const parsed = RemovePayload.safeParse(raw);
          if (!parsed.success) throw new AppError('validation_failed', 'Remove needs a user id.');
          const stream = inStream();
          // also disconnects them from LiveKit and refuses them a token from now on
          await removeStreamParticipant(deps, signedIn(socket), stream.id, parsed.data.userId);
          reply(ack, { ok: true });
        } catch (err) {
          if (!(err instanceof AppError)) logger.error({ err }, 'user:remove failed');
          reply(ack, toAnswer(err));
        }
      })();
    });

    socket.on('disconnect', () => {
      const stream = socket.data.stream;
      if (stream) scheduleViewerCount(stream.id);
    });
  });

  return {
    io,
    close: async () => {
      unsubscribe();
      clearInterval(likeFlush);
      for (const timer of pendingViewerCounts.values()) clearTimeout(timer);
      await io.close();
      await redis?.close();
    },
  };
}
