import { sql, type Kysely } from 'kysely';

// Rating after pickup (issue 14, part 3): one rating per order, by its buyer, with stars,
// tags from a fixed list and a short text; the owner may answer it publicly once. The tag
// list is frozen here as it is in server/contracts/rating.ts: a new tag is a new migration.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('order_ratings')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'uuid', (c) =>
      c.notNull().unique().references('orders.id').onDelete('cascade'),
    )
    .addColumn('shop_id', 'uuid', (c) => c.notNull().references('shops.id').onDelete('cascade'))
    .addColumn('buyer_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('stars', 'smallint', (c) => c.notNull())
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('text', 'text')
    .addColumn('reply', 'text')
    .addColumn('replied_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('order_ratings_stars_range', sql`stars between 1 and 5`)
    .addCheckConstraint(
      'order_ratings_tags_known',
      sql`tags <@ array['fresh', 'generous', 'good_service', 'good_value',
        'not_fresh', 'bad_fruit', 'short_weight', 'slow_pickup']::text[]`,
    )
    .addCheckConstraint('order_ratings_text_length', sql`char_length(text) between 1 and 200`)
    .addCheckConstraint('order_ratings_reply_length', sql`char_length(reply) between 1 and 300`)
    .addCheckConstraint('order_ratings_reply_dated', sql`(reply is null) = (replied_at is null)`)
    .execute();
  // the shop page: the shop's ratings, newest first
  await db.schema
    .createIndex('order_ratings_shop_created_idx')
    .on('order_ratings')
    .columns(['shop_id', 'created_at desc'])
    .execute();
  await db.schema
    .createIndex('order_ratings_buyer_idx')
    .on('order_ratings')
    .column('buyer_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('order_ratings').execute();
}
