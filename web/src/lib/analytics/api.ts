// Shape of GET /api/streams/:id/stats, checked at runtime with zod (no casts on outside data).
import { z } from 'zod';
import type { Parser } from '../api/response';

const Segment = z.enum(['sourcing', 'kitchen', 'tasting', 'qa']).nullable();
export type SegmentLabel = z.infer<typeof Segment>;

const StreamStats = z.object({
  stream: z.object({
    id: z.string(),
    title: z.string(),
    status: z.enum(['scheduled', 'live', 'ended']),
    shopId: z.string(),
    shopSlug: z.string(),
    shopName: z.string(),
    scheduledAt: z.string().nullable(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    durationSeconds: z.number(),
  }),
  peakViewers: z.number(),
  uniqueViewers: z.number(),
  avgWatchSeconds: z.number(),
  comments: z.number(),
  deletedComments: z.number(),
  likes: z.number(),
  orders: z.number(),
  units: z.number(),
  gmvCents: z.number().int(),
  buyers: z.number(),
  conversion: z.number(),
  cancelledOrders: z.number(),
  refundedOrders: z.number(),
  segments: z.array(z.object({ segment: Segment, at: z.string(), minute: z.number() })),
  timeline: z.array(
    z.object({
      minute: z.number(),
      at: z.string(),
      viewers: z.number(),
      comments: z.number(),
      orders: z.number(),
      units: z.number(),
      gmvCents: z.number().int(),
      segment: Segment,
    }),
  ),
  perOffer: z.array(
    z.object({
      offerId: z.string(),
      productName: z.string(),
      priceCents: z.number().int(),
      quantity: z.number(),
      remaining: z.number(),
      groupMin: z.number().nullable(),
      orders: z.number(),
      buyers: z.number(),
      units: z.number(),
      gmvCents: z.number().int(),
    }),
  ),
  perLeader: z.array(
    z.object({
      leaderId: z.string().nullable(),
      displayName: z.string().nullable(),
      code: z.string().nullable(),
      clicks: z.number(),
      visitors: z.number(),
      orders: z.number(),
      buyers: z.number(),
      units: z.number(),
      gmvCents: z.number().int(),
      commissionCents: z.number().int(),
    }),
  ),
});
export type StreamStats = z.infer<typeof StreamStats>;
export type TimelinePoint = StreamStats['timeline'][number];

export const parseStreamStats: Parser<StreamStats> = (body) => {
  const parsed = StreamStats.safeParse(body);
  return parsed.success ? parsed.data : null;
};

/** 2/3 → "66.7%"; whole percentages without a decimal. */
export function formatPercent(ratio: number): string {
  const tenths = Math.round(ratio * 1000);
  return tenths % 10 === 0 ? `${String(tenths / 10)}%` : `${(tenths / 10).toFixed(1)}%`;
}

/** 125 → "2:05", 3725 → "1:02:05". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${String(h)}:${String(m).padStart(2, '0')}:${sec}` : `${String(m)}:${sec}`;
}
