import { markOrdersReady } from '../../db/repositories/order.repository';
import { listOrdersToPrepare } from '../../db/repositories/pickup.repository';
import type { AppDeps } from '../context';
import { AppError } from '../errors';
import { SHOP_TIME_ZONE } from '../rules/pickup';
import type { User } from './auth.service';
import { announce, notify } from './notification.service';
import { assertPickupStaff, listPickupPoints } from './order-query.service';

// 备好了 (issue 14.6): the staff of a pickup point mark what its prepare list shows as packed;
// those orders become `ready` and each buyer is told to come (the bell, and email).

type Deps = Pick<AppDeps, 'config' | 'db' | 'realtime' | 'logger'>;

/** The point's leader (null: the shop itself), once the user may work it. */
export async function assertPointStaff(
  db: Deps['db'],
  staff: User,
  shopId: string,
  pickupPointId: string,
): Promise<string | null> {
  const { leaderId } = await assertPickupStaff(db, staff, shopId);
  const pointLeader = pickupPointId === shopId ? null : pickupPointId;
  if (leaderId && pointLeader !== leaderId) {
    throw new AppError('forbidden', "Leaders work only their own point's orders.");
  }
  return pointLeader;
}

/** Marks the point's confirmed orders due today (its prepare list) ready; returns how many. */
export async function markPointReady(
  deps: Deps,
  staff: User,
  shopId: string,
  pickupPointId: string,
  now = new Date(),
): Promise<{ ready: number }> {
  const pointLeader = await assertPointStaff(deps.db, staff, shopId, pickupPointId);
  const due = await listOrdersToPrepare(deps.db, shopId, pointLeader, {
    now,
    timeZone: SHOP_TIME_ZONE,
  });
  if (due.length === 0) return { ready: 0 };
  const point = (await listPickupPoints(deps.db, shopId)).find((p) => p.id === pickupPointId);
  const where = point ? [point.name, point.address].filter(Boolean).join(' ') : '';
  const { count, notices } = await deps.db.transaction().execute(async (trx) => {
    const readied = await markOrdersReady(
      trx,
      due.map((o) => o.id),
    );
    const told = await notify(
      trx,
      deps.config,
      readied.map((o) => ({
        user_id: o.buyer_id,
        kind: 'order_ready' as const,
        stream_id: o.stream_id,
        data: { productName: o.product_name, pickupCode: o.pickup_code, pickupPoint: where },
        dedupe_key: `ready:${o.id}`,
      })),
    );
    return { count: readied.length, notices: told };
  });
  announce(deps, notices);
  return { ready: count };
}
