import type { Database } from '../../db/database';
import type { Segment } from '../../db/media.schema';
import {
  countDeletedComments,
  countLostOrders,
  listCommentTimes,
  listLeadersOfStream,
  listOffersOfStream,
  listStreamSales,
  listViewerSessions,
  type SaleRow,
  type ViewerSessionRow,
} from '../../db/repositories/analytics.repository';
import { findShopById, findStream, listSegments } from '../../db/repositories/stream.repository';
import type { ShopRow, StreamRow } from '../../db/schema';
import { AppError } from '../errors';
import type { User } from './auth.service';
import { exportShopOrdersCsv } from './order-query.service';
import type { StreamStats, TimelinePoint } from '../contracts/analytics';

// Definitions (each number is computed from recorded rows, never from memory):
// - viewers: identities in participant_sessions (LiveKit webhooks), the shop owner excluded.
//   A signed-in viewer's identity is their user id; a signed-out one is a `visitor-…` id.
// - uniqueViewers: distinct identities. peakViewers: the most identities present at once.
// - avgWatchSeconds: total time watched (per identity, overlapping sessions counted once)
//   divided by uniqueViewers. A session still open counts until the stream's end (or now).
// - orders / units / gmvCents / buyers: orders not cancelled or refunded.
// - conversion: buyers / uniqueViewers (0 when nobody watched).
// - comments: comments not deleted by moderation.
// - timeline: one bucket per minute from the stream's start; viewers is the most present at
//   once during that minute, comments and orders those created in it.

/** Longest timeline returned, in minutes (a day). */
export const MAX_TIMELINE_MINUTES = 24 * 60;

export interface Interval {
  start: number;
  end: number;
}

/** Each identity's sessions merged into disjoint intervals (ms), clipped to [from, to]. */
export function viewerIntervals(
  sessions: readonly ViewerSessionRow[],
  from: number,
  to: number,
): Map<string, Interval[]> {
  const byIdentity = new Map<string, Interval[]>();
  for (const s of sessions) {
    const start = Math.max(s.joinedAt.getTime(), from);
    const end = Math.min(s.leftAt?.getTime() ?? to, to);
    if (end <= start) continue;
    const list = byIdentity.get(s.identity) ?? [];
    list.push({ start, end });
    byIdentity.set(s.identity, list);
  }
  for (const [identity, list] of byIdentity) {
    list.sort((a, b) => a.start - b.start);
    const merged: Interval[] = [];
    for (const i of list) {
      const last = merged.at(-1);
      if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
      else merged.push({ ...i });
    }
    byIdentity.set(identity, merged);
  }
  return byIdentity;
}

/**
 * The number present as a step function: [time, count from that time on], times ascending.
 * Intervals are half-open, so someone leaving at t and someone joining at t never overlap.
 */
export function presenceSteps(intervals: Iterable<Interval>): [number, number][] {
  const deltas = new Map<number, number>();
  for (const i of intervals) {
    deltas.set(i.start, (deltas.get(i.start) ?? 0) + 1);
    deltas.set(i.end, (deltas.get(i.end) ?? 0) - 1);
  }
  let count = 0;
  const steps: [number, number][] = [];
  for (const time of [...deltas.keys()].sort((a, b) => a - b)) {
    const delta = deltas.get(time) ?? 0;
    if (delta === 0) continue;
    count += delta;
    steps.push([time, count]);
  }
  return steps;
}

/** The highest count reached in [from, to) of a step function. */
export function maxPresent(steps: readonly [number, number][], from: number, to: number): number {
  let atStart = 0;
  let max = 0;
  for (const [time, count] of steps) {
    if (time <= from) atStart = count;
    else if (time < to) max = Math.max(max, count);
    else break;
  }
  return Math.max(max, atStart);
}

export type SegmentMark = StreamStats['segments'][number];

export type { StreamStats, TimelinePoint };

export type OfferStats = StreamStats['perOffer'][number];

export type LeaderStats = StreamStats['perLeader'][number];

interface Totals {
  orders: number;
  buyers: Set<string>;
  units: number;
  gmvCents: number;
  commissionCents: number;
}

function emptyTotals(): Totals {
  return { orders: 0, buyers: new Set(), units: 0, gmvCents: 0, commissionCents: 0 };
}

