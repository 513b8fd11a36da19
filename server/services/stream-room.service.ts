import type { Segment } from '../../db/media.schema';
import type { StreamRow } from '../../db/schema';
import { currentSegment } from '../../db/repositories/stream.repository';
import type { RoomMetadata } from '../../media/media.service';
import type { AppDeps } from '../context';
import { AppError } from '../errors';

// The LiveKit room of a stream: its name, its metadata, and opening it.

/** The LiveKit room of a stream is named after it: one room per stream, never reused. */
export function roomName(streamId: string): string {
  return streamId;
}

export function roomMetadata(stream: StreamRow, segment: Segment | null): RoomMetadata {
  return { streamId: stream.id, shopId: stream.shop_id, title: stream.title, segment };
}

/**
 * Opens (or opens again) the stream's room with its metadata, the segment on air included;
 * returns that segment. A media server that does not answer is 503 `unavailable`, and the
 * caller changes nothing: the room opens before the state does.
 */
export async function openStreamRoom(
  deps: Pick<AppDeps, 'db' | 'media' | 'logger'>,
  stream: StreamRow,
  failure: string,
): Promise<Segment | null> {
  const segment = (await currentSegment(deps.db, stream.id))?.segment ?? null;
  try {
    await deps.media.openRoom(roomName(stream.id), roomMetadata(stream, segment));
  } catch (err) {
    deps.logger.error({ err, streamId: stream.id }, failure);
    throw new AppError('unavailable', 'The media server is not answering; try again.');
  }
  return segment;
}
