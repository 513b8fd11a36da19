import type { Database } from '../../db/database';
import type { LedgerEntry } from '../../db/repositories/commission.repository';
import { findShopById } from '../../db/repositories/shop.repository';
import { attributeOrder } from './leader.service';
import type { OrderRow } from '../../db/commerce.schema';

/** Who gets the commission on an order, snapshotted on it. */
export interface Attribution {
  leaderId: string;
  /** numeric(5,4) as its exact decimal string, e.g. "0.0800" */
  rate: string;
}

/**
 * The leader credited with an order, per the SPEC's attribution rule (see attributeOrder):
 * the order's `ref`, else the buyer's last leader-link click within the shop's window.
 */
export async function resolveAttribution(
  db: Database,
  input: {
    shopId: string;
    buyerId: string;
    ref?: string | undefined;
    visitorKey?: string | undefined;
    /** The shop's window when the caller already has it (saves a query per order). */
    attributionDays?: number | undefined;
    /** The buyer's last click in the window, when already read (see attributeOrder). */
    lastClickLeaderId?: string | null | undefined;
  },
): Promise<Attribution | null> {
  let attributionDays = input.attributionDays;
  if (attributionDays === undefined) {
    const shop = await findShopById(db, input.shopId);
    if (!shop) return null;
    attributionDays = shop.attribution_days;
  }
  return attributeOrder(db, {
    shopId: input.shopId,
    attributionDays,
    buyerId: input.buyerId,
    visitorKey: input.visitorKey ?? null,
    ref: input.ref,
    ...(input.lastClickLeaderId === undefined
      ? {}
      : { lastClickLeaderId: input.lastClickLeaderId }),
  });
}

type LedgerOrder = Pick<OrderRow, 'id' | 'shop_id' | 'leader_id' | 'commission_cents'>;

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
