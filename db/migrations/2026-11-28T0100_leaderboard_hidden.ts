import type { Kysely } from 'kysely';

// The in-stream 团长榜 (issue 17): the owner may hide it from viewers for a stream; shown by
// default, so existing streams keep it.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('streams')
    .addColumn('leaderboard_hidden', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('streams').dropColumn('leaderboard_hidden').execute();
}
