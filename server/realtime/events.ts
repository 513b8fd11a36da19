// The one typed event map of the realtime layer (SPEC.md, "Realtime"), shared by the server
// and the web client. Events are `noun:verb`. Money is integer cents; times are ISO strings.

export type Segment = 'sourcing' | 'kitchen' | 'tasting' | 'qa';

export interface CommentPayload {
  id: string;
  streamId: string;
  userId: string;
  name: string;
  text: string;
  createdAt: string;
}

export interface OrderNewPayload {
  streamId: string;
  offerId: string;
  /** Lets a client drop a repeated event: commerce events are delivered at least once. */
  orderId?: string;
  /** The buyer's name masked, e.g. 王** */
  buyerName: string;
  productName: string;
  quantity: number;
  createdAt: string;
}

export interface OfferUpdatePayload {
  streamId: string;
  offerId: string;
  remaining: number;
  /** Units (or buyers) counted towards the group threshold; 0 for non-group offers. */
  groupCount: number;
  status: 'open' | 'sold_out' | 'group_reached' | 'group_failed' | 'closed';
  /**
   * The offer's terms, sent when the owner edits it (stock-only updates from orders leave
   * them out: a client keeps the last terms it heard, or its own read, until new ones come).
   */
  terms?: OfferTerms;
}

/** What the owner can change about an offer after putting it on sale. */
export interface OfferTerms {
  priceCents: number;
  quantity: number;
  perBuyerLimit: number | null;
  groupMin: number | null;
  groupDeadline: string | null;
}

export interface GroupReachedPayload {
  streamId: string;
  offerId: string;
  productName: string;
  groupCount: number;
  groupMin: number;
}

/** The owner edited the stream: its title, and while scheduled its time and cover. */
export interface StreamUpdatePayload {
  streamId: string;
  title: string;
  scheduledAt: string | null;
  coverUrl: string | null;
}

export interface StreamStatusPayload {
  streamId: string;
  status: 'scheduled' | 'live' | 'ended';
  segment?: Segment | null;
}

/** Server → the clients in a stream's room. */
export interface ServerToClientEvents {
  'comment:new': (comment: CommentPayload) => void;
  'comment:deleted': (payload: { id: string; streamId: string }) => void;
  'order:new': (payload: OrderNewPayload) => void;
  'offer:update': (payload: OfferUpdatePayload) => void;
  'offer:pinned': (payload: { streamId: string; offerId: string | null }) => void;
  'group:reached': (payload: GroupReachedPayload) => void;
  'stream:status': (payload: StreamStatusPayload) => void;
  'stream:update': (payload: StreamUpdatePayload) => void;
  'stream:segment': (payload: { streamId: string; segment: Segment | null; at: string }) => void;
  viewers: (payload: { streamId: string; count: number }) => void;
  /** The stream's total likes, sent at most twice a second. */
  like: (payload: { streamId: string; count: number }) => void;
  /** Sent to the muted user only. */
  'user:muted': (payload: { streamId: string; until: string }) => void;
  'cohost:invited': (payload: { streamId: string; userId: string }) => void;
  'cohost:removed': (payload: { streamId: string; userId: string }) => void;
  'user:removed': (payload: { streamId: string; userId: string }) => void;
}

export type Ack<T = object> = (
  answer: ({ ok: true } & T) | { error: { code: string; message: string } },
) => void;

/** Client → server. */
export interface ClientToServerEvents {
  'stream:join': (
    payload: { streamId: string },
    ack?: Ack<{
      /** The last 50 visible comments, oldest first. */
      comments: CommentPayload[];
      likes: number;
      /** Whether this user may delete comments, mute and remove people here. */
      canModerate: boolean;
    }>,
  ) => void;
  'stream:leave': (payload: { streamId: string }) => void;
  'comment:send': (payload: { text: string }, ack?: Ack<{ id: string }>) => void;
  like: (payload?: { count?: number }) => void;
  'comment:delete': (payload: { id: string }, ack?: Ack) => void;
  'user:mute': (payload: { userId: string; minutes: number }, ack?: Ack) => void;
  'user:remove': (payload: { userId: string }, ack?: Ack) => void;
}

/** Anything the server emits to a stream's room, by event name and payload. */
export type StreamEventName = keyof ServerToClientEvents;
export type StreamEventPayload<E extends StreamEventName> = Parameters<ServerToClientEvents[E]>[0];
