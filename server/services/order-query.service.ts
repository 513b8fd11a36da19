import type { Database } from '../../db/database';
import type { OrderState } from '../../db/commerce.schema';
import { listBuyerOrders, listShopOrders } from '../../db/repositories/order.repository';
import {
  findApprovedLeaderOfUser,
  findShopById,
  listLeaderPickupPoints,
} from '../../db/repositories/pickup.repository';
import { AppError } from '../errors';
import type { User } from './auth.service';
import { orderListRowToDetail, type OrderDetail } from './order.service';
import type { PickupPoint } from '../contracts/order';

export type { PickupPoint };

/** The shop, if this user owns it; otherwise 404 (unknown shop) or 403. */
export async function assertShopOwner(db: Database, user: User, shopId: string) {
  const shop = await findShopById(db, shopId);
  if (!shop) throw new AppError('not_found', 'No such shop.');
  if (shop.owner_id !== user.id)
    throw new AppError('forbidden', 'Only the shop owner can do this.');
  return shop;
}

/**
 * Who may work a pickup point: the owner everywhere, an approved leader at their own point.
 * Returns the leader id the user is limited to, or null for the owner.
 */
export async function assertPickupStaff(
  db: Database,
  user: User,
  shopId: string,
): Promise<{ leaderId: string | null }> {
  const shop = await findShopById(db, shopId);
  if (!shop) throw new AppError('not_found', 'No such shop.');
  if (shop.owner_id === user.id) return { leaderId: null };
  const leader = await findApprovedLeaderOfUser(db, shopId, user.id);
  if (!leader) throw new AppError('forbidden', 'Only the shop or its leaders can hand out orders.');
  return { leaderId: leader.id };
}

export async function listPickupPoints(db: Database, shopId: string): Promise<PickupPoint[]> {
  const shop = await findShopById(db, shopId);
  if (!shop) throw new AppError('not_found', 'No such shop.');
  const leaders = await listLeaderPickupPoints(db, shopId);
  return [
    { id: shop.id, kind: 'shop', name: shop.name, address: shop.address, hours: shop.pickup_hours },
    ...leaders.map((l) => ({
      id: l.id,
      kind: 'leader' as const,
      name: l.display_name,
      address: l.pickup_address,
      hours: l.pickup_hours,
    })),
  ];
}

export async function listPickupPointsOfStream(
  db: Database,
  streamId: string,
): Promise<PickupPoint[]> {
  const stream = await db
    .selectFrom('streams')
    .select('shop_id')
    .where('id', '=', streamId)
    .executeTakeFirst();
  if (!stream) throw new AppError('not_found', 'No such stream.');
  return listPickupPoints(db, stream.shop_id);
}

export async function listMyOrders(db: Database, user: User): Promise<OrderDetail[]> {
  return (await listBuyerOrders(db, user.id)).map(orderListRowToDetail);
}

export interface ShopOrdersFilter {
  streamId?: string | undefined;
  states?: OrderState[] | undefined;
  pickupPointId?: string | undefined;
}

export async function listShopOrdersForOwner(
  db: Database,
  owner: User,
  shopId: string,
  filter: ShopOrdersFilter,
  limit = 500,
): Promise<OrderDetail[]> {
  await assertShopOwner(db, owner, shopId);
  const rows = await listShopOrders(db, shopId, {
    streamId: filter.streamId,
    states: filter.states,
    pickupLeaderId:
      filter.pickupPointId === undefined
        ? undefined
        : filter.pickupPointId === shopId
          ? null
          : filter.pickupPointId,
    limit,
  });
  return rows.map(orderListRowToDetail);
}

/** One CSV field: quoted, quotes doubled, and formula triggers defused for spreadsheets. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replaceAll('"', '""')}"`;
}

export async function exportShopOrdersCsv(
  db: Database,
  owner: User,
  shopId: string,
  filter: ShopOrdersFilter,
): Promise<string> {
  const orders = await listShopOrdersForOwner(db, owner, shopId, filter, 50_000);
  const header = [
    'order_id',
    'created_at',
    'status',
    'stream',
    'product',
    'unit_price_yuan',
    'quantity',
    'total_yuan',
    'buyer',
    'phone',
    'pickup_point',
    'pickup_code',
    'leader_id',
    'picked_up_at',
    'cancel_reason',
  ];
  const yuan = (cents: number) => (cents / 100).toFixed(2);
  const lines = orders.map((o) =>
    [
      o.id,
      o.createdAt,
      o.status,
      o.streamTitle,
      o.productName,
      yuan(o.unitPriceCents),
      o.quantity,
      yuan(o.totalCents),
      o.buyerName,
      o.phone,
      o.pickupPoint.name,
      o.pickupCode,
      o.leaderId,
      o.pickedUpAt,
      o.cancelReason,
    ]
      .map(csvField)
      .join(','),
  );
  // BOM so spreadsheet programs read the Chinese text as UTF-8
  return `\uFEFF${header.join(',')}\r\n${lines.join('\r\n')}${lines.length ? '\r\n' : ''}`;
}
