import { sql, type Kysely } from 'kysely';

// Realtime: comments, mutes, the shop's blocked words, likes.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('comments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('stream_id', 'uuid', (c) => c.notNull().references('streams.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('deleted_by', 'uuid', (c) => c.references('users.id'))
    .addCheckConstraint('comments_text_length', sql`char_length(text) between 1 and 200`)
    .execute();
  await db.schema
    .createIndex('comments_stream_created_idx')
    .on('comments')
    .columns(['stream_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('stream_mutes')
    .addColumn('stream_id', 'uuid', (c) => c.notNull().references('streams.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('muted_until', 'timestamptz', (c) => c.notNull())
    .addColumn('muted_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('stream_mutes_pk', ['stream_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('shop_blocked_words')
    .addColumn('shop_id', 'uuid', (c) => c.notNull().references('shops.id'))
    .addColumn('word', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('shop_blocked_words_pk', ['shop_id', 'word'])
    .addCheckConstraint('shop_blocked_words_length', sql`char_length(word) between 1 and 40`)
    .execute();

  await db.schema
    .alterTable('streams')
    .addColumn('like_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('streams').dropColumn('like_count').execute();
  for (const table of ['shop_blocked_words', 'stream_mutes', 'comments']) {
    await db.schema.dropTable(table).execute();
  }
}
