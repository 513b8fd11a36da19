import type { LedgerEntry } from '../../db/repositories/commission.repository';

/** rate × total in whole cents, rounded half up, computed in integers (rate has 4 decimals). */
export function commissionCents(rate: string, totalCents: number): number {
  const [whole = '0', frac = ''] = rate.split('.');
  const tenThousandths = Number(whole) * 10_000 + Number(frac.padEnd(4, '0').slice(0, 4));
  return Math.floor((totalCents * tenThousandths + 5_000) / 10_000);
}

// The commission ledger's moves: each event of an order's life moves its commission between
// buckets; the sum per bucket is what the leader sees. Nothing moves without a leader.

interface LedgerOrder {
  id: string;
  shop_id: string;
  leader_id: string | null;
  commission_cents: number;
}

function moves(
  order: LedgerOrder,
  reason: LedgerEntry['reason'],
  pairs: [LedgerEntry['bucket'], number][],
): LedgerEntry[] {
  if (!order.leader_id || order.commission_cents === 0) return [];
  const leaderId = order.leader_id;
  return pairs.map(([bucket, sign]) => ({
    leader_id: leaderId,
    shop_id: order.shop_id,
    order_id: order.id,
    bucket,
    amount_cents: sign * order.commission_cents,
    reason,
  }));
}

/** At order: the commission is pending. */
export const ledgerOnOrder = (o: LedgerOrder) => moves(o, 'order', [['pending', 1]]);
/** At pickup: pending becomes earned. */
export const ledgerOnPickup = (o: LedgerOrder) =>
  moves(o, 'pickup', [
    ['pending', -1],
    ['earned', 1],
  ]);
/** Cancel or refund: whatever was pending or earned is reversed (a negative entry). */
export const ledgerOnReverse = (o: LedgerOrder, wasEarned: boolean, reason: 'cancel' | 'refund') =>
  moves(o, reason, [
    [wasEarned ? 'earned' : 'pending', -1],
    ['reversed', 1],
  ]);
