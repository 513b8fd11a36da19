import { UserMutePayload, UserRemovePayload } from '../../contracts/realtime';
import { muteUser } from '../../services/comment.service';
import { removeStreamParticipant } from '../../services/stage.service';
import { inStream, onAsk, signedIn } from '../ask';
import type { RealtimeSocket } from '../types';
import type { HandlerContext } from './context';

/** Muting and removing people: the owner, co-hosts and moderators (checked by the services). */
export function moderationHandlers(socket: RealtimeSocket, { deps, rooms }: HandlerContext): void {
  onAsk(
    socket,
    deps.logger,
    'user:mute',
    UserMutePayload,
    'Mute needs a user id and 1–1440 minutes.',
    async (p) => {
      const stream = inStream(socket);
      const until = await muteUser(deps.db, signedIn(socket), stream, p);
      for (const target of await rooms.sockets(stream.id)) {
        if (target.data.user?.id === p.userId) {
          target.emit('user:muted', { streamId: stream.id, until: until.toISOString() });
        }
      }
    },
  );

  onAsk(
    socket,
    deps.logger,
    'user:remove',
    UserRemovePayload,
    'Remove needs a user id.',
    async (p) => {
      const stream = inStream(socket);
      // also disconnects them from LiveKit and refuses them a token from now on
      await removeStreamParticipant(deps, signedIn(socket), stream.id, p.userId);
    },
  );
}
