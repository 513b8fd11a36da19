import { sql, type Transaction } from 'kysely';
import type { Database } from '../database';
import type { DB } from '../schema';
import type { CommissionLedgerTable, LedgerBucket } from '../commerce.schema';

/** One movement of a leader's commission, as written (the id and time are the database's). */
export type LedgerEntry = Omit<CommissionLedgerTable, 'id' | 'created_at'>;

export async function insertLedgerEntries(
  trx: Transaction<DB>,
  entries: LedgerEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await trx.insertInto('commission_ledger').values(entries).execute();
}

/** Sum per bucket for one leader (all shops, or one). */
export async function ledgerTotals(
  db: Database,
  leaderId: string,
): Promise<Record<LedgerBucket, number>> {
  const rows = await db
    .selectFrom('commission_ledger')
    .select(['bucket', sql<number>`coalesce(sum(amount_cents), 0)::int`.as('cents')])
    .where('leader_id', '=', leaderId)
    .groupBy('bucket')
    .execute();
  const totals: Record<LedgerBucket, number> = { pending: 0, earned: 0, reversed: 0 };
  for (const r of rows) totals[r.bucket] = r.cents;
  return totals;
}
