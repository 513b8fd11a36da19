import { sql, type Kysely } from 'kysely';

// Commerce: orders, idempotency keys, pickups, refunds, commission ledger, event outbox.
// Frozen once shipped: add a new migration instead of editing this one.

export async function up(db: Kysely<unknown>): Promise<void> {
  // Group buys: the moment the threshold was reached or the deadline failed it. Set once,
  // under the offer's row lock, so "confirmed exactly once" is a conditional update.
  await db.schema
    .alterTable('offers')
    .addColumn('group_reached_at', 'timestamptz')
    .addColumn('group_failed_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .execute();
  await sql`alter table offers add constraint offers_group_outcome_single check (group_reached_at is null or group_failed_at is null)`.execute(
    db,
  );

  await db.schema
    .createTable('orders')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('shop_id', 'uuid', (c) => c.notNull().references('shops.id'))
    .addColumn('stream_id', 'uuid', (c) => c.notNull().references('streams.id'))
    .addColumn('offer_id', 'uuid', (c) => c.notNull().references('offers.id'))
    .addColumn('buyer_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('product_name', 'text', (c) => c.notNull())
    .addColumn('unit_price_cents', 'integer', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('total_cents', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('cancel_reason', 'text')
    .addColumn('phone', 'text', (c) => c.notNull())
    // null: picked up at the shop itself; otherwise the approved leader whose point it is
    .addColumn('pickup_leader_id', 'uuid', (c) => c.references('leaders.id'))
    .addColumn('pickup_code', 'text', (c) => c.notNull())
    .addColumn('leader_id', 'uuid', (c) => c.references('leaders.id'))
    .addColumn('commission_rate', 'numeric(5, 4)')
    .addColumn('commission_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('idempotency_key', 'text')
    .addColumn('request_hash', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('picked_up_at', 'timestamptz')
    .addColumn('paid_at', 'timestamptz')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('refunded_at', 'timestamptz')
    .addCheckConstraint(
      'orders_state_valid',
      sql`state in ('pending_group', 'confirmed', 'ready', 'picked_up', 'cancelled', 'refunded')`,
    )
    .addCheckConstraint('orders_quantity_positive', sql`quantity > 0`)
    .addCheckConstraint('orders_price_nonnegative', sql`unit_price_cents >= 0`)
    .addCheckConstraint('orders_total_matches', sql`total_cents = unit_price_cents * quantity`)
    .addCheckConstraint(
      'orders_leader_snapshot',
      sql`(leader_id is null) = (commission_rate is null) and commission_cents >= 0`,
    )
    .addCheckConstraint(
      'orders_idempotency_pair',
      sql`(idempotency_key is null) = (request_hash is null)`,
    )
    .addCheckConstraint('orders_pickup_code_format', sql`pickup_code ~ '^[0-9]{6}$'`)
    .addCheckConstraint(
      'orders_picked_up_paid',
      sql`state <> 'picked_up' or (picked_up_at is not null and paid_at is not null)`,
    )
    .addUniqueConstraint('orders_pickup_code_per_shop', ['shop_id', 'pickup_code'])
    .addUniqueConstraint('orders_idempotency_per_buyer', ['buyer_id', 'idempotency_key'])
    .execute();
  await db.schema
    .createIndex('orders_offer_buyer_idx')
    .on('orders')
    .columns(['offer_id', 'buyer_id'])
    .execute();
  await db.schema
    .createIndex('orders_shop_created_idx')
    .on('orders')
    .columns(['shop_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('orders_buyer_created_idx')
    .on('orders')
    .columns(['buyer_id', 'created_at'])
    .execute();
  await db.schema.createIndex('orders_stream_idx').on('orders').column('stream_id').execute();
  await db.schema.createIndex('orders_leader_idx').on('orders').column('leader_id').execute();

  await db.schema
    .createTable('refund_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id'))
    .addColumn('shop_id', 'uuid', (c) => c.notNull().references('shops.id'))
    .addColumn('buyer_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('photo_url', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_by', 'uuid', (c) => c.references('users.id'))
    .addCheckConstraint(
      'refund_requests_status_valid',
      sql`status in ('open', 'approved', 'declined')`,
    )
    .addCheckConstraint('refund_requests_resolved', sql`(status = 'open') = (resolved_at is null)`)
    .addCheckConstraint('refund_requests_reason_length', sql`char_length(reason) between 1 and 500`)
    .execute();
  // at most one open request per order
  await sql`create unique index refund_requests_one_open on refund_requests (order_id) where status = 'open'`.execute(
    db,
  );
  await db.schema
    .createIndex('refund_requests_shop_idx')
    .on('refund_requests')
    .columns(['shop_id', 'created_at'])
    .execute();

  // Commission ledger: every row moves an amount into (positive) or out of (negative) a
  // bucket. Sums per bucket are the leader's pending / earned / reversed commission, and
  // pending + earned always equals rate × net non-refunded attributed sales.
  await db.schema
    .createTable('commission_ledger')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('leader_id', 'uuid', (c) => c.notNull().references('leaders.id'))
    .addColumn('shop_id', 'uuid', (c) => c.notNull().references('shops.id'))
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id'))
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'commission_ledger_bucket_valid',
      sql`bucket in ('pending', 'earned', 'reversed')`,
    )
    .addCheckConstraint(
      'commission_ledger_reason_valid',
      sql`reason in ('order', 'pickup', 'cancel', 'refund')`,
    )
    .execute();
  await db.schema
    .createIndex('commission_ledger_leader_idx')
    .on('commission_ledger')
    .columns(['leader_id', 'bucket'])
    .execute();
  await db.schema
    .createIndex('commission_ledger_order_idx')
    .on('commission_ledger')
    .column('order_id')
    .execute();

  // Realtime events written in the same transaction as the change they announce; the
  // server publishes them after commit and deletes them, and a sweep republishes whatever a
  // crash left behind (at least once).
  await db.schema
    .createTable('commerce_outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('stream_id', 'uuid', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['commerce_outbox', 'commission_ledger', 'refund_requests', 'orders']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.alterTable('offers').dropConstraint('offers_group_outcome_single').execute();
  await db.schema
    .alterTable('offers')
    .dropColumn('group_reached_at')
    .dropColumn('group_failed_at')
    .dropColumn('closed_at')
    .execute();
}
