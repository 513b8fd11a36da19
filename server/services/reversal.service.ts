import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Database } from '../../db/database';
import type { OrderRow, OrderState } from '../../db/commerce.schema';
import { insertLedgerEntries } from '../../db/repositories/commission.repository';
import {
  findOrderListRow,
  returnStock,
  transitionOrder,
} from '../../db/repositories/order.repository';
import { insertOutbox, type OutboxRow } from '../../db/repositories/outbox.repository';
import type { AppDeps } from '../context';
import { AppError } from '../errors';
import { ledgerOnReverse } from '../rules/commission';
import { offerStatus } from '../rules/offer';
import { offerUpdate } from '../contracts/realtime';
import { orderListRowToDetail, type OrderDetail } from './order.service';
import { publishCommitted, toOutbox } from './outbox.service';
import { stockGateFor } from './stock-gate.service';
import { handToLine, scheduleHolds, type Handed } from './waitlist.service';

// Taking an order out of circulation after it was placed (the buyer cancels, the shop
// refunds), and what the after-sales services share: the order as answered, the refusal of
// a transition its state does not allow.

export type AfterSalesDeps = Pick<AppDeps, 'config' | 'db' | 'realtime' | 'logger'>;

/** The order as the buyer's and the owner's lists show it. */
export async function orderDetail(db: Database, orderId: string): Promise<OrderDetail> {
  const row = await findOrderListRow(db, orderId);
  if (!row) throw new AppError('not_found', 'No such order.');
  return orderListRowToDetail(row);
}

/** Why an order in this state refuses the transition asked for. */
export const STATE_MESSAGE: Record<OrderState, string> = {
  pending_group: 'This order is still waiting for its group to form.',
  confirmed: 'This order is confirmed.',
  ready: 'This order is ready.',
  picked_up: 'This order has already been picked up.',
  cancelled: 'This order was cancelled.',
  refunded: 'This order was refunded.',
};

/**
 * Takes an order out of circulation (cancel or refund): the state change is conditional,
 * units go back to the offer when the goods never left the shop, and the commission is
 * reversed (a negative earned entry when it had been earned).
 */
export async function reverseOrder(
  trx: Transaction<DB>,
  config: AfterSalesDeps['config'],
  order: OrderRow,
  to: 'cancelled' | 'refunded',
  from: readonly OrderState[],
  cancelReason?: string,
): Promise<{
  order: OrderRow;
  outbox: OutboxRow[];
  remaining: number | null;
  handed: Handed | null;
}> {
  const changed = await transitionOrder(
    trx,
    order.id,
    from,
    to,
    cancelReason ? { cancel_reason: cancelReason } : {},
  );
  if (!changed) throw new AppError('invalid_transition', STATE_MESSAGE[order.state]);
  const wasPickedUp = order.state === 'picked_up';
  await insertLedgerEntries(
    trx,
    ledgerOnReverse(order, wasPickedUp, to === 'refunded' ? 'refund' : 'cancel'),
  );
  let outbox: OutboxRow[] = [];
  let remaining: number | null = null;
  let handed: Handed | null = null;
  if (!wasPickedUp) {
    await returnStock(trx, order.offer_id, order.quantity);
    // the offer's waitlist has the units first
    handed = await handToLine(trx, config, { offerId: order.offer_id, streamId: order.stream_id });
    const stock = handed;
    remaining = stock.remaining;
    const offer = await trx
      .selectFrom('offers')
      .select(['group_min', 'group_reached_at', 'group_failed_at', 'closed_at'])
      .where('id', '=', order.offer_id)
      .executeTakeFirstOrThrow();
    outbox = await insertOutbox(
      trx,
      toOutbox(order.stream_id, [
        {
          event: 'offer:update',
          payload: offerUpdate({
            streamId: order.stream_id,
            offerId: order.offer_id,
            quantity: stock.quantity,
            remaining: stock.remaining,
            groupMin: stock.group_min,
            status: offerStatus({ ...offer, remaining: stock.remaining }),
          }),
        },
      ]),
    );
    outbox.push(...handed.outbox);
  }
  return { order: changed, outbox, remaining, handed };
}

/** After the reversing transaction commits: the stock gate, the overlay, the waitlist. */
export async function afterReverse(
  deps: AfterSalesDeps,
  offerId: string,
  { outbox, remaining, handed }: Awaited<ReturnType<typeof reverseOrder>>,
) {
  // units went back on the offer: the stock gate starts a new epoch with them
  if (remaining !== null) await stockGateFor(deps).restocked(offerId, remaining);
  publishCommitted(deps.db, deps.realtime, outbox, (err) =>
    deps.logger.error({ err }, 'outbox delete failed'),
  );
  if (handed) await scheduleHolds(deps, handed);
}
