import { sql, type Kysely } from 'kysely';

// Leaders: clicks on leader links (attribution and funnel numbers).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('leader_clicks')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('shop_id', 'uuid', (c) => c.notNull().references('shops.id'))
    .addColumn('leader_id', 'uuid', (c) => c.notNull().references('leaders.id'))
    /** random id in an HttpOnly cookie: the visitor before (or without) signing in */
    .addColumn('visitor_key', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('stream_id', 'uuid', (c) => c.references('streams.id'))
    /** link: /s/<code> or /live/<id>?ref=<code>; order: a ref sent with an order */
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('link'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('leader_clicks_source_valid', sql`source in ('link', 'order')`)
    .execute();
  await db.schema
    .createIndex('leader_clicks_shop_visitor_idx')
    .on('leader_clicks')
    .columns(['shop_id', 'visitor_key', 'created_at'])
    .execute();
  await db.schema
    .createIndex('leader_clicks_shop_user_idx')
    .on('leader_clicks')
    .columns(['shop_id', 'user_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('leader_clicks_leader_idx')
    .on('leader_clicks')
    .columns(['leader_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('leader_clicks').execute();
}