function addSale(t: Totals, sale: SaleRow): void {
  t.orders += 1;
  t.buyers.add(sale.buyerId);
  t.units += sale.quantity;
  t.gmvCents += sale.totalCents;
  t.commissionCents += sale.commissionCents;
}

export interface StatsInput {
  startedAt: Date | null;
  endedAt: Date | null;
  now: Date;
  sessions: readonly ViewerSessionRow[];
  commentTimes: readonly Date[];
  sales: readonly SaleRow[];
  segments: readonly { segment: Segment | null; at: Date }[];
}

/** The viewer, comment and order numbers and the per-minute timeline, from the rows. */
export function computeStats(input: StatsInput) {
  const sales = emptyTotals();
  for (const sale of input.sales) addSale(sales, sale);

  const startMs = input.startedAt?.getTime() ?? null;
  const endMs = Math.max(startMs ?? 0, (input.endedAt ?? input.now).getTime());
  // Sessions only exist while the stream is live; with no start, nobody watched.
  const intervals =
    startMs === null
      ? new Map<string, Interval[]>()
      : viewerIntervals(input.sessions, startMs, endMs);
  const allIntervals = [...intervals.values()].flat();
  const steps = presenceSteps(allIntervals);
  const uniqueViewers = intervals.size;
  const watchedMs = allIntervals.reduce((sum, i) => sum + (i.end - i.start), 0);

  const timeline: TimelinePoint[] = [];
  const segments: SegmentMark[] = [];
  if (startMs !== null) {
    const minutes = Math.min(
      MAX_TIMELINE_MINUTES,
      Math.max(1, Math.ceil((endMs - startMs) / 60_000)),
    );
    const minuteOf = (t: Date) =>
      Math.min(minutes - 1, Math.max(0, Math.floor((t.getTime() - startMs) / 60_000)));
    for (let m = 0; m < minutes; m += 1) {
      const from = startMs + m * 60_000;
      timeline.push({
        minute: m,
        at: new Date(from).toISOString(),
        viewers: maxPresent(steps, from, Math.min(from + 60_000, endMs)),
        comments: 0,
        orders: 0,
        units: 0,
        gmvCents: 0,
        segment: null,
      });
    }
    for (const t of input.commentTimes) {
      const point = timeline[minuteOf(t)];
      if (point) point.comments += 1;
    }
    for (const sale of input.sales) {
      const point = timeline[minuteOf(sale.createdAt)];
      if (!point) continue;
      point.orders += 1;
      point.units += sale.quantity;
      point.gmvCents += sale.totalCents;
    }
    // Segment labels: each minute carries the label in effect at its end.
    let s = 0;
    let label: Segment | null = null;
    for (const point of timeline) {
      const minuteEnd = startMs + (point.minute + 1) * 60_000;
      while (s < input.segments.length && (input.segments[s]?.at.getTime() ?? 0) < minuteEnd) {
        label = input.segments[s]?.segment ?? null;
        s += 1;
      }
      point.segment = label;
    }
    for (const change of input.segments) {
      segments.push({
        segment: change.segment,
        at: change.at.toISOString(),
        minute: minuteOf(change.at),
      });
    }
  } else {
    for (const change of input.segments) {
      segments.push({ segment: change.segment, at: change.at.toISOString(), minute: 0 });
    }
  }

  return {
    peakViewers: maxPresent(steps, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
    uniqueViewers,
    avgWatchSeconds: uniqueViewers ? Math.round(watchedMs / uniqueViewers / 1000) : 0,
    orders: sales.orders,
    units: sales.units,
    gmvCents: sales.gmvCents,
    buyers: sales.buyers.size,
    conversion: uniqueViewers ? sales.buyers.size / uniqueViewers : 0,
    comments: input.commentTimes.length,
    timeline,
    segments,
    durationSeconds: startMs === null ? 0 : Math.round((endMs - startMs) / 1000),
  };
}

/** The stream, when `user` owns its shop; 404 when there is no stream, 403 otherwise. */
async function loadOwnedStream(
  db: Database,
  user: User,
  streamId: string,
): Promise<{ stream: StreamRow; shop: ShopRow }> {
  const stream = await findStream(db, streamId);
  const shop = stream && (await findShopById(db, stream.shop_id));
  if (!stream || !shop) throw new AppError('not_found', 'No such stream.');
  if (shop.owner_id !== user.id) {
    throw new AppError('forbidden', "Only the shop owner can see a stream's numbers.");
  }
  return { stream, shop };
}

/** Every number of one stream for its owner. */
export async function getStreamStats(
  db: Database,
  user: User,
  streamId: string,
  now = new Date(),
): Promise<StreamStats> {
  const { stream, shop } = await loadOwnedStream(db, user, streamId);
  const [sessions, commentTimes, deletedComments, sales, lost, offers, segmentRows] =
    await Promise.all([
      listViewerSessions(db, stream.id, [shop.owner_id]),
      listCommentTimes(db, stream.id),
      countDeletedComments(db, stream.id),
      listStreamSales(db, stream.id),
      countLostOrders(db, stream.id),
      listOffersOfStream(db, stream.id),
      listSegments(db, stream.id),
    ]);
  const computed = computeStats({
    startedAt: stream.started_at,
    endedAt: stream.ended_at,
    now,
    sessions,
    commentTimes,
    sales,
    segments: segmentRows,
  });

  const byOffer = new Map<string, Totals>();
  const byLeader = new Map<string | null, Totals>();
  for (const sale of sales) {
    const o = byOffer.get(sale.offerId) ?? emptyTotals();
    addSale(o, sale);
    byOffer.set(sale.offerId, o);
    const l = byLeader.get(sale.leaderId) ?? emptyTotals();
    addSale(l, sale);
    byLeader.set(sale.leaderId, l);
  }
  const credited = [...byLeader.keys()].filter((id): id is string => id !== null);
  const leaders = await listLeadersOfStream(db, stream.id, credited);

  const perOffer: OfferStats[] = offers.map((offer) => {
    const t = byOffer.get(offer.offerId) ?? emptyTotals();
    return {
      ...offer,
      orders: t.orders,
      buyers: t.buyers.size,
      units: t.units,
      gmvCents: t.gmvCents,
    };
  });
  const leaderRow = (
    leader: { leaderId: string | null; displayName: string | null; code: string | null },
    funnel: { clicks: number; visitors: number },
  ): LeaderStats => {
    const t = byLeader.get(leader.leaderId) ?? emptyTotals();
    return {
      ...leader,
      ...funnel,
      orders: t.orders,
      buyers: t.buyers.size,
      units: t.units,
      gmvCents: t.gmvCents,
      commissionCents: t.commissionCents,
    };
  };
  const perLeader = leaders
    .map((l) => leaderRow(l, l))
    .sort((a, b) => b.gmvCents - a.gmvCents || b.clicks - a.clicks);
  if (byLeader.has(null)) {
    perLeader.push(
      leaderRow({ leaderId: null, displayName: null, code: null }, { clicks: 0, visitors: 0 }),
    );
  }

  return {
    stream: {
      id: stream.id,
      title: stream.title,
      status: stream.status,
      shopId: shop.id,
      shopSlug: shop.slug,
      shopName: shop.name,
      scheduledAt: stream.scheduled_at?.toISOString() ?? null,
      startedAt: stream.started_at?.toISOString() ?? null,
      endedAt: stream.ended_at?.toISOString() ?? null,
      durationSeconds: computed.durationSeconds,
    },
    peakViewers: computed.peakViewers,
    uniqueViewers: computed.uniqueViewers,
    avgWatchSeconds: computed.avgWatchSeconds,
    comments: computed.comments,
    deletedComments,
    likes: stream.like_count,
    orders: computed.orders,
    units: computed.units,
    gmvCents: computed.gmvCents,
    buyers: computed.buyers,
    conversion: computed.conversion,
    cancelledOrders: lost.cancelled,
    refundedOrders: lost.refunded,
    segments: computed.segments,
    timeline: computed.timeline,
    perOffer,
    perLeader,
  };
}

/** The stream's orders as CSV (all states, with their status), for its owner. */
export async function exportStreamOrdersCsv(
  db: Database,
  user: User,
  streamId: string,
): Promise<{ csv: string; filename: string }> {
  const { stream, shop } = await loadOwnedStream(db, user, streamId);
  const csv = await exportShopOrdersCsv(db, user, shop.id, { streamId: stream.id });
  const day = (stream.started_at ?? stream.scheduled_at ?? stream.created_at)
    .toISOString()
    .slice(0, 10);
  return { csv, filename: `orders-${shop.slug}-${day}-${stream.id.slice(0, 8)}.csv` };
}
