// The realtime layer's payloads (SPEC.md, "Realtime"): one schema per payload, and one
// builder per commerce event so every place that announces a change sends the same shape.
// Events are `noun:verb`. Money is integer cents; times are ISO strings.
import { z } from 'zod';
import { hasNoNul, NO_NUL } from './common';
import { Order } from './order';
import { OfferStatus, OfferTerms } from './offer';
import { Segment, StreamStatus } from './stream';
import { NotificationNewPayload } from './notification';
import { WaitlistOfferPayload } from './waitlist';

/**
 * The author's standing in the stream when they wrote, decided by the server (never sent by
 * a client): the comment list shows it as a badge. null for everyone else.
 */
export const CommentRole = z.enum(['owner', 'cohost', 'moderator']);
export type CommentRole = z.infer<typeof CommentRole>;

export const CommentPayload = z.object({
  id: z.string(),
  streamId: z.string(),
  userId: z.string(),
  name: z.string(),
  text: z.string(),
  createdAt: z.string(),
  role: CommentRole.nullable(),
});
export type CommentPayload = z.infer<typeof CommentPayload>;

export const CommentDeletedPayload = z.object({ id: z.string(), streamId: z.string() });
export type CommentDeletedPayload = z.infer<typeof CommentDeletedPayload>;

/** The leader an order is attributed to, as the overlay and the 团长榜 name their group. */
export const OrderLeader = z.object({
  leaderId: z.string(),
  displayName: z.string(),
  community: z.string().nullable(),
});
export type OrderLeader = z.infer<typeof OrderLeader>;

export const OrderNewPayload = z.object({
  streamId: z.string(),
  offerId: z.string(),
  /** Lets a client drop a repeated event: commerce events are delivered at least once. */
  orderId: z.string().optional(),
  /** The buyer's name masked, e.g. 王** */
  buyerName: z.string(),
  productName: z.string(),
  quantity: z.number(),
  createdAt: z.string(),
  /** The attributed leader; null without one (absent from events of older servers). */
  leader: OrderLeader.nullable().optional(),
});
export type OrderNewPayload = z.infer<typeof OrderNewPayload>;

export const OfferUpdatePayload = z.object({
  streamId: z.string(),
  offerId: z.string(),
  remaining: z.number(),
  /** Units (or buyers) counted towards the group threshold; 0 for non-group offers. */
  groupCount: z.number(),
  status: OfferStatus,
  /**
   * The offer's terms, sent when the owner edits it (stock-only updates from orders leave
   * them out: a client keeps the last terms it heard, or its own read, until new ones come).
   */
  terms: OfferTerms.optional(),
});
export type OfferUpdatePayload = z.infer<typeof OfferUpdatePayload>;

export const OfferPinnedPayload = z.object({
  streamId: z.string(),
  offerId: z.string().nullable(),
});
export type OfferPinnedPayload = z.infer<typeof OfferPinnedPayload>;

export const GroupReachedPayload = z.object({
  streamId: z.string(),
  offerId: z.string(),
  productName: z.string(),
  groupCount: z.number(),
  groupMin: z.number(),
});
export type GroupReachedPayload = z.infer<typeof GroupReachedPayload>;

export const StreamStatusPayload = z.object({
  streamId: z.string(),
  status: StreamStatus,
  segment: Segment.nullable().optional(),
  /** With `ended`: until when its offers still sell (absent from older servers). */
  saleEndsAt: z.string().nullable().optional(),
});
export type StreamStatusPayload = z.infer<typeof StreamStatusPayload>;

/** The owner edited the stream: its title, and while scheduled its time and cover. */
export const StreamUpdatePayload = z.object({
  streamId: z.string(),
  title: z.string(),
  scheduledAt: z.string().nullable(),
  coverUrl: z.string().nullable(),
  /** Whether viewers see the 团长榜 (absent from older servers: shown). */
  leaderboardHidden: z.boolean().optional(),
  /** Until when the offers sell after the live (absent from older servers). */
  saleEndsAt: z.string().nullable().optional(),
});
export type StreamUpdatePayload = z.infer<typeof StreamUpdatePayload>;

export const StreamSegmentPayload = z.object({
  streamId: z.string(),
  segment: Segment.nullable(),
  at: z.string(),
});
export type StreamSegmentPayload = z.infer<typeof StreamSegmentPayload>;

/** `viewers` and `like`: a count for the stream. */
export const CountPayload = z.object({ streamId: z.string(), count: z.number() });
export type CountPayload = z.infer<typeof CountPayload>;

export const UserMutedPayload = z.object({ streamId: z.string(), until: z.string() });
export type UserMutedPayload = z.infer<typeof UserMutedPayload>;

/**
 * The owner appointed (`moderator: true`) or dismissed a moderator of the stream's shop: that
 * person's page widens or narrows its moderation controls (the server re-checks every step).
 */
export const ModeratorChangedPayload = z.object({
  streamId: z.string(),
  userId: z.string(),
  moderator: z.boolean(),
});
export type ModeratorChangedPayload = z.infer<typeof ModeratorChangedPayload>;

/** `cohost:invited`, `cohost:removed` and `user:removed`. */
export const StreamUserPayload = z.object({ streamId: z.string(), userId: z.string() });
export type StreamUserPayload = z.infer<typeof StreamUserPayload>;

