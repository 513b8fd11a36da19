import { StreamUserPayload } from '../contracts/realtime';
import { WaitlistOfferPayload } from '../contracts/waitlist';
import type { AppDeps } from '../context';
import { like } from '../services/comment.service';
import type { RealtimeRedis } from './redis';
import { streamRoom, type RealtimeServer } from './types';

/** What the socket layer keeps per stream room: viewer counts, pending hearts, the bus. */
export interface Rooms {
  /** The sockets in a stream's room on every process (this one alone while Redis is away). */
  sockets(streamId: string): ReturnType<ReturnType<RealtimeServer['in']>['fetchSockets']>;
  /** Recounts the stream's viewers within a second (at most once a second). */
  recountViewers(streamId: string): void;
  /** Adds hearts, written and announced at most twice a second. */
  addLikes(streamId: string, count: number): void;
  close(): void;
}

export function createRooms(
  io: RealtimeServer,
  deps: Pick<AppDeps, 'db' | 'logger' | 'realtime'>,
  redis: RealtimeRedis | null,
): Rooms {
  const { db, logger } = deps;

  const sockets = (streamId: string) =>
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
  const recountViewers = (streamId: string) => {
    if (pendingViewerCounts.has(streamId)) return;
    pendingViewerCounts.set(
      streamId,
      setTimeout(() => {
        pendingViewerCounts.delete(streamId);
        sockets(streamId)
          .then((list) => {
            // people watching: the shop's owner in the studio is not one of them
            const count = new Set(
              list
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

  // Services announce committed changes on the bus; they go to the stream's room.
  const unsubscribe = deps.realtime.subscribe((streamId, event, payload) => {
    if (event === 'waitlist:offer') {
      // for one resident only: their sockets in the room, on every node
      const offer = WaitlistOfferPayload.safeParse(payload);
      if (!offer.success) return;
      sockets(streamId)
        .then((list) => {
          for (const s of list) {
            if (s.data.user?.id === offer.data.userId) s.emit('waitlist:offer', offer.data);
          }
        })
        .catch((err: unknown) => logger.warn({ err }, 'waitlist notice failed'));
      return;
    }
    // The bus is typed per event; socket.io's emit wants the same pair.
    (io.to(streamRoom(streamId)).emit as (e: string, p: unknown) => boolean)(event, payload);
    if (event === 'user:removed') {
      // told first (above), then taken out of the room on every node
      const removed = StreamUserPayload.safeParse(payload);
      if (!removed.success) return;
      sockets(streamId)
        .then((list) => {
          for (const s of list) {
            if (s.data.user?.id === removed.data.userId) s.leave(streamRoom(streamId));
          }
          recountViewers(streamId);
        })
        .catch((err: unknown) => logger.warn({ err }, 'removing sockets failed'));
    }
  });

  return {
    sockets,
    recountViewers,
    addLikes: (streamId, count) =>
      pendingLikes.set(streamId, (pendingLikes.get(streamId) ?? 0) + count),
    close: () => {
      unsubscribe();
      clearInterval(likeFlush);
      for (const timer of pendingViewerCounts.values()) clearTimeout(timer);
    },
  };
}
