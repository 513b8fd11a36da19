import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { JielongListPayload, parseJielong } from '../../contracts/jielong';
import { CommentDeletePayload, CommentSendPayload, LikePayload } from '../../contracts/realtime';
import { AppError } from '../../errors';
import type { User } from '../../services/auth.service';
import { deleteComment, normaliseCommentText, postComment } from '../../services/comment.service';
import { jielongList, orderFromChat } from '../../services/jielong.service';
import type { StreamForRealtime } from '../../../db/repositories/comment.repository';
import { inStream, onAsk, signedIn } from '../ask';
import { streamRoom, type RealtimeSocket } from '../types';
import type { HandlerContext } from './context';

// hearts may come without a payload (one heart)
const OptionalLikePayload = LikePayload.optional();

/** Spends one point of `key`, or refuses with `rate_limited` and `message`. */
async function spend(
  limit: Pick<RateLimiterAbstract, 'consume'>,
  key: string,
  message: string,
): Promise<void> {
  try {
    await limit.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw new AppError('rate_limited', message);
    throw err;
  }
}

/** Comments and hearts: posting needs a session (a guest nickname is enough). */
export function commentHandlers(socket: RealtimeSocket, ctx: HandlerContext): void {
  const { io, deps, rooms, limits } = ctx;

  /**
   * A "+N" (接龙): the order goes through placeOrder (jielong.service); only the sender hears
   * the answer. A refusal (sold out, over the limit, nothing pinned, no phone yet) is not
   * posted: nobody else needs to read a failed "+1". An order is posted as the comment it is,
   * so the room sees the 接龙 grow in the chat where people are looking and joins in (the
   * bubble and the 接龙 strip under the card follow from the order's own `order:new`).
   */
  async function jielong(
    user: User,
    stream: StreamForRealtime,
    text: string,
    quantity: number,
    clientId: string | undefined,
  ) {
    await spend(limits.order, user.id, 'Too many orders in a minute; wait a moment and try again.');
    const { order, replayed } = await orderFromChat(deps, user, stream, {
      quantity,
      clientId,
      visitorKey: socket.data.visitorKey,
    });
    // a resend: the order and its comment were made the first time
    if (replayed) return { order, replayed };
    try {
      const comment = await postComment(deps.db, user, stream, text);
      io.to(streamRoom(stream.id)).emit('comment:new', comment);
      return { id: comment.id, order, replayed };
    } catch (err) {
      // Muted (or the line is a blocked word): the order stands, the chat line does not.
      if (!(err instanceof AppError)) deps.logger.warn({ err }, 'jielong comment not posted');
      return { order, replayed };
    }
  }

  onAsk(
    socket,
    deps.logger,
    'comment:send',
    CommentSendPayload,
    'A comment is {text} of at most 200 characters.',
    async ({ text, clientId }) => {
      const stream = inStream(socket);
      const user = signedIn(socket);
      // malformed comments are refused before they cost the writer a rate-limit point
      normaliseCommentText(text);
      await spend(
        limits.comment,
        user.id,
        'You are commenting a little fast — try again in a moment.',
      );
      const quantity = parseJielong(text);
      if (quantity !== null) return jielong(user, stream, text, quantity, clientId);
      const comment = await postComment(deps.db, user, stream, text);
      io.to(streamRoom(stream.id)).emit('comment:new', comment);
      return { id: comment.id };
    },
  );

  // Anyone in the room may read it: the names are masked, as in every `order:new`.
  onAsk(
    socket,
    deps.logger,
    'jielong:list',
    JielongListPayload,
    'Invalid offer id.',
    async ({ offerId }) => {
      const stream = inStream(socket);
      return { entries: await jielongList(deps.db, stream.id, offerId) };
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
