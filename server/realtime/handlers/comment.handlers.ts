import { RateLimiterRes } from 'rate-limiter-flexible';
import { CommentDeletePayload, CommentSendPayload, LikePayload } from '../../contracts/realtime';
import { AppError } from '../../errors';
import { deleteComment, normaliseCommentText, postComment } from '../../services/comment.service';
import { inStream, onAsk, signedIn } from '../ask';
import { streamRoom, type RealtimeSocket } from '../types';
import type { HandlerContext } from './context';

// hearts may come without a payload (one heart)
const OptionalLikePayload = LikePayload.optional();

/** Comments and hearts: posting needs a session (a guest nickname is enough). */
export function commentHandlers(socket: RealtimeSocket, ctx: HandlerContext): void {
  const { io, deps, rooms, limits } = ctx;

  onAsk(
    socket,
    deps.logger,
    'comment:send',
    CommentSendPayload,
    'A comment is {text} of at most 200 characters.',
    async ({ text }) => {
      const stream = inStream(socket);
      const user = signedIn(socket);
      // malformed comments are refused before they cost the writer a rate-limit point
      normaliseCommentText(text);
      try {
        await limits.comment.consume(user.id);
      } catch (err) {
        if (err instanceof RateLimiterRes) {
          throw new AppError(
            'rate_limited',
            'You are commenting a little fast — try again in a moment.',
          );
        }
        throw err;
      }
      const comment = await postComment(deps.db, user, stream, text);
      io.to(streamRoom(stream.id)).emit('comment:new', comment);
      return { id: comment.id };
    },
  );

  onAsk(
    socket,
    deps.logger,
    'comment:delete',
    CommentDeletePayload,
    'Invalid comment id.',
    async (p) => {
      const stream = inStream(socket);
      await deleteComment(deps.db, signedIn(socket), stream, p.id);
      io.to(streamRoom(stream.id)).emit('comment:deleted', { id: p.id, streamId: stream.id });
    },
  );

  // Hearts have no ack: extra or malformed ones are simply dropped.
  socket.on('like', (raw) => {
    void (async () => {
      const parsed = OptionalLikePayload.safeParse(raw);
      const stream = socket.data.stream;
      // hearts need a session too, so an anonymous script cannot inflate them
      if (!parsed.success || !stream || !socket.data.user) return;
      try {
        await limits.like.consume(socket.data.user.id);
      } catch {
        return;
      }
      rooms.addLikes(stream.id, parsed.data?.count ?? 1);
    })();
  });
}
