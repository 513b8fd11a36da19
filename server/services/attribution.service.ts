import type { Database } from '../../db/database';
import type { LeaderRow } from '../../db/schema';
import {
  findLastClick,
  findLeader,
  findLeaderByCode,
  recordClickUnlessRecent,
} from '../../db/repositories/leader.repository';

// Who earns an order: the one place the SPEC's attribution rule is applied (order.service
// calls it once per order; leader.service records the clicks it reads).

/** Clicks of one visitor on one leader's link within this many seconds count once. */
export const CLICK_DEDUPE_SECONDS = 60;

/** Who gets the commission on an order, snapshotted on it. */
export interface Attribution {
  leaderId: string;
  /** numeric(5,4) as its exact decimal string, e.g. "0.0800" */
  rate: string;
  /** The leader's group as the overlay names it, read from the same leader row. */
  displayName: string;
  community: string | null;
}

/**
 * SPEC "Attribution": the last click within the shop's window wins — a `ref` sent with the
 * order is a click at that moment, so it wins over any recorded one. The winner earns only
 * if approved and not the buyer; an ineligible last click is not replaced by an older one.
 */
export async function attributeOrder(
  db: Database,
  input: {
    shopId: string;
    attributionDays: number;
    buyerId: string;
    visitorKey: string | null;
    ref?: string | undefined;
    now?: Date;
    /**
     * The buyer's last click in the window when the caller already read it (the order path
     * reads it with the offer, in the same query): the leader's id, or null for none.
     * Undefined: look it up here.
     */
    lastClickLeaderId?: string | null;
  },
): Promise<Attribution | null> {
  const now = input.now ?? new Date();
  let leader: LeaderRow | undefined;
  if (input.ref) {
    const byRef = await findLeaderByCode(db, input.ref);
    if (byRef && byRef.shop_id === input.shopId) {
      leader = byRef;
      // kept, so later orders in the window without a ref still find this click
      await recordClickUnlessRecent(
        db,
        {
          shopId: input.shopId,
          leaderId: byRef.id,
          visitorKey: input.visitorKey ?? `user:${input.buyerId}`,
          userId: input.buyerId,
          streamId: null,
          source: 'order',
          at: now,
        },
        CLICK_DEDUPE_SECONDS,
      );
    }
  }
  if (!leader) {
    let lastLeaderId = input.lastClickLeaderId;
    if (lastLeaderId === undefined) {
      const since = new Date(now.getTime() - input.attributionDays * 86_400_000);
      const last = await findLastClick(db, {
        shopId: input.shopId,
        userId: input.buyerId,
        visitorKey: input.visitorKey,
        since,
      });
      lastLeaderId = last?.leaderId ?? null;
    }
    if (lastLeaderId) leader = await findLeader(db, input.shopId, lastLeaderId);
  }
  if (!leader || leader.status !== 'approved' || leader.commission_rate === null) return null;
  if (leader.user_id === input.buyerId) return null;
  return {
    leaderId: leader.id,
    rate: leader.commission_rate,
    displayName: leader.display_name,
    community: leader.community,
  };
}
