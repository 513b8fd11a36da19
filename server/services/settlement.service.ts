import type { Database } from '../../db/database';
import type { PayoutRow } from '../../db/payouts.schema';
import { findLeader } from '../../db/repositories/leader.repository';
import {
  findPayout,
  insertPayout,
  lastPayoutEnd,
  listPayouts,
  lockLeaderForPayout,
  payoutEntryRows,
  statementOrders,
  unpaidEarnedEntries,
} from '../../db/repositories/settlement.repository';
import { findShopById } from '../../db/repositories/shop.repository';
import type { Payout, SettlementStatement, SettlementQuery } from '../contracts/settlement';
import { AppError } from '../errors';
import type { User } from './auth.service';
import { csvField } from './order-query.service';

export type { Payout, SettlementStatement };

export function payoutRowToPayout(row: PayoutRow): Payout {
  return {
    id: row.id,
    shopId: row.shop_id,
    leaderId: row.leader_id,
    periodStart: row.period_start.toISOString(),
    periodEnd: row.period_end.toISOString(),
    amountCents: row.amount_cents,
    createdAt: row.created_at.toISOString(),
  };
}

/** The shop's owner or the leader themself may read; anyone else is refused. */
async function loadForReader(db: Database, user: User, shopId: string, leaderId: string) {
  const shop = await findShopById(db, shopId);
  if (!shop) throw new AppError('not_found', 'No such shop.');
  const leader = await findLeader(db, shopId, leaderId);
  if (!leader) throw new AppError('not_found', 'No such leader.');
  const isOwner = shop.owner_id === user.id;
  if (!isOwner && leader.user_id !== user.id)
    throw new AppError('forbidden', "Only the shop's owner and the leader see this statement.");
  return { shop, leader, isOwner };
}

/** A leader's commission in one shop per order, with its payouts. */
export async function leaderStatement(
  db: Database,
  user: User,
  shopId: string,
  leaderId: string,
  query: SettlementQuery,
): Promise<SettlementStatement> {
  const { leader, isOwner } = await loadForReader(db, user, shopId, leaderId);
  const from = query.from ? new Date(query.from) : undefined;
  const to = query.to ? new Date(query.to) : undefined;
  if (from && to && from > to) throw new AppError('validation_failed', 'from is after to.');
  const [rows, payouts] = await Promise.all([
    statementOrders(db, { shopId, leaderId, from, to }),
    listPayouts(db, shopId, leaderId),
  ]);
  const totals = { pendingCents: 0, earnedCents: 0, reversedCents: 0, paidCents: 0 };
  const lines = rows.map((r) => {
    totals.pendingCents += r.pending_cents;
    totals.earnedCents += r.earned_cents;
    totals.reversedCents += r.reversed_cents;
    totals.paidCents += r.paid_cents;
    return {
      orderId: r.order_id,
      productName: r.product_name,
      orderTotalCents: r.total_cents,
      orderStatus: r.state,
      orderedAt: r.ordered_at.toISOString(),
      pendingCents: r.pending_cents,
      earnedCents: r.earned_cents,
      reversedCents: r.reversed_cents,
      paidCents: r.paid_cents,
    };
  });
  return {
    shopId,
    leaderId,
    leaderName: leader.display_name,
    viewerIsOwner: isOwner,
    totals: { ...totals, unpaidCents: totals.earnedCents - totals.paidCents },
    lines,
    payouts: payouts.map(payoutRowToPayout),
  };
}

/**
 * The owner marks everything earned up to `periodEnd` paid: one payout covering every earned
 * entry (a refund after pickup is a negative one) no payout has paid yet. Payouts to one
 * leader take turns on the leader's row lock, and the ledger entry's primary key in
 * payout_entries refuses a second payment even so.
 */
export async function markPeriodPaid(
  db: Database,
  owner: User,
  shopId: string,
  leaderId: string,
  periodEndIso: string,
): Promise<Payout> {
  const shop = await findShopById(db, shopId);
  if (!shop) throw new AppError('not_found', 'No such shop.');
  if (shop.owner_id !== owner.id)
    throw new AppError('forbidden', "Only the shop's owner pays its leaders.");
  const periodEnd = new Date(periodEndIso);
  if (periodEnd.getTime() > Date.now())
    throw new AppError('validation_failed', 'A period cannot end in the future.');
  const row = await db.transaction().execute(async (trx) => {
    if (!(await lockLeaderForPayout(trx, shopId, leaderId)))
      throw new AppError('not_found', 'No such leader.');
    const entries = await unpaidEarnedEntries(trx, { shopId, leaderId, periodEnd });
    const amountCents = entries.reduce((sum, e) => sum + e.amount_cents, 0);
    // a net of zero or less (refunds after an earlier payout) waits for later earnings
    if (entries.length === 0 || amountCents <= 0)
      throw new AppError('conflict', 'Nothing earned and unpaid up to this moment.');
    const periodStart =
      (await lastPayoutEnd(trx, shopId, leaderId)) ??
      new Date(Math.min(...entries.map((e) => e.created_at.getTime())));
    return insertPayout(
      trx,
      {
        shopId,
        leaderId,
        periodStart: periodStart > periodEnd ? periodEnd : periodStart,
        periodEnd,
        amountCents,
        createdBy: owner.id,
      },
      entries.map((e) => e.id),
    );
  });
  return payoutRowToPayout(row);
}

/**
 * A payout's entries as CSV (owner or the leader), amounts in integer cents (a refund after
 * pickup is negative), and a total line that equals the payout's amount.
 */
export async function payoutCsv(
  db: Database,
  user: User,
  shopId: string,
  leaderId: string,
  payoutId: string,
): Promise<{ csv: string; filename: string }> {
  const { shop } = await loadForReader(db, user, shopId, leaderId);
  const payout = await findPayout(db, { shopId, leaderId, payoutId });
  if (!payout) throw new AppError('not_found', 'No such payout.');
  const entries = await payoutEntryRows(db, payoutId);
  const header = [
    'payout_id',
    'order_id',
    'product',
    'order_total_cents',
    'reason',
    'at',
    'amount_cents',
  ];
  const lines = entries.map((e) =>
    [
      payout.id,
      e.order_id,
      e.product_name,
      e.total_cents,
      e.reason,
      e.created_at.toISOString(),
      e.amount_cents,
    ]
      .map(csvField)
      .join(','),
  );
  lines.push(
    [payout.id, 'total', null, null, null, payout.period_end.toISOString(), payout.amount_cents]
      .map(csvField)
      .join(','),
  );
  // BOM so spreadsheet programs read the Chinese text as UTF-8
  return {
    csv: `\uFEFF${header.join(',')}\r\n${lines.join('\r\n')}\r\n`,
    filename: `payout-${shop.slug}-${payout.period_end.toISOString().slice(0, 10)}-${payout.id.slice(0, 8)}.csv`,
  };
}
