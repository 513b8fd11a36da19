import { sql, type Kysely } from 'kysely';

// Moderators (issue 15): people the owner appoints per shop to delete comments, mute and
// remove in its streams; and each comment's author role when it was written (owner, co-host,
// moderator), decided by the server, so a badge can never be claimed by a guest.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('shop_moderators')
    .addColumn('shop_id', 'uuid', (c) => c.notNull().references('shops.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('appointed_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('shop_moderators_pk', ['shop_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('shop_moderators_user_idx')
    .on('shop_moderators')
    .column('user_id')
    .execute();

  await db.schema.alterTable('comments').addColumn('author_role', 'text').execute();
  await sql`alter table comments add constraint comments_author_role_known
    check (author_role in ('owner', 'cohost', 'moderator'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('comments').dropColumn('author_role').execute();
  await db.schema.dropTable('shop_moderators').execute();
}