/** Server → the clients in a stream's room, by event name. */
export const serverEvents = {
  'comment:new': CommentPayload,
  'comment:deleted': CommentDeletedPayload,
  'order:new': OrderNewPayload,
  'offer:update': OfferUpdatePayload,
  'offer:pinned': OfferPinnedPayload,
  'group:reached': GroupReachedPayload,
  'stream:status': StreamStatusPayload,
  'stream:update': StreamUpdatePayload,
  'stream:segment': StreamSegmentPayload,
  viewers: CountPayload,
  /** The stream's total likes, sent at most twice a second. */
  like: CountPayload,
  /** Sent to the muted user only. */
  'user:muted': UserMutedPayload,
  'cohost:invited': StreamUserPayload,
  'cohost:removed': StreamUserPayload,
  'user:removed': StreamUserPayload,
  'moderator:changed': ModeratorChangedPayload,
  /** Sent to one resident only (its `userId`): a unit of a sold-out offer is held for them. */
  'waitlist:offer': WaitlistOfferPayload,
  /** On the `/me` namespace, to the recipient alone: a new notice for the bell. */
  'notification:new': NotificationNewPayload,
} as const;
export type ServerEventName = keyof typeof serverEvents;
export type ServerEventPayload<E extends ServerEventName> = z.infer<(typeof serverEvents)[E]>;

// Client → server: what the socket handlers accept.

export const StreamJoinPayload = z.strictObject({ streamId: z.uuid() });
export const StreamJoined = z.object({
  /** The last 50 visible comments, oldest first. */
  comments: z.array(CommentPayload),
  likes: z.number(),
  /** Whether this user may delete comments, mute and remove people here. */
  canModerate: z.boolean(),
  /** This user's standing here (owner, accepted co-host, the shop's moderator), if any. */
  role: CommentRole.nullable().optional(),
  /** The signed-in user's id; null for a visitor without a session. */
  userId: z.string().nullable().optional(),
});
export type StreamJoined = z.infer<typeof StreamJoined>;
/**
 * The text is checked further (length, blocked words) by the comment service. `clientId`
 * names the message (a uuid the client makes once per message and keeps when it resends):
 * a "+1" (接龙) orders under the Idempotency-Key `chat:<clientId>`, so a resend buys once.
 */
export const CommentSendPayload = z.strictObject({
  text: z.string().max(2000).refine(hasNoNul, NO_NUL),
  clientId: z.uuid().optional(),
});
/**
 * `id`: the comment posted (absent when a resent "+1" only answers its first order).
 * `order`: the order a "+N" placed, for the sender alone (`replayed` when it was a resend).
 */
export const CommentSent = z.object({
  id: z.string().optional(),
  order: Order.optional(),
  replayed: z.boolean().optional(),
});
export const LikePayload = z.strictObject({ count: z.number().int().min(1).max(10).optional() });
export const CommentDeletePayload = z.strictObject({ id: z.uuid() });
export const UserMutePayload = z.strictObject({
  userId: z.uuid(),
  minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
});
export const UserRemovePayload = z.strictObject({ userId: z.uuid() });

/**
 * The answer to a client's request: `{ ok: true, …}` or `{ ok: false, error }` (the API's
 * error shape; `limit` for limit_exceeded, as the order route answers it).
 */
export const AckError = z.object({
  ok: z.literal(false).optional(),
  error: z.object({
    code: z.string(),
    message: z.string(),
    limit: z.object({ perBuyer: z.number(), held: z.number() }).optional(),
  }),
});
export type AckError = z.infer<typeof AckError>;

// One builder per commerce event: every service that announces a change, and the outbox
// sweep, build the payload through these.

/** An offer's stock and standing, as every `offer:update` tells it. */
export interface OfferState {
  streamId: string;
  offerId: string;
  quantity: number;
  remaining: number;
  groupMin: number | null;
  status: OfferStatus;
}

export function offerUpdate(offer: OfferState, terms?: OfferTerms): OfferUpdatePayload {
  return {
    streamId: offer.streamId,
    offerId: offer.offerId,
    remaining: offer.remaining,
    groupCount: offer.groupMin === null ? 0 : offer.quantity - offer.remaining,
    status: offer.status,
    ...(terms ? { terms } : {}),
  };
}

export function orderNew(order: {
  streamId: string;
  offerId: string;
  orderId: string;
  /** already masked */
  buyerName: string;
  productName: string;
  quantity: number;
  createdAt: Date;
  leader: OrderLeader | null;
}): OrderNewPayload {
  return {
    streamId: order.streamId,
    offerId: order.offerId,
    orderId: order.orderId,
    buyerName: order.buyerName,
    productName: order.productName,
    quantity: order.quantity,
    createdAt: order.createdAt.toISOString(),
    leader: order.leader && {
      leaderId: order.leader.leaderId,
      displayName: order.leader.displayName,
      community: order.leader.community,
    },
  };
}

export function groupReached(offer: {
  streamId: string;
  offerId: string;
  productName: string;
  groupCount: number;
  groupMin: number;
}): GroupReachedPayload {
  return {
    streamId: offer.streamId,
    offerId: offer.offerId,
    productName: offer.productName,
    groupCount: offer.groupCount,
    groupMin: offer.groupMin,
  };
}
