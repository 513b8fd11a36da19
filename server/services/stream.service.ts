import { createEvent } from 'ics';
import type { Database } from '../../db/database';
import type { Segment } from '../../db/media.schema';
import type { ShopRow, StreamRow } from '../../db/schema';
import { listStreamOffers } from '../../db/repositories/offer.repository';
import { listShopStreams } from '../../db/repositories/shop.repository';
import {
  countCurrentViewers,
  currentSegment,
  findShopById,
  insertStream,
  listSegments,
  listShopsOfOwner,
} from '../../db/repositories/stream.repository';
import { AppError } from '../errors';
import type { User } from './auth.service';
import { replayOf } from './replay.service';
import { shopRowToShop, streamRowToSummary, type StreamSummary } from './shop.service';
import type { ShopPage } from '../contracts/shop';
import type { Stream } from '../contracts/stream';
import { isUuid } from '../rules/ids';
import { loadOwnedStream, loadStream } from './stream-access.service';

// Streams as the owner plans them and as watchers read them. The rest of a stream's
// capability lives beside this file, re-exported here so callers import one module:
// stream-access (finding a stream, who may act on it), stream-room (its LiveKit room),
// stream-edit (the owner's edits), stream-lifecycle (going live, ending, resuming) and
// livekit-webhook (what the media server reports).
export { loadOwnedStream, loadStream, type StreamDeps } from './stream-access.service';
export { openStreamRoom, roomMetadata, roomName } from './stream-room.service';
export { editStream, type StreamEditInput } from './stream-edit.service';
export {
  endStream,
  reopenLiveRooms,
  RESUME_WINDOW_MS,
  resumeStream,
  startStream,
} from './stream-lifecycle.service';
export { applyWebhook } from './livekit-webhook.service';

export type { Segment };
export const SEGMENTS: readonly Segment[] = ['sourcing', 'kitchen', 'tasting', 'qa'];

export type StreamView = Stream;

export async function createStream(
  db: Database,
  user: User,
  shopId: string,
  input: { title: string; scheduledAt?: string | undefined; coverUrl?: string | undefined },
): Promise<StreamSummary> {
  const shop = isUuid(shopId) ? await findShopById(db, shopId) : undefined;
  if (!shop) throw new AppError('not_found', 'No such shop.');
  if (shop.owner_id !== user.id)
    throw new AppError('forbidden', 'Only the shop owner can plan streams.');
  const row = await insertStream(db, {
    shop_id: shop.id,
    title: input.title,
    scheduled_at: input.scheduledAt ?? null,
    cover_url: input.coverUrl ?? null,
  });
  return streamRowToSummary(row);
}

async function viewerCount(db: Database, stream: StreamRow, shop: ShopRow): Promise<number> {
  if (stream.status !== 'live') return 0;
  return countCurrentViewers(db, stream.id, [shop.owner_id]);
}

export async function getStreamView(db: Database, streamId: string): Promise<StreamView> {
  const { stream, shop } = await loadStream(db, streamId);
  const [offers, segment, viewers, replay] = await Promise.all([
    listStreamOffers(db, stream.id),
    currentSegment(db, stream.id),
    viewerCount(db, stream, shop),
    replayOf(db, stream),
  ]);
  const summary = streamRowToSummary(stream);
  return {
    ...summary,
    shop: { id: shop.id, slug: shop.slug, name: shop.name, address: shop.address },
    offers,
    pinnedOfferId: stream.pinned_offer_id,
    viewerCount: viewers,
    segment: segment?.segment ?? null,
    segmentAt: segment?.at.toISOString() ?? null,
    leaderboardHidden: stream.leaderboard_hidden,
    saleEndsAt: stream.sale_ends_at?.toISOString() ?? null,
    replay,
  };
}

export interface CohostView {
  userId: string;
  name: string;
  status: 'invited' | 'accepted' | 'revoked';
}

/** What the owner's studio needs beyond the public view. */
export async function getStudio(
  db: Database,
  user: User,
  streamId: string,
): Promise<{ stream: StreamView; segments: { segment: Segment | null; at: string }[] }> {
  await loadOwnedStream(db, user, streamId);
  const [stream, segments] = await Promise.all([
    getStreamView(db, streamId),
    listSegments(db, streamId),
  ]);
  return {
    stream,
    segments: segments.map((s) => ({ segment: s.segment, at: s.at.toISOString() })),
  };
}

/** An .ics reminder for a scheduled stream (one hour long unless it has started). */
export async function streamCalendar(
  db: Database,
  streamId: string,
  pageUrl: string,
): Promise<string> {
  const { stream, shop } = await loadStream(db, streamId);
  const start = stream.started_at ?? stream.scheduled_at;
  if (!start) throw new AppError('not_found', 'This stream has no time yet.');
  const { error, value } = createEvent({
    uid: `${stream.id}@linli.live`,
    title: `${shop.name} · ${stream.title}`,
    description: pageUrl,
    url: pageUrl,
    ...(shop.address ? { location: shop.address } : {}),
    start: start.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { hours: 1 },
    alarms: [
      { action: 'display', description: stream.title, trigger: { minutes: 10, before: true } },
    ],
    productId: 'linli-live',
  });
  if (error || !value) throw new AppError('internal', 'Could not build the calendar file.');
  return value;
}

export type OwnedShop = ShopPage;

export async function listMyShops(db: Database, user: User): Promise<OwnedShop[]> {
  const shops = await listShopsOfOwner(db, user.id);
  return Promise.all(
    shops.map(async (shop) => ({
      shop: shopRowToShop(shop),
      streams: (await listShopStreams(db, shop.id)).map(streamRowToSummary),
    })),
  );
}
