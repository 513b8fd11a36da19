import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Tables of the recording and replay capability (issue 10), merged into DB in schema.ts.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** `waiting`: for the owner's camera; then the egress's own states. */
export type RecordingStatus = 'waiting' | 'starting' | 'active' | 'ending' | 'complete' | 'failed';

export interface StreamRecordingsTable {
  id: Generated<string>;
  stream_id: string;
  egress_id: ColumnType<string | null, string | null | undefined, string | null>;
  status: Generated<RecordingStatus>;
  /** why it failed (required when failed) */
  error: ColumnType<string | null, string | null | undefined, string | null>;
  /** the HLS playlist: a path relative to DATA_DIR/recordings, or an http(s) URL (S3) */
  playlist: ColumnType<string | null, string | null | undefined, string | null>;
  /** when the recording's first frame was taken */
  started_at: Timestamp;
  ended_at: Timestamp;
  duration_ms: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: CreatedAt;
}

/** Every pin and unpin of a stream's offers, so the replay shows them when they were. */
export interface StreamPinsTable {
  id: Generated<string>;
  stream_id: string;
  /** null: the owner unpinned */
  offer_id: string | null;
  pinned_at: CreatedAt;
}

export interface RecordingsTables {
  stream_recordings: StreamRecordingsTable;
  stream_pins: StreamPinsTable;
}

export type StreamRecordingRow = Selectable<StreamRecordingsTable>;
export type NewStreamRecordingRow = Insertable<StreamRecordingsTable>;
export type StreamRecordingUpdate = Updateable<StreamRecordingsTable>;
