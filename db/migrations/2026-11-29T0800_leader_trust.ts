import { sql, type Kysely } from 'kysely';

// The leader trust index's history (issue 14.4): one row per leader and day (the shop's
// day), the index as it stood when last computed that day. 金牌团长 reads a month of these.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('leader_trust_days')
    .addColumn('leader_id', 'uuid', (c) => c.notNull().references('leaders.id').onDelete('cascade'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('satisfaction', 'real', (c) => c.notNull())
    .addColumn('activity', 'real', (c) => c.notNull())
    .addColumn('speed', 'real', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('leader_trust_days_pk', ['leader_id', 'day'])
    .execute();
  await sql`alter table leader_trust_days add constraint leader_trust_score_range
    check (score between 0 and 100)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('leader_trust_days').execute();
}
