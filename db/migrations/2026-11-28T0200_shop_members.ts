import { sql, type Kysely } from 'kysely';

// The shop's private domain (issue 17): residents join a shop (关注/入群), credited to the
// leader whose link brought them (the last click in the attribution window when they
// joined), and a stream can be for members only. Existing streams stay public.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('shop_members')
    .addColumn('shop_id', 'uuid', (c) => c.notNull().references('shops.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('leader_id', 'uuid', (c) => c.references('leaders.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('shop_members_pk', ['shop_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('shop_members_user_idx')
    .on('shop_members')
    .column('user_id')
    .execute();

  await db.schema
    .alterTable('streams')
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('public'))
    .execute();
  await sql`alter table streams add constraint streams_visibility_known
    check (visibility in ('public', 'members'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('streams').dropColumn('visibility').execute();
  await db.schema.dropTable('shop_members').execute();
}
