import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('is_guest', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('locale', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('users_email_lowercase', sql`email = lower(email)`)
    .addCheckConstraint(
      'users_guest_or_account',
      sql`(is_guest and email is null and password_hash is null) or (not is_guest and email is not null and password_hash is not null)`,
    )
    .addCheckConstraint('users_name_length', sql`char_length(name) between 1 and 40`)
    .execute();

  await db.schema
    .createTable('sessions')
    // sha-256 of the token in the cookie: a leaked table does not leak sessions
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('shops')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('pickup_hours', 'text')
    .addColumn('story', 'text')
    .addColumn('attribution_days', 'integer', (c) => c.notNull().defaultTo(7))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('shops_slug_format', sql`slug ~ '^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$'`)
    .addCheckConstraint('shops_attribution_days_range', sql`attribution_days between 1 and 30`)
    .execute();
  await db.schema.createIndex('shops_owner_id_idx').on('shops').column('owner_id').execute();

  await db.schema
    .createTable('products')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('shop_id', 'uuid', (c) => c.notNull().references('shops.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('story', 'text')
    .addColumn('image_url', 'text')
    .addColumn('price_cents', 'integer', (c) => c.notNull())
    .addColumn('stock', 'integer', (c) => c.notNull())
    .addColumn('archived_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('products_price_nonnegative', sql`price_cents >= 0`)
    .addCheckConstraint('products_stock_nonnegative', sql`stock >= 0`)
    .execute();
  await db.schema.createIndex('products_shop_id_idx').on('products').column('shop_id').execute();

  await db.schema
    .createTable('streams')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('shop_id', 'uuid', (c) => c.notNull().references('shops.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('cover_url', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('scheduled'))
    .addColumn('scheduled_at', 'timestamptz')
    .addColumn('started_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('pinned_offer_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('streams_status_valid', sql`status in ('scheduled', 'live', 'ended')`)
    .execute();
  await db.schema.createIndex('streams_shop_id_idx').on('streams').column('shop_id').execute();

  await db.schema
    .createTable('offers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('stream_id', 'uuid', (c) => c.notNull().references('streams.id'))
    .addColumn('product_id', 'uuid', (c) => c.notNull().references('products.id'))
    .addColumn('price_cents', 'integer', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('remaining', 'integer', (c) => c.notNull())
    .addColumn('per_buyer_limit', 'integer')
    .addColumn('group_min', 'integer')
    .addColumn('group_deadline', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('offers_price_nonnegative', sql`price_cents >= 0`)
    .addCheckConstraint('offers_remaining_in_range', sql`remaining >= 0 and remaining <= quantity`)
    .addCheckConstraint(
      'offers_per_buyer_limit_positive',
      sql`per_buyer_limit is null or per_buyer_limit > 0`,
    )
    .addCheckConstraint('offers_group_min_positive', sql`group_min is null or group_min > 0`)
    .execute();
  await db.schema.createIndex('offers_stream_id_idx').on('offers').column('stream_id').execute();
  await db.schema
    .alterTable('streams')
    .addForeignKeyConstraint('streams_pinned_offer_fk', ['pinned_offer_id'], 'offers', ['id'])
    .execute();

  await db.schema
    .createTable('leaders')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('shop_id', 'uuid', (c) => c.notNull().references('shops.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('community', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('code', 'text', (c) => c.unique())
    .addColumn('commission_rate', 'numeric(5, 4)')
    .addColumn('pickup_address', 'text')
    .addColumn('pickup_hours', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('approved_at', 'timestamptz')
    .addUniqueConstraint('leaders_shop_user_unique', ['shop_id', 'user_id'])
    .addCheckConstraint(
      'leaders_status_valid',
      sql`status in ('pending', 'approved', 'declined', 'suspended')`,
    )
    .addCheckConstraint(
      'leaders_commission_rate_range',
      sql`commission_rate is null or (commission_rate >= 0 and commission_rate <= 1)`,
    )
    .addCheckConstraint(
      'leaders_approved_has_code',
      sql`status <> 'approved' or (code is not null and commission_rate is not null)`,
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['leaders', 'offers', 'streams', 'products', 'shops', 'sessions', 'users']) {
    await db.schema.dropTable(table).cascade().execute();
  }
}
