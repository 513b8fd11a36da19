import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { parse as parseCookies } from 'hono/utils/cookie';
import {
  BurstyRateLimiter,
  RateLimiterMemory,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { Server } from 'socket.io';
import type { AppDeps } from '../context';
import { isSameOrigin } from '../middleware/edge';
import { isVisitorKey, VISITOR_COOKIE } from '../http/visitor';
import { userRowToUser } from '../services/auth.service';
import { onSessionEnded, SESSION_COOKIE, validateSessionToken } from '../services/session.service';
import { commentHandlers } from './handlers/comment.handlers';
import type { HandlerContext } from './handlers/context';
import { moderationHandlers } from './handlers/moderation.handlers';
import { streamHandlers } from './handlers/stream.handlers';
import { connectRealtimeRedis } from './redis';
import { createRooms } from './rooms';
import type { RealtimeServer, RealtimeSocket } from './types';

export { streamRoom, type RealtimeServer } from './types';

/** Every socket signed in by one session: closed together when the session ends. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
/** A user's sockets on the /me namespace (their notices). */
export const userRoom = (userId: string) => `user:${userId}`;

// socket.io on the app's own HTTP server: authenticated by the session cookie during the
// handshake, same-origin only, small payloads, one stream room per socket. Services announce
// committed changes on the bus; rooms.ts fans them out to the stream's room. With
// REDIS_URL, rooms span processes through the Redis streams adapter, which also keeps
// connection-state recovery working across nodes; while Redis is away, each process carries
// on with its own sockets (see redis.ts). The actions clients send are handled by event
// group in handlers/, each through the one wrapper in ask.ts.

/** Largest message a client may send. Comments are 200 characters; 4 KiB is plenty. */
export const MAX_SOCKET_PAYLOAD = 4 * 1024;
/** A client that comes back within this long receives what it missed. */
export const RECOVERY_WINDOW_MS = 2 * 60_000;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
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
  const rooms = createRooms(io, deps, redis);
  const ctx: HandlerContext = {
    io,
    deps,
    rooms,
    limits: {
      comment: new BurstyRateLimiter(limiter('comment', 1, 2), limiter('comment-burst', 2, 30)),
      like: limiter('like', 10, 1),
      // the order route's key prefix (http/limits.ts), so with Redis one counter covers both
      order: limiter('linli:orders:buyer', config.ORDERS_PER_BUYER_PER_MINUTE, 60),
    },
  };

  // Everyone may watch: a socket without a valid session joins read-only (comments, stock,
  // orders, viewers arrive; posting, liking and moderating need a session, a guest nickname
  // being enough). A signed-in socket carries its user.
  // The session each socket was signed in by, until it connects and joins the session's room.
  const handshakeSessions = new WeakMap<RealtimeSocket, string>();
  io.use((socket, next) => {
    const cookies = parseCookies(socket.request.headers.cookie ?? '');
    const token = cookies[SESSION_COOKIE];
    const visitor = cookies[VISITOR_COOKIE];
    const anonymousKey = `visitor:${isVisitorKey(visitor) ? visitor : socket.id}`;
    socket.data.stream = null;
    socket.data.canModerate = false;
    socket.data.visitorKey = isVisitorKey(visitor) ? visitor : undefined;
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
        if (session) handshakeSessions.set(socket, session.sessionId);
        next();
      },
      (err: unknown) => {
        logger.error({ err }, 'socket handshake failed');
        next(new Error('internal'));
      },
    );
  });

  io.on('connection', (socket: RealtimeSocket) => {
    const sessionId = handshakeSessions.get(socket);
    if (sessionId) void socket.join(sessionRoom(sessionId));
    streamHandlers(socket, ctx);
    commentHandlers(socket, ctx);
    moderationHandlers(socket, ctx);
  });

  const { me, stop: stopNotices } = attachNotices(io, deps);

  // Signed out: the session's sockets close on every process (through the Redis adapter when
  // there is one). A client may connect again, and then does so without the session.
  const stopSessionEnded = onSessionEnded((sessionId) => {
    try {
      io.in(sessionRoom(sessionId)).disconnectSockets();
      me.in(sessionRoom(sessionId)).disconnectSockets();
    } catch (err) {
      // Redis away: this process's sockets at least (the others' cannot be reached now)
      logger.warn({ err }, 'closing a signed-out session’s sockets across processes failed');
      io.local.in(sessionRoom(sessionId)).disconnectSockets();
      me.local.in(sessionRoom(sessionId)).disconnectSockets();
    }
  });

  return {
    io,
    close: async () => {
      stopSessionEnded();
      stopNotices();
      rooms.close();
      await io.close();
      await redis?.close();
    },
  };
}

/**
 * The bell (issue 14.6): a signed-in page's own notices, on the /me namespace, which joins
 * no stream. Each socket is in its user's room (notices) and its session's (sign-out).
 */
function attachNotices(io: RealtimeServer, deps: AppDeps) {
  const { config, db, logger } = deps;
  const me = io.of('/me');
  me.use((socket, next) => {
    const token = parseCookies(socket.request.headers.cookie ?? '')[SESSION_COOKIE];
    if (!token) {
      next(new Error('unauthenticated'));
      return;
    }
    validateSessionToken(db, token, config.SESSION_DAYS).then(
      (session) => {
        if (!session) {
          next(new Error('unauthenticated'));
          return;
        }
        socket.data.user = userRowToUser(session.user);
        void socket.join([userRoom(session.user.id), sessionRoom(session.sessionId)]);
        next();
      },
      (err: unknown) => {
        logger.error({ err }, 'socket handshake failed');
        next(new Error('internal'));
      },
    );
  });
  const stop = deps.realtime.onUserNotice((userId, payload) => {
    me.to(userRoom(userId)).emit('notification:new', payload);
  });
  return { me, stop };
}
