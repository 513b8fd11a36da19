import { createEvent } from 'ics';
import type { Database } from '../../db/database';
import type { Segment } from '../../db/media.schema';
import type { ShopRow, StreamRow, StreamVisibility } from '../../db/schema';
import { listStreamOffers } from '../../db/repositories/offer.repository';
import { listShopStreams } from '../../db/repositories/shop.repository';
import {
  closeOpenParticipantSessions,
  countCurrentViewers,
  currentSegment,
  findShopById,
  findStream,
  insertParticipantJoin,
  insertStream,
  listLiveStreams,
  listSegments,
  listShopsOfOwner,
  markParticipantLeft,
  markStreamEnded,
  markStreamLive,
  markStreamResumed,
  recordWebhookEvent,
  updateStream,
} from '../../db/repositories/stream.repository';
import type { RoomMetadata } from '../../media/media.service';
import type { AppDeps } from '../context';
import { AppError } from '../errors';
import { guardStage } from './stage-guard.service';
import type { User } from './auth.service';
import { shopRowToShop, streamRowToSummary, type StreamSummary } from './shop.service';
import type { ShopPage } from '../contracts/shop';
import type { Stream } from '../contracts/stream';
import { isUuid } from '../rules/ids';

export type { Segment };
export const SEGMENTS: readonly Segment[] = ['sourcing', 'kitchen', 'tasting', 'qa'];

/** The LiveKit room of a stream is named after it: one room per stream, never reused. */
export function roomName(streamId: string): string {
  return streamId;
}

export type StreamView = Stream;

export type StreamDeps = Pick<AppDeps, 'db' | 'media' | 'realtime' | 'logger'>;

export async function loadStream(
  db: Database,
  streamId: string,
): Promise<{ stream: StreamRow; shop: ShopRow }> {
  const stream = isUuid(streamId) ? await findStream(db, streamId) : undefined;
  if (!stream) throw new AppError('not_found', 'No such stream.');
  const shop = await findShopById(db, stream.shop_id);
  if (!shop) throw new AppError('not_found', 'No such stream.');
  return { stream, shop };
}

/** The stream, when `user` owns its shop; 404 when there is no stream, 403 otherwise. */
export async function loadOwnedStream(
  db: Database,
  user: User,
  streamId: string,
): Promise<{ stream: StreamRow; shop: ShopRow }> {
  const found = await loadStream(db, streamId);
  if (found.shop.owner_id !== user.id) {
    throw new AppError('forbidden', 'Only the shop owner can do this.');
  }
  return found;
}

export function roomMetadata(stream: StreamRow, segment: Segment | null): RoomMetadata {
  return { streamId: stream.id, shopId: stream.shop_id, title: stream.title, segment };
}

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

export interface StreamEditInput {
  title?: string | undefined;
  scheduledAt?: string | null | undefined;
  coverUrl?: string | null | undefined;
  /** who may watch: everyone, or the shop's members alone (set while planning) */
  visibility?: StreamVisibility | undefined;
  leaderboardHidden?: boolean | undefined;
}

/** How far in the past a new start time may be (a clock a little behind the server's). */
const RESCHEDULE_SLACK_MS = 60_000;

/**
 * The owner edits a stream. While it is scheduled everything can change; once live only
 * the title (viewers already came at the announced time); once ended nothing. The update is
 * conditional on the state it was checked in, so an edit racing "go live" or "end" is
 * refused rather than applied to the wrong state. Watchers hear of it by `stream:update`;
 * when live, the room's metadata carries the new title too.
 */
export async function editStream(
  deps: StreamDeps,
  user: User,
  streamId: string,
  input: StreamEditInput,
  now = new Date(),
): Promise<StreamSummary> {
  const { stream } = await loadOwnedStream(deps.db, user, streamId);
  const schedule =
    input.scheduledAt !== undefined ||
    input.coverUrl !== undefined ||
    input.visibility !== undefined;
  const refuse = (status: StreamRow['status']): never => {
    switch (status) {
      case 'ended':
        throw new AppError('stream_ended', 'This stream has ended; it can no longer be edited.');
      case 'live':
        throw new AppError('stream_started', 'This stream is live; only its title can change.');
      case 'scheduled':
        throw new AppError('conflict', 'The stream changed meanwhile; try again.');
    }
  };
  if (stream.status === 'ended' || (schedule && stream.status === 'live')) refuse(stream.status);
  const scheduledAt =
    input.scheduledAt === undefined || input.scheduledAt === null
      ? input.scheduledAt
      : new Date(input.scheduledAt);
  if (scheduledAt && scheduledAt.getTime() < now.getTime() - RESCHEDULE_SLACK_MS) {
    throw new AppError('bad_request', 'The new start time is in the past.');
  }
  const row = await updateStream(
    deps.db,
    stream.id,
    {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(scheduledAt !== undefined ? { scheduled_at: scheduledAt } : {}),
      ...(input.coverUrl !== undefined ? { cover_url: input.coverUrl } : {}),
      ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
      ...(input.leaderboardHidden !== undefined
        ? { leaderboard_hidden: input.leaderboardHidden }
        : {}),
    },
    schedule ? ['scheduled'] : ['scheduled', 'live'],
  );
  if (!row) return refuse((await loadStream(deps.db, stream.id)).stream.status);
  if (row.status === 'live' && input.title !== undefined) {
    const segment = await currentSegment(deps.db, row.id);
    try {
      await deps.media.updateRoomMetadata(
        roomName(row.id),
        roomMetadata(row, segment?.segment ?? null),
      );
    } catch (err) {
      // The record is what counts; viewers hear of it through the realtime event too.
      deps.logger.warn({ err, streamId }, 'could not update the room metadata');
    }
  }
  const summary = streamRowToSummary(row);
  deps.realtime.publish(row.id, 'stream:update', {
    streamId: row.id,
    title: summary.title,
    scheduledAt: summary.scheduledAt,
    coverUrl: summary.coverUrl,
    leaderboardHidden: row.leaderboard_hidden,
  });
  return summary;
}

