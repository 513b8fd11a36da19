import { sql, type Kysely } from 'kysely';

// Notices that reach people (issue 14.6): one row per event and recipient (dedupe_key makes
// a repeat of the event a no-op), written in the transaction of the change it tells of, so
// the rows are their own outbox: an email still pending after a crash is sent by the sweep.
// Residents ask to be reminded of a scheduled stream (提醒我) in stream_reminders.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('stream_id', 'uuid', (c) => c.references('streams.id').onDelete('set null'))
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('read_at', 'timestamptz')
    // the email channel: none (no address, or no SMTP), pending, sent or failed
    .addColumn('email_state', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('email_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('emailed_at', 'timestamptz')
    .execute();
  await sql`alter table notifications add constraint notifications_email_state_known
    check (email_state in ('none', 'pending', 'sent', 'failed'))`.execute(db);
  await sql`create index notifications_by_user on notifications (user_id, created_at desc)`.execute(
    db,
  );
  await sql`create index notifications_email_pending on notifications (created_at)
    where email_state = 'pending'`.execute(db);

  await db.schema
    .createTable('stream_reminders')
    .addColumn('stream_id', 'uuid', (c) => c.notNull().references('streams.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('stream_reminders_pk', ['stream_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stream_reminders').execute();
  await db.schema.dropTable('notifications').execute();
}
