import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';

// What tests read back from the database to check what the app wrote.

/** An order's commission, summed per ledger bucket (0 where it has no entry). */
export async function ledgerOf(db: Kysely<DB>, orderId: string) {
  const entries = await db
    .selectFrom('commission_ledger')
    .select(['bucket', 'amount_cents'])
    .where('order_id', '=', orderId)
    .execute();
  const sums = { pending: 0, earned: 0, reversed: 0 };
  for (const e of entries) sums[e.bucket] += e.amount_cents;
  return sums;
}

/** The units an offer has left to sell. */
export async function remainingOf(db: Kysely<DB>, offerId: string): Promise<number> {
  const offer = await db
    .selectFrom('offers')
    .select('remaining')
    .where('id', '=', offerId)
    .executeTakeFirstOrThrow();
  return offer.remaining;
}
