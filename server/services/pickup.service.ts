import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Database } from '../../db/database';
import type { OrderRow } from '../../db/commerce.schema';
import { insertLedgerEntries } from '../../db/repositories/commission.repository';
import { lockOrderByCode, transitionOrder } from '../../db/repositories/order.repository';
import { listOrdersToPrepare } from '../../db/repositories/pickup.repository';
import { AppError } from '../errors';
import type { PrepareList } from '../contracts/order';
import { ledgerOnPickup } from '../rules/commission';
import { dayIn, isOverdue, SHOP_TIME_ZONE } from '../rules/pickup';
import type { User } from './auth.service';
import { announce, notify } from './notification.service';
import type { OrderDetail } from './order.service';
import { assertPickupStaff } from './order-query.service';
import { orderDetail, STATE_MESSAGE, type AfterSalesDeps } from './reversal.service';

// At the pickup point: what to pack for whom, and handing an order out by its code.

/** The shop's staff (owner, or the leader at their own point) hands out an order by code. */
export async function redeemPickup(
  deps: AfterSalesDeps,
  staff: User,
  shopId: string,
  code: string,
): Promise<OrderDetail> {
  const { leaderId } = await assertPickupStaff(deps.db, staff, shopId);
  const picked = await deps.db.transaction().execute(async (trx) => {
    const order = await lockOrderByCode(trx, shopId, code);
    if (!order) throw new AppError('not_found', `No order with pickup code ${code}.`);
    if (leaderId && order.pickup_leader_id !== leaderId) {
      throw new AppError('forbidden', 'This order is picked up at another point.');
    }
    if (order.state === 'picked_up') {
      throw new AppError(
        'pickup_code_used',
        `Already picked up at ${order.picked_up_at?.toISOString() ?? 'an earlier time'}.`,
      );
    }
    const changed = await transitionOrder(trx, order.id, ['confirmed', 'ready'], 'picked_up');
    if (!changed) throw new AppError('invalid_transition', STATE_MESSAGE[order.state]);
    const earned = ledgerOnPickup(order);
    await insertLedgerEntries(trx, earned);
    // the leader who brought the buyer hears the commission is theirs
    const told = await notifyLeaderOfCommission(trx, deps.config, order);
    return { id: order.id, told };
  });
  announce(deps, picked.told);
  return orderDetail(deps.db, picked.id);
}

export type { PrepareList };

/**
 * What to pack for whom at one pickup point today. An owner opening this in the morning
 * expects the confirmed orders still waiting to be collected that are due today, plus the
 * overdue ones (due earlier, never collected: the goods are still on the shelf and the buyer
 * needs a call), and not the pre-orders of a stream that airs on a later day, nor group
 * orders still waiting to form, nor anything picked up, cancelled or refunded. An order is
 * due from the later of the day it was confirmed and the day its stream airs. The owner's
 * dashboard counts the same list, so its numbers match the packing list it links to.
 */
export async function toPrepare(
  db: Database,
  staff: User,
  shopId: string,
  pickupPointId: string,
  now = new Date(),
): Promise<PrepareList> {
  const { leaderId } = await assertPickupStaff(db, staff, shopId);
  const pointLeader = pickupPointId === shopId ? null : pickupPointId;
  if (leaderId && pointLeader !== leaderId) {
    throw new AppError('forbidden', "Leaders see only their own point's list.");
  }
  const rows = await listOrdersToPrepare(db, shopId, pointLeader, {
    now,
    timeZone: SHOP_TIME_ZONE,
  });
  const today = dayIn(now, SHOP_TIME_ZONE);
  const totals = new Map<string, number>();
  const byCode = new Map<string, PrepareList['buyers'][number]>();
  for (const r of rows) {
    totals.set(r.product_name, (totals.get(r.product_name) ?? 0) + r.quantity);
    const entry = byCode.get(r.pickup_code) ?? {
      buyerName: r.buyer_name,
      phone: r.phone,
      pickupCode: r.pickup_code,
      dueOn: r.due_on,
      overdue: isOverdue(r.due_on, today),
      items: [],
    };
    entry.items.push({ productName: r.product_name, quantity: r.quantity });
    byCode.set(r.pickup_code, entry);
  }
  return {
    pickupPointId,
    today,
    totals: [...totals].map(([productName, quantity]) => ({ productName, quantity })),
    buyers: [...byCode.values()].sort((a, b) => a.buyerName.localeCompare(b.buyerName, 'zh-CN')),
  };
}

/** In the pickup's transaction: the attributed leader hears the commission is earned. */
async function notifyLeaderOfCommission(
  trx: Transaction<DB>,
  config: AfterSalesDeps['config'],
  order: OrderRow,
) {
  if (!order.leader_id || order.commission_cents <= 0) return [];
  const leader = await trx
    .selectFrom('leaders')
    .select('user_id')
    .where('id', '=', order.leader_id)
    .executeTakeFirst();
  if (!leader) return [];
  return notify(trx, config, [
    {
      user_id: leader.user_id,
      kind: 'commission_earned',
      stream_id: order.stream_id,
      data: { productName: order.product_name, amountCents: order.commission_cents },
      dedupe_key: `commission:${order.id}`,
    },
  ]);
}
