import { z } from 'zod';
import { Segment as SegmentLabel, StreamStatus } from './stream';

const Segment = SegmentLabel.nullable();
const Int = z.number().int();

export const TimelinePoint = z.object({
  minute: Int,
  at: z.string(),
  viewers: Int,
  comments: Int,
  orders: Int,
  units: Int,
  gmvCents: Int,
  /** the label in effect at the end of this minute */
  segment: Segment,
});
export type TimelinePoint = z.infer<typeof TimelinePoint>;

/** GET /api/streams/:id/stats (owner) */
export const StreamStats = z
  .object({
    stream: z.object({
      id: z.string(),
      title: z.string(),
      status: StreamStatus,
      shopId: z.string(),
      shopSlug: z.string(),
      shopName: z.string(),
      scheduledAt: z.string().nullable(),
      startedAt: z.string().nullable(),
      endedAt: z.string().nullable(),
      durationSeconds: Int,
    }),
    peakViewers: Int.meta({ description: 'Most viewers at once (owner excluded)' }),
    uniqueViewers: Int.meta({ description: 'Distinct viewer identities' }),
    avgWatchSeconds: Int.meta({ description: 'Total time watched / unique viewers' }),
    comments: Int.meta({ description: 'Comments not deleted by moderation' }),
    deletedComments: Int,
    likes: Int,
    orders: Int.meta({ description: 'Orders not cancelled or refunded' }),
    units: Int,
    gmvCents: Int,
    buyers: Int.meta({ description: 'Distinct buyers of those orders' }),
    conversion: z.number().meta({ description: 'buyers / uniqueViewers; 0 with no viewers' }),
    cancelledOrders: Int,
    refundedOrders: Int,
    /** each label change, with the timeline minute it falls in */
    segments: z.array(z.object({ segment: Segment, at: z.string(), minute: Int })),
    timeline: z.array(TimelinePoint),
    perOffer: z.array(
      z.object({
        offerId: z.string(),
        productName: z.string(),
        priceCents: Int,
        quantity: Int,
        remaining: Int,
        groupMin: Int.nullable(),
        orders: Int,
        buyers: Int,
        units: Int,
        gmvCents: Int,
      }),
    ),
    perLeader: z.array(
      z.object({
        leaderId: z.string().nullable().meta({ description: 'null: orders with no leader' }),
        displayName: z.string().nullable(),
        code: z.string().nullable(),
        clicks: Int,
        visitors: Int,
        orders: Int,
        buyers: Int,
        units: Int,
        gmvCents: Int,
        commissionCents: Int,
      }),
    ),
  })
  .meta({ id: 'StreamStats' });
export type StreamStats = z.infer<typeof StreamStats>;
