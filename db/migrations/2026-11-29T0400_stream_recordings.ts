import { sql, type Kysely } from 'kysely';

// Recording, always on (issue 10): one row per egress the recorder runs for a stream, from
// go-live (or a resume) to the end. `waiting` until the owner's camera is published, then
// the egress's own states; a recording that goes wrong is `failed` with its reason, never
// silently missing. A stream has at most one recording in progress at a time.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stream_recordings')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('stream_id', 'uuid', (c) => c.notNull().references('streams.id').onDelete('cascade'))
    .addColumn('egress_id', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('waiting'))
    .addColumn('error', 'text')
    // where the HLS playlist is: a path under DATA_DIR/recordings, or an https URL (S3)
    .addColumn('playlist', 'text')
    .addColumn('started_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('duration_ms', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`alter table stream_recordings add constraint stream_recordings_status_known
    check (status in ('waiting', 'starting', 'active', 'ending', 'complete', 'failed'))`.execute(
    db,
  );
  await sql`alter table stream_recordings add constraint stream_recordings_failed_has_reason
    check (status <> 'failed' or error is not null)`.execute(db);
  await sql`create unique index stream_recordings_one_in_progress on stream_recordings (stream_id)
    where status in ('waiting', 'starting', 'active')`.execute(db);
  await sql`create index stream_recordings_by_stream on stream_recordings (stream_id, created_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stream_recordings').execute();
}
