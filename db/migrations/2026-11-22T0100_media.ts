import { sql, type Kysely } from 'kysely';

// Media: stream segments, co-hosts, removed participants, webhook events, participant
// sessions. Frozen once shipped; add a new migration instead of editing this one.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stream_segments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('stream_id', 'uuid', (c) => c.notNull().references('streams.id'))
    // null: the owner cleared the label
    .addColumn('segment', 'text')
    .addColumn('set_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'stream_segments_segment_valid',
      sql`segment is null or segment in ('sourcing', 'kitchen', 'tasting', 'qa')`,
    )
    .execute();
  await db.schema
    .createIndex('stream_segments_stream_idx')
    .on('stream_segments')
    .columns(['stream_id', 'started_at'])
    .execute();

  await db.schema
    .createTable('stream_cohosts')
    .addColumn('stream_id', 'uuid', (c) => c.notNull().references('streams.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('invited_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('invited'))
    .addColumn('invited_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addPrimaryKeyConstraint('stream_cohosts_pk', ['stream_id', 'user_id'])
    .addCheckConstraint(
      'stream_cohosts_status_valid',
      sql`status in ('invited', 'accepted', 'revoked')`,
    )
    .addCheckConstraint(
      'stream_cohosts_accepted_has_time',
      sql`status <> 'accepted' or accepted_at is not null`,
    )
    .execute();

  await db.schema
    .createTable('stream_removed_participants')
    .addColumn('stream_id', 'uuid', (c) => c.notNull().references('streams.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('removed_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('removed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('stream_removed_participants_pk', ['stream_id', 'user_id'])
    .execute();

  // One row per webhook event id: the primary key makes a replay a no-op.
  await db.schema
    .createTable('livekit_webhook_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('room_name', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // A participant's stay in a stream's room, from LiveKit's join/leave webhooks.
  await db.schema
    .createTable('participant_sessions')
    .addColumn('participant_sid', 'text', (c) => c.primaryKey())
    .addColumn('stream_id', 'uuid', (c) => c.notNull().references('streams.id'))
    // our user id, or a visitor-… identity for a viewer who is not signed in
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull())
    .addColumn('left_at', 'timestamptz')
    .addCheckConstraint(
      'participant_sessions_left_after_join',
      sql`left_at is null or left_at >= joined_at`,
    )
    .execute();
  await db.schema
    .createIndex('participant_sessions_stream_idx')
    .on('participant_sessions')
    .columns(['stream_id', 'left_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'participant_sessions',
    'livekit_webhook_events',
    'stream_removed_participants',
    'stream_cohosts',
    'stream_segments',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
