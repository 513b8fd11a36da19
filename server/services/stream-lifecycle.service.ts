import type { Segment } from '../../db/media.schema';
import {
  closeOpenParticipantSessions,
  listLiveStreams,
  markStreamEnded,
  markStreamLive,
  markStreamResumed,
} from '../../db/repositories/stream.repository';
import type { AppDeps } from '../context';
import { AppError } from '../errors';
import { SALE_AFTER_LIVE_MS } from '../rules/offer';
import type { User } from './auth.service';
import { announce as announceNotices } from './notification.service';
import { startRecording, stopRecording } from './recording.service';
import { noticesOfGoLive } from './reminder.service';
import { streamRowToSummary, type StreamSummary } from './shop.service';
import { loadOwnedStream, loadStream, type StreamDeps } from './stream-access.service';
import { openStreamRoom, roomName } from './stream-room.service';

// A stream's life on air: scheduled → live → ended, resumed within a while of ending, and
// its room opened again after the media server lost it.

/** On air (first time or again): the recorder starts and watchers hear `stream:status`. */
function onAir(deps: StreamDeps, streamId: string, userId: string, segment: Segment | null) {
  void startRecording(deps, streamId, userId);
  deps.realtime.publish(streamId, 'stream:status', { streamId, status: 'live', segment });
}

/** scheduled → live: opens the LiveKit room first, so a failure leaves the stream scheduled. */
export async function startStream(
  deps: StreamDeps,
  user: User,
  streamId: string,
): Promise<StreamSummary> {
  const { stream, shop } = await loadOwnedStream(deps.db, user, streamId);
  if (stream.status === 'live') return streamRowToSummary(stream);
  if (stream.status === 'ended') throw new AppError('conflict', 'This stream has ended.');
  const segment = await openStreamRoom(deps, stream, 'could not open the LiveKit room');
  // On air, and in the same transaction the notices of it (提醒我, the shop's members)
  const { live, notices } = await deps.db.transaction().execute(async (trx) => {
    const on = await markStreamLive(trx, stream.id, new Date());
    if (!on) return { live: on, notices: [] };
    const told = await noticesOfGoLive(trx, deps.config, {
      id: on.id,
      title: on.title,
      shopName: shop.name,
    });
    return { live: on, notices: told };
  });
  // A concurrent start won the update: answer with the stream as it is now.
  const row = live ?? (await loadStream(deps.db, stream.id)).stream;
  announceNotices(deps, notices);
  if (live) onAir(deps, stream.id, user.id, segment);
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
    try {
      await openStreamRoom(deps, stream, 'could not reopen the LiveKit room');
      opened += 1;
    } catch {
      // logged by openStreamRoom; the next stream's room still opens
    }
  }
  return opened;
}

/** How long ending a stream waits for watchers to leave the LiveKit room by themselves. */
const ROOM_CLOSE_GRACE_MS = 1500;

/** scheduled/live → ended: the state commits first, then the room closes (disconnecting all). */
export async function endStream(
  deps: StreamDeps,
  user: User,
  streamId: string,
): Promise<StreamSummary> {
  const { stream } = await loadOwnedStream(deps.db, user, streamId);
  if (stream.status === 'ended') return streamRowToSummary(stream);
  const now = new Date();
  const ended = await markStreamEnded(deps.db, stream.id, now, SALE_AFTER_LIVE_MS);
  const row = ended ?? (await loadStream(deps.db, stream.id)).stream;
  if (ended) {
    void stopRecording(deps, stream.id);
    await closeOpenParticipantSessions(deps.db, stream.id, now);
    deps.realtime.publish(stream.id, 'stream:status', {
      streamId: stream.id,
      status: 'ended',
      saleEndsAt: ended.sale_ends_at?.toISOString() ?? null,
    });
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
  const segment = await openStreamRoom(deps, stream, 'could not open the LiveKit room to resume');
  const live = await markStreamResumed(deps.db, stream.id, endedAfter);
  if (!live) {
    // Someone else resumed it first (fine), or it changed under us.
    const current = (await loadStream(deps.db, stream.id)).stream;
    if (current.status === 'live') return streamRowToSummary(current);
    throw new AppError('resume_expired', 'This stream can no longer be resumed.');
  }
  onAir(deps, stream.id, user.id, segment);
  return streamRowToSummary(live);
}
