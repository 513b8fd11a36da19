import type { Server, Socket } from 'socket.io';
import type { StreamForRealtime } from '../../db/repositories/comment.repository';
import type { User } from '../services/auth.service';
import type { ClientToServerEvents, ServerToClientEvents } from './events';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
interface InterServerEvents {}

export interface SocketData {
  /** null: a visitor without a session, who watches but cannot post, like or moderate */
  user: User | null;
  /** who this socket counts as in the viewer count: the user, else the visitor cookie */
  viewerKey: string;
  /** The visitor cookie of the handshake, if it carried one: a "+1" is attributed by it. */
  visitorKey?: string | undefined;
  stream: StreamForRealtime | null;
  canModerate: boolean;
}

export type RealtimeSocket = Socket<
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
