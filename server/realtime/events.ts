// The one typed event map of the realtime layer (SPEC.md, "Realtime"), shared by the server
// and the web client. The payloads are the zod schemas of server/contracts/realtime.ts; this
// file only says which event carries which.
import type { z } from 'zod';
import type {
  AckError,
  CommentDeletePayload,
  CommentSendPayload,
  CommentSent,
  LikePayload,
  ServerEventName,
  ServerEventPayload,
  StreamJoinPayload,
  StreamJoined,
  UserMutePayload,
  UserRemovePayload,
} from '../contracts/realtime';
import type { JielongList, JielongListPayload } from '../contracts/jielong';

export type {
  CommentPayload,
  GroupReachedPayload,
  OfferUpdatePayload,
  OrderNewPayload,
  StreamStatusPayload,
  StreamUpdatePayload,
} from '../contracts/realtime';
export type { OfferTerms } from '../contracts/offer';
export type { Segment } from '../contracts/stream';

/** Server → the clients in a stream's room. */
export type ServerToClientEvents = {
  [E in ServerEventName]: (payload: ServerEventPayload<E>) => void;
};

export type Ack<T = object> = (answer: ({ ok: true } & T) | AckError) => void;

/** Client → server. */
export interface ClientToServerEvents {
  'stream:join': (
    payload: z.infer<typeof StreamJoinPayload>,
    ack?: Ack<z.infer<typeof StreamJoined>>,
  ) => void;
  'stream:leave': (payload: z.infer<typeof StreamJoinPayload>) => void;
  'comment:send': (
    payload: z.infer<typeof CommentSendPayload>,
    ack?: Ack<z.infer<typeof CommentSent>>,
  ) => void;
  like: (payload?: z.infer<typeof LikePayload>) => void;
  /** The 接龙 list of an offer of the joined stream (its orders, names masked). */
  'jielong:list': (
    payload: z.infer<typeof JielongListPayload>,
    ack?: Ack<z.infer<typeof JielongList>>,
  ) => void;
  'comment:delete': (payload: z.infer<typeof CommentDeletePayload>, ack?: Ack) => void;
  'user:mute': (payload: z.infer<typeof UserMutePayload>, ack?: Ack) => void;
  'user:remove': (payload: z.infer<typeof UserRemovePayload>, ack?: Ack) => void;
}

/** Anything the server emits to a stream's room, by event name and payload. */
export type StreamEventName = ServerEventName;
export type StreamEventPayload<E extends StreamEventName> = ServerEventPayload<E>;
