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
 * Opens a recording for the stream, `waiting` for the owner's camera. Returns undefined when
 * one is already in progress (a repeated go-live): the unique index decides, not a read.
 */
export async function insertRecording(
  db: Database,
  streamId: string,
): Promise<StreamRecordingRow | undefined> {
  return db
    .insertInto('stream_recordings')
    .values({ stream_id: streamId })
    .onConflict((oc) =>
      oc.column('stream_id').where('status', 'in', ['waiting', 'starting', 'active']).doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
}

/** Updates a recording that is not finished; undefined when it is (or is gone). */
export async function updateUnfinishedRecording(
  db: Database,
  id: string,
  update: StreamRecordingUpdate,
): Promise<StreamRecordingRow | undefined> {
  return db
    .updateTable('stream_recordings')
    .set(update)
    .where('id', '=', id)
    .where('status', 'in', IN_PROGRESS)
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
