import type { Database } from '../../db/database';
import type { StreamRow, StreamVisibility } from '../../db/schema';
import {
  currentSegment,
  latestGroupDeadline,
  updateStream,
} from '../../db/repositories/stream.repository';
import { AppError } from '../errors';
import type { User } from './auth.service';
import { streamRowToSummary, type StreamSummary } from './shop.service';
import { loadOwnedStream, loadStream, type StreamDeps } from './stream-access.service';
import { roomMetadata, roomName } from './stream-room.service';

// The owner edits a stream: what may change in which state, and who hears of it.

export interface StreamEditInput {
  title?: string | undefined;
  scheduledAt?: string | null | undefined;
  coverUrl?: string | null | undefined;
  /** who may watch: everyone, or the shop's members alone (set while planning) */
  visibility?: StreamVisibility | undefined;
  leaderboardHidden?: boolean | undefined;
  /** until when the offers sell after the live (ISO); the one edit an ended stream takes */
  saleEndsAt?: string | undefined;
}

/**
 * The end of the sale the owner asked for, checked: in the future (a sale cannot be closed
 * retroactively), and no later than the stream's latest group deadline, so every group buy
 * is decided while the sale is on.
 */
async function checkSaleEnd(db: Database, streamId: string, saleEndsAt: Date, now: Date) {
  if (saleEndsAt.getTime() <= now.getTime()) {
    throw new AppError('bad_request', 'The end of the sale must be in the future.');
  }
  const latest = await latestGroupDeadline(db, streamId);
  if (latest && saleEndsAt.getTime() > latest.getTime()) {
    throw new AppError(
      'bad_request',
      `The sale can end no later than the latest group deadline (${latest.toISOString()}).`,
    );
  }
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
  const { saleEndsAt: saleEnd, ...others } = input;
  // the end of the sale is the one thing that may change after the end
  const onlySale = Object.values(others).every((v) => v === undefined);
  const saleEndsAt = saleEnd === undefined ? undefined : new Date(saleEnd);
  if (saleEndsAt) await checkSaleEnd(deps.db, stream.id, saleEndsAt, now);
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
  if ((stream.status === 'ended' && !onlySale) || (schedule && stream.status === 'live')) {
    refuse(stream.status);
  }
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
      ...(saleEndsAt ? { sale_ends_at: saleEndsAt } : {}),
    },
    schedule ? ['scheduled'] : onlySale ? ['scheduled', 'live', 'ended'] : ['scheduled', 'live'],
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
    saleEndsAt: row.sale_ends_at?.toISOString() ?? null,
  });
  return summary;
}
