import { z } from 'zod';
import { IsoTime, lineOfText, OwnImageUrl } from './common';
import { Offer } from './offer';

export const STREAM_STATUSES = ['scheduled', 'live', 'ended'] as const;
export const StreamStatus = z.enum(STREAM_STATUSES);
export type StreamStatus = z.infer<typeof StreamStatus>;

/** What the owner says the camera shows now (源头 / 后厨 / 试吃 / 问答). */
// No OpenAPI name: zod-to-openapi 9 drops the null of a named schema made nullable.
export const Segment = z.enum(['sourcing', 'kitchen', 'tasting', 'qa']);
export type Segment = z.infer<typeof Segment>;

/** public: anyone watches; members: the shop's members alone (and its owner and staff). */
export const StreamVisibility = z.enum(['public', 'members']);
export type StreamVisibility = z.infer<typeof StreamVisibility>;

export const StreamSummary = z
  .object({
    id: z.string(),
    title: z.string(),
    status: StreamStatus,
    scheduledAt: z.string().nullable(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    coverUrl: z.string().nullable(),
    visibility: StreamVisibility,
  })
  .meta({ id: 'StreamSummary' });
export type StreamSummary = z.infer<typeof StreamSummary>;

/** `{ stream }`: creating, editing, starting and ending a stream. */
export const StreamSummaryEnvelope = z.object({ stream: StreamSummary });
export type StreamSummaryEnvelope = z.infer<typeof StreamSummaryEnvelope>;

/** An offer as the watch page and the studio show it: its terms and stock, and the product. */
export const StreamOffer = Offer.pick({
  id: true,
  productId: true,
  priceCents: true,
  quantity: true,
  remaining: true,
  perBuyerLimit: true,
  groupMin: true,
  groupDeadline: true,
  closed: true,
})
  .extend({
    productName: z.string(),
    imageUrl: z.string().nullable(),
    /** Units counted towards the group threshold: every unit not cancelled. */
    groupCount: z.number().int(),
  })
  .meta({ id: 'StreamOffer' });
export type StreamOffer = z.infer<typeof StreamOffer>;

/** A chapter of the replay: a segment label the owner set live, at its time in the recording. */
export const ReplayChapter = z.object({ label: Segment, atMs: z.number().int().min(0) });
export type ReplayChapter = z.infer<typeof ReplayChapter>;

/** A pin of the live at its time in the recording: from then the replay shows that offer. */
export const ReplayPin = z.object({
  offerId: z.string().nullable(),
  atMs: z.number().int().min(0),
});
export type ReplayPin = z.infer<typeof ReplayPin>;

/** The recording of an ended stream (null while it is live, or before it ever went live). */
export const Replay = z
  .object({
    status: z.enum(['processing', 'ready', 'failed']),
    /** the playlist (HLS) or file (MP4) to play, when ready */
    url: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    chapters: z.array(ReplayChapter),
    /** the offers as the owner pinned them live (offerId null: unpinned), in replay time */
    pins: z.array(ReplayPin),
  })
  .meta({ id: 'Replay' });
export type Replay = z.infer<typeof Replay>;

export const Stream = StreamSummary.extend({
  shop: z.object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    address: z.string().nullable(),
  }),
  offers: z.array(StreamOffer),
  pinnedOfferId: z.string().nullable(),
  viewerCount: z.number().int(),
  segment: Segment.nullable(),
  segmentAt: z.string().nullable(),
  /** The owner hid the 团长榜 from viewers (the owner still sees it). */
  leaderboardHidden: z.boolean(),
  /**
   * Until when the stream's offers take orders after the live (ISO). Set by the owner, or at
   * the end: 24 hours later, no later than the latest group deadline. null before the end
   * when the owner has not set one.
   */
  saleEndsAt: z.string().nullable(),
  replay: Replay.nullable(),
}).meta({ id: 'Stream' });
export type Stream = z.infer<typeof Stream>;

/** GET /api/streams/:id */
export const StreamEnvelope = z.object({ stream: Stream });
export type StreamEnvelope = z.infer<typeof StreamEnvelope>;

export const SegmentMark = z.object({ segment: Segment.nullable(), at: z.string() });
export type SegmentMark = z.infer<typeof SegmentMark>;

/** GET /api/streams/:id/studio (owner) */
export const Studio = z.object({ stream: Stream, segments: z.array(SegmentMark) });
export type Studio = z.infer<typeof Studio>;

/** GET /api/streams/:id/me */
export const MyStage = z.object({
  owner: z.boolean(),
  cohost: z.enum(['invited', 'accepted', 'revoked']).nullable(),
  removed: z.boolean(),
});
export type MyStage = z.infer<typeof MyStage>;

const StreamTitle = lineOfText(80);
/** A stream's cover: only a picture uploaded to this app (or a demo picture). */
const CoverUrl = OwnImageUrl;

export const CreateStreamBody = z.strictObject({
  title: StreamTitle,
  scheduledAt: IsoTime.optional(),
  coverUrl: CoverUrl.optional(),
});
export type CreateStreamBody = z.infer<typeof CreateStreamBody>;

export const EditStreamBody = z
  .strictObject({
    title: StreamTitle.optional(),
    /** null: no set time ("coming soon") */
    scheduledAt: IsoTime.nullable().optional(),
    coverUrl: CoverUrl.nullable().optional(),
    /** who may watch: everyone, or the shop's members (set while planning) */
    visibility: StreamVisibility.optional(),
    /** hide the 团长榜 from viewers (any time before the end) */
    leaderboardHidden: z.boolean().optional(),
    /** until when offers take orders after the live; after the end it must be in the future */
    saleEndsAt: IsoTime.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change')
  .meta({ id: 'StreamEdit' });
export type EditStreamBody = z.infer<typeof EditStreamBody>;

export const MediaRole = z.enum(['host', 'viewer']);

export const TokenBody = z.strictObject({ role: MediaRole.optional() });

export const MediaToken = z
  .object({
    url: z.string(),
    token: z.string(),
    role: MediaRole,
    identity: z.string(),
  })
  .meta({ id: 'MediaToken' });
export type MediaToken = z.infer<typeof MediaToken>;

export const SegmentBody = z.strictObject({ segment: Segment.nullable() });
export type SegmentBody = z.infer<typeof SegmentBody>;

export const StreamUserParams = z.object({ streamId: z.uuid(), userId: z.uuid() });

export const CohostBody = z.strictObject({ userId: z.uuid() });
export const CohostInvited = z.object({
  cohost: z.object({ userId: z.string(), status: z.literal('invited') }),
});
export const CohostAccepted = z.object({ status: z.literal('accepted') });
export const CohostRevoked = z.object({ status: z.literal('revoked') });
