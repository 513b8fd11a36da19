import { sql, type Transaction } from 'kysely';
import type { Database } from '../database';
import type { DB } from '../schema';
import type { LedgerBucket, LedgerReason } from '../commerce.schema';

export interface LedgerEntry {
  leader_id: string;
  shop_id: string;
  order_id: string;
  bucket: LedgerBucket;
  amount_cents: number;
  reason: LedgerReason;
}

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
