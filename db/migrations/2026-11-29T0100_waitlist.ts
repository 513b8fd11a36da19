import { sql, type Kysely } from 'kysely';

// Waitlists for sold-out offers (issue 17.4). When units come back (a cancel, a refund
// before pickup, a raised quantity) the first in line gets one reserved for a while to
// confirm, then the next. A reserved unit is held apart from `remaining` in `reserved`, so
// the order statement and the stock gate, which read `remaining` alone, never sell it.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('offers')
    .addColumn('reserved', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`alter table offers add constraint offers_reserved_not_negative
    check (reserved >= 0)`.execute(db);

  await db.schema
    .createTable('waitlist_entries')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // the line's order: a sequence, so two joins in the same instant still have one order
    .addColumn('seq', 'bigserial', (c) => c.notNull().unique())
    .addColumn('offer_id', 'uuid', (c) => c.notNull().references('offers.id').onDelete('cascade'))
    .addColumn('stream_id', 'uuid', (c) => c.notNull().references('streams.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('waiting'))
    .addColumn('offered_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('order_id', 'uuid', (c) => c.references('orders.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`alter table waitlist_entries add constraint waitlist_state_known
    check (state in ('waiting', 'offered', 'claimed', 'expired', 'left'))`.execute(db);
  // one place in line per resident and offer
  await sql`create unique index waitlist_active_per_user on waitlist_entries (offer_id, user_id)
    where state in ('waiting', 'offered')`.execute(db);
  await sql`create index waitlist_queue on waitlist_entries (offer_id, seq)
    where state = 'waiting'`.execute(db);
  await sql`create index waitlist_offers_expiring on waitlist_entries (expires_at)
    where state = 'offered'`.execute(db);
  await sql`create index waitlist_by_user on waitlist_entries (user_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('waitlist_entries').execute();
  await db.schema.alterTable('offers').dropColumn('reserved').execute();
}
