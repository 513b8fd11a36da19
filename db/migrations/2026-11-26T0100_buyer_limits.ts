import { sql, type Kysely } from 'kysely';

// Anti-hoarding (issue 12): a shop's default per-buyer limit, for offers without their own
// (null: none), and the index that lets a limit count a buyer's units by phone number as
// well as by account, so five guests with one phone are one buyer.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('shops')
    .addColumn('default_buyer_limit', 'integer', (c) => c.defaultTo(5))
    .execute();
  await sql`alter table shops add constraint shops_default_buyer_limit_range
    check (default_buyer_limit between 1 and 99)`.execute(db);
  await db.schema
    .createIndex('orders_offer_phone')
    .on('orders')
    .columns(['offer_id', 'phone'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('orders_offer_phone').execute();
  await db.schema.alterTable('shops').dropColumn('default_buyer_limit').execute();
}
