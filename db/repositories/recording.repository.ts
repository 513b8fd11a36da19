import type { Database } from '../database';
import type {
  RecordingStatus,
  StreamRecordingRow,
  StreamRecordingUpdate,
} from '../recordings.schema';

// The recordings of streams (issue 10). Every update that follows the egress is conditional
// on the row not being finished yet: a late webhook or poll never revives or rewrites a
// recording that is already complete or failed.

const IN_PROGRESS: RecordingStatus[] = ['waiting', 'starting', 'active', 'ending'];

/**
 * Opens a recording for the stream, `waiting` for the owner's camera, if the stream is live.
 * Returns undefined when it is not, or when one is already in progress (a repeated go-live):
 * the statement decides, not a read, so a recording reopened as the stream ends is not left
 * waiting after the end.
 */
export async function insertRecording(
  db: Database,
  streamId: string,
): Promise<StreamRecordingRow | undefined> {
  return db
    .insertInto('stream_recordings')
    .columns(['stream_id'])
    .expression((eb) =>
      eb
        .selectFrom('streams')
        .select('id as stream_id')
        .where('id', '=', streamId)
        .where('status', '=', 'live'),
    )
    .onConflict((oc) =>
      oc.column('stream_id').where('status', 'in', ['waiting', 'starting', 'active']).doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
}

/**
 * Updates a recording that is not finished (or, given `from`, is in one of those states);
 * undefined when it is not (or is gone).
 */
export async function updateUnfinishedRecording(
  db: Database,
  id: string,
  update: StreamRecordingUpdate,
  from: RecordingStatus[] = IN_PROGRESS,
): Promise<StreamRecordingRow | undefined> {
  return db
    .updateTable('stream_recordings')
    .set(update)
    .where('id', '=', id)
    .where('status', 'in', from)
    .returningAll()
    .executeTakeFirst();
}

export async function findRecordingByEgress(
  db: Database,
  egressId: string,
): Promise<StreamRecordingRow | undefined> {
  return db
    .selectFrom('stream_recordings')
    .selectAll()
    .where('egress_id', '=', egressId)
    .executeTakeFirst();
}

export async function findRecording(
  db: Database,
  id: string,
): Promise<StreamRecordingRow | undefined> {
  return db.selectFrom('stream_recordings').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The recording of the stream still waiting or running, if any. */
export async function findRunningRecording(
  db: Database,
  streamId: string,
): Promise<StreamRecordingRow | undefined> {
  return db
    .selectFrom('stream_recordings')
    .selectAll()
    .where('stream_id', '=', streamId)
    .where('status', 'in', ['waiting', 'starting', 'active'])
    .executeTakeFirst();
}

/** Every recording of the stream, oldest first (one per go-live or resume). */
export async function listRecordings(
  db: Database,
  streamId: string,
): Promise<StreamRecordingRow[]> {
  return db
    .selectFrom('stream_recordings')
    .selectAll()
    .where('stream_id', '=', streamId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Whether the stream has a recording besides `id` that recorded something. */
export async function hasOtherRecording(
  db: Database,
  streamId: string,
  id: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('stream_recordings')
    .select('id')
    .where('stream_id', '=', streamId)
    .where('id', '!=', id)
    .where('egress_id', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Drops a recording that never recorded (its egress never started). */
export async function deleteUnstartedRecording(db: Database, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('stream_recordings')
    .where('id', '=', id)
    .where('egress_id', 'is', null)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
