import { sql, type Kysely } from 'kysely';

// Settlement (issue 14.5): a payout pays a leader every earned ledger entry of one shop up to
// its period_end that no earlier payout paid. payout_entries' primary key on the ledger entry
// is what makes an entry paid once, whatever the code around it does.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('payouts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('shop_id', 'uuid', (c) => c.notNull().references('shops.id'))
    .addColumn('leader_id', 'uuid', (c) => c.notNull().references('leaders.id'))
    .addColumn('period_start', 'timestamptz', (c) => c.notNull())
    .addColumn('period_end', 'timestamptz', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('payouts_amount_positive', sql`amount_cents > 0`)
    .addCheckConstraint('payouts_period_ordered', sql`period_start <= period_end`)
    .execute();
  await sql`create index payouts_by_leader on payouts (leader_id, shop_id, period_end desc)`.execute(
    db,
  );
  await db.schema
    .createTable('payout_entries')
    .addColumn('ledger_id', 'bigint', (c) => c.primaryKey().references('commission_ledger.id'))
    .addColumn('payout_id', 'uuid', (c) => c.notNull().references('payouts.id').onDelete('cascade'))
    .execute();
  await sql`create index payout_entries_by_payout on payout_entries (payout_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('payout_entries').execute();
  await db.schema.dropTable('payouts').execute();
}
