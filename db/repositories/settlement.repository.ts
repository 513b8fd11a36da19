import { sql, type Transaction } from 'kysely';
import type { Database } from '../database';
import type { DB } from '../schema';
import type { PayoutRow } from '../payouts.schema';

export interface StatementOrderRow {
  order_id: string;
  product_name: string;
  total_cents: number;
  state: string;
  ordered_at: Date;
  pending_cents: number;
  earned_cents: number;
  reversed_cents: number;
  paid_cents: number;
}

/**
 * One leader's commission in one shop, per order: the sum of each bucket over the ledger
 * entries made in [from, to), and of the earned entries a payout has paid.
 */
export async function statementOrders(
  db: Database,
  opts: { shopId: string; leaderId: string; from?: Date; to?: Date },
): Promise<StatementOrderRow[]> {
  let q = db
    .selectFrom('commission_ledger as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .leftJoin('payout_entries as pe', 'pe.ledger_id', 'l.id')
    .select([
      'o.id as order_id',
      'o.product_name',
      'o.total_cents',
      'o.state',
      'o.created_at as ordered_at',
      sql<number>`coalesce(sum(l.amount_cents) filter (where l.bucket = 'pending'), 0)::int`.as(
        'pending_cents',
      ),
      sql<number>`coalesce(sum(l.amount_cents) filter (where l.bucket = 'earned'), 0)::int`.as(
        'earned_cents',
      ),
      sql<number>`coalesce(sum(l.amount_cents) filter (where l.bucket = 'reversed'), 0)::int`.as(
        'reversed_cents',
      ),
      sql<number>`coalesce(sum(l.amount_cents) filter (where pe.ledger_id is not null), 0)::int`.as(
        'paid_cents',
      ),
    ])
    .where('l.shop_id', '=', opts.shopId)
    .where('l.leader_id', '=', opts.leaderId);
  if (opts.from) q = q.where('l.created_at', '>=', opts.from);
  if (opts.to) q = q.where('l.created_at', '<', opts.to);
  return q
    .groupBy(['o.id', 'o.product_name', 'o.total_cents', 'o.state', 'o.created_at'])
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id')
    .execute();
}

export async function listPayouts(
  db: Database,
  shopId: string,
  leaderId: string,
): Promise<PayoutRow[]> {
  return db
    .selectFrom('payouts')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('leader_id', '=', leaderId)
    .orderBy('period_end', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

export async function findPayout(
  db: Database,
  opts: { shopId: string; leaderId: string; payoutId: string },
): Promise<PayoutRow | undefined> {
  return db
    .selectFrom('payouts')
    .selectAll()
    .where('id', '=', opts.payoutId)
    .where('shop_id', '=', opts.shopId)
    .where('leader_id', '=', opts.leaderId)
    .executeTakeFirst();
}

/** The ledger entries a payout paid, with their orders, oldest first. */
export async function payoutEntryRows(db: Database, payoutId: string) {
  return db
    .selectFrom('payout_entries as pe')
    .innerJoin('commission_ledger as l', 'l.id', 'pe.ledger_id')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .select([
      'l.id as ledger_id',
      'l.order_id',
      'l.reason',
      'l.amount_cents',
      'l.created_at',
      'o.product_name',
      'o.total_cents',
    ])
    .where('pe.payout_id', '=', payoutId)
    .orderBy('l.created_at')
    .orderBy('l.id')
    .execute();
}

/**
 * Locks the leader's row for the rest of the transaction: payouts to one leader happen one
 * after another, so the second sees what the first paid.
 */
export async function lockLeaderForPayout(
  trx: Transaction<DB>,
  shopId: string,
  leaderId: string,
): Promise<boolean> {
  const row = await trx
    .selectFrom('leaders')
    .select('id')
    .where('id', '=', leaderId)
    .where('shop_id', '=', shopId)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/** Earned entries up to `periodEnd` that no payout has paid (call under the leader's lock). */
export async function unpaidEarnedEntries(
  trx: Transaction<DB>,
  opts: { shopId: string; leaderId: string; periodEnd: Date },
) {
  return trx
    .selectFrom('commission_ledger as l')
    .select(['l.id', 'l.amount_cents', 'l.created_at'])
    .where('l.shop_id', '=', opts.shopId)
    .where('l.leader_id', '=', opts.leaderId)
    .where('l.bucket', '=', 'earned')
    .where('l.created_at', '<=', opts.periodEnd)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('payout_entries as pe')
            .select('pe.ledger_id')
            .whereRef('pe.ledger_id', '=', 'l.id'),
        ),
      ),
    )
    .orderBy('l.id')
    .execute();
}

export async function lastPayoutEnd(
  trx: Transaction<DB>,
  shopId: string,
  leaderId: string,
): Promise<Date | undefined> {
  const row = await trx
    .selectFrom('payouts')
    .select((eb) => eb.fn.max('period_end').as('end'))
    .where('shop_id', '=', shopId)
    .where('leader_id', '=', leaderId)
    .executeTakeFirst();
  return row?.end ?? undefined;
}

/** Writes a payout and links its entries to it; the entries' primary key refuses a second payment. */
export async function insertPayout(
  trx: Transaction<DB>,
  payout: {
    shopId: string;
    leaderId: string;
    periodStart: Date;
    periodEnd: Date;
    amountCents: number;
    createdBy: string;
  },
  ledgerIds: number[],
): Promise<PayoutRow> {
  const row = await trx
    .insertInto('payouts')
    .values({
      shop_id: payout.shopId,
      leader_id: payout.leaderId,
      period_start: payout.periodStart,
      period_end: payout.periodEnd,
      amount_cents: payout.amountCents,
      created_by: payout.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('payout_entries')
    .values(ledgerIds.map((ledgerId) => ({ ledger_id: ledgerId, payout_id: row.id })))
    .execute();
  return row;
}