async function viewerCount(db: Database, stream: StreamRow, shop: ShopRow): Promise<number> {
  if (stream.status !== 'live') return 0;
  return countCurrentViewers(db, stream.id, [shop.owner_id]);
}

export async function getStreamView(db: Database, streamId: string): Promise<StreamView> {
  const { stream, shop } = await loadStream(db, streamId);
  const [offers, segment, viewers] = await Promise.all([
    listStreamOffers(db, stream.id),
    currentSegment(db, stream.id),
    viewerCount(db, stream, shop),
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

/** scheduled → live: opens the LiveKit room first, so a failure leaves the stream scheduled. */
export async function startStream(
  deps: StreamDeps,
  user: User,
  streamId: string,
): Promise<StreamSummary> {
  const { stream } = await loadOwnedStream(deps.db, user, streamId);
  if (stream.status === 'live') return streamRowToSummary(stream);
  if (stream.status === 'ended') throw new AppError('conflict', 'This stream has ended.');
  const segment = await currentSegment(deps.db, stream.id);
  try {
    await deps.media.openRoom(roomName(stream.id), roomMetadata(stream, segment?.segment ?? null));
  } catch (err) {
    deps.logger.error({ err, streamId }, 'could not open the LiveKit room');
    throw new AppError('unavailable', 'The media server is not answering; try again.');
  }
  const live = await markStreamLive(deps.db, stream.id, new Date());
  // A concurrent start won the update: answer with the stream as it is now.
  const row = live ?? (await loadStream(deps.db, stream.id)).stream;
  if (live) {
    deps.realtime.publish(stream.id, 'stream:status', {
      streamId: stream.id,
      status: 'live',
      segment: segment?.segment ?? null,
    });
  }
  return streamRowToSummary(row);
}

/**
 * After the media server lost its rooms (it died and was started again): opens the room of
 * every live stream again, with its metadata, and closes the participant sessions that the
 * lost server will never report as left — those opened before it went down at `downSince`.
 * Streams stay live throughout: an outage of the media server is not the owner ending.
 * Returns how many rooms were opened; a room that cannot be opened is logged and skipped.
 */
export async function reopenLiveRooms(
  deps: Pick<AppDeps, 'db' | 'media' | 'logger'>,
  downSince: Date,
): Promise<number> {
  let opened = 0;
  for (const stream of await listLiveStreams(deps.db)) {
    await closeOpenParticipantSessions(deps.db, stream.id, downSince);
    const segment = await currentSegment(deps.db, stream.id);
    try {
      await deps.media.openRoom(
        roomName(stream.id),
        roomMetadata(stream, segment?.segment ?? null),
      );
      opened += 1;
    } catch (err) {
      deps.logger.error({ err, streamId: stream.id }, 'could not reopen the LiveKit room');
    }
  }
  return opened;
}

/** scheduled/live → ended: the state commits first, then the room closes (disconnecting all). */
/** How long ending a stream waits for watchers to leave the LiveKit room by themselves. */
const ROOM_CLOSE_GRACE_MS = 1500;

export async function endStream(
  deps: StreamDeps,
  user: User,
  streamId: string,
): Promise<StreamSummary> {
  const { stream } = await loadOwnedStream(deps.db, user, streamId);
  if (stream.status === 'ended') return streamRowToSummary(stream);
  const now = new Date();
  const ended = await markStreamEnded(deps.db, stream.id, now);
  const row = ended ?? (await loadStream(deps.db, stream.id)).stream;
  if (ended) {
    await closeOpenParticipantSessions(deps.db, stream.id, now);
    deps.realtime.publish(stream.id, 'stream:status', { streamId: stream.id, status: 'ended' });
  }
  try {
    // Watchers hear 'ended' over socket.io and leave by themselves; whoever is still
    // connected after a moment is disconnected by closing the room.
    await deps.media.closeRoom(roomName(stream.id), { graceMs: ROOM_CLOSE_GRACE_MS });
  } catch (err) {
    // The stream is over either way; LiveKit closes the empty room by its own timeout.
    deps.logger.warn({ err, streamId }, 'could not close the LiveKit room');
  }
  return streamRowToSummary(row);
}

/** How long after ending the owner may resume a stream (a dropped connection, a false end). */
export const RESUME_WINDOW_MS = 2 * 60 * 60 * 1000;

/**
 * ended → live again, within RESUME_WINDOW_MS of ending: the same room (named after the
 * stream, opened again since only the app opens rooms), the same offers and orders. Like
 * going live, the room opens first, so a media failure leaves the stream ended. Watchers
 * hear `stream:status` live and reconnect.
 *
 * Analytics: `ended_at` is cleared and `started_at` kept, so the stream's duration runs from
 * its first start to its last end (the pause included); viewer sessions were closed at the
 * end and new ones open as people come back, so watch time and unique viewers stay honest.
 */
export async function resumeStream(
  deps: StreamDeps,
  user: User,
  streamId: string,
  now = new Date(),
): Promise<StreamSummary> {
  const { stream } = await loadOwnedStream(deps.db, user, streamId);
  if (stream.status !== 'ended') {
    throw new AppError(
      'conflict',
      stream.status === 'live'
        ? 'This stream is already live.'
        : 'Only an ended stream can resume.',
    );
  }
  const endedAfter = new Date(now.getTime() - RESUME_WINDOW_MS);
  if (!stream.started_at || !stream.ended_at || stream.ended_at <= endedAfter) {
    throw new AppError(
      'resume_expired',
      stream.started_at
        ? 'A stream can be resumed only within 2 hours of ending; plan a new one.'
        : 'This stream never went live; plan a new one.',
    );
  }
  const segment = await currentSegment(deps.db, stream.id);
  try {
    await deps.media.openRoom(roomName(stream.id), roomMetadata(stream, segment?.segment ?? null));
  } catch (err) {
    deps.logger.error({ err, streamId }, 'could not open the LiveKit room to resume');
    throw new AppError('unavailable', 'The media server is not answering; try again.');
  }
  const live = await markStreamResumed(deps.db, stream.id, endedAfter);
  if (!live) {
    // Someone else resumed it first (fine), or it changed under us.
    const current = (await loadStream(deps.db, stream.id)).stream;
    if (current.status === 'live') return streamRowToSummary(current);
    throw new AppError('resume_expired', 'This stream can no longer be resumed.');
  }
  deps.realtime.publish(stream.id, 'stream:status', {
    streamId: stream.id,
    status: 'live',
    segment: segment?.segment ?? null,
  });
  return streamRowToSummary(live);
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

/**
 * Applies a verified LiveKit webhook once: the event id is recorded in the same
 * transaction as its effects, so a replay changes nothing. Returns whether it was applied.
 */
export async function applyWebhook(
  deps: Pick<AppDeps, 'db' | 'media' | 'logger'>,
  body: string,
  authorization: string | undefined,
): Promise<{ applied: boolean; event: string }> {
  const event = await deps.media.verifyWebhook(body, authorization).catch(() => {
    throw new AppError('unauthenticated', 'The webhook signature is missing or does not match.');
  });
  const streamId = event.roomName && isUuid(event.roomName) ? event.roomName : null;
  const applied = await deps.db.transaction().execute(async (trx) => {
    const fresh = await recordWebhookEvent(trx, {
      id: event.id,
      event: event.event,
      roomName: event.roomName,
      createdAt: event.createdAt,
    });
    if (!fresh || !streamId || !(await findStream(trx, streamId))) return fresh;
    const p = event.participant;
    switch (event.event) {
      case 'participant_joined':
        if (p) {
          await insertParticipantJoin(trx, {
            participantSid: p.sid,
            streamId,
            identity: p.identity,
            joinedAt: event.createdAt,
          });
        }
        break;
      case 'participant_left':
      case 'participant_connection_aborted':
        if (p) {
          await markParticipantLeft(trx, {
            participantSid: p.sid,
            streamId,
            identity: p.identity,
            leftAt: event.createdAt,
          });
        }
        break;
      case 'room_finished':
        await closeOpenParticipantSessions(trx, streamId, event.createdAt);
        break;
      default:
        // track and egress events: nothing to record yet
        break;
    }
    return true;
  });
  if (applied && streamId) {
    await guardStage(deps, event).catch((err: unknown) =>
      deps.logger.error({ err, streamId, event: event.event }, 'stage guard failed'),
    );
  }
  return { applied, event: event.event };
}
