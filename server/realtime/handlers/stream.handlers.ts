import { StreamJoinPayload } from '../../contracts/realtime';
import { joinStream } from '../../services/comment.service';
import { onAsk } from '../ask';
import { streamRoom, type RealtimeSocket } from '../types';
import type { HandlerContext } from './context';

/** Joining and leaving a stream's room; viewer counts follow. */
export function streamHandlers(socket: RealtimeSocket, { deps, rooms }: HandlerContext): void {
  if (socket.recovered && socket.data.stream) rooms.recountViewers(socket.data.stream.id);

  onAsk(socket, deps.logger, 'stream:join', StreamJoinPayload, 'Invalid stream id.', async (p) => {
    const joined = await joinStream(deps.db, socket.data.user, p.streamId);
    const previous = socket.data.stream;
    if (previous && previous.id !== p.streamId) {
      await socket.leave(streamRoom(previous.id));
      rooms.recountViewers(previous.id);
    }
    socket.data.stream = joined.stream;
    socket.data.canModerate = joined.canModerate;
    await socket.join(streamRoom(p.streamId));
    rooms.recountViewers(p.streamId);
    return {
      comments: joined.comments,
      likes: joined.likes,
      canModerate: joined.canModerate,
      role: joined.role,
      userId: socket.data.user?.id ?? null,
    };
  });

  socket.on('stream:leave', () => {
    const stream = socket.data.stream;
    if (!stream) return;
    socket.data.stream = null;
    void socket.leave(streamRoom(stream.id));
    rooms.recountViewers(stream.id);
  });

  socket.on('disconnect', () => {
    const stream = socket.data.stream;
    if (stream) rooms.recountViewers(stream.id);
  });
}
