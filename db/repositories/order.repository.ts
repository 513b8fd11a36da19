import { sql, type Transaction } from 'kysely';
import type { Database } from '../database';
import { prepared, type PreparedArgs } from '../prepared';
import type { DB } from '../schema';
import type { NewOrderRow, OrderRow, OrderState } from '../commerce.schema';
import type { LedgerEntry } from './commission.repository';
import type { OutboxEvent, OutboxRow } from './outbox.repository';

/** What placing an order needs to know about an offer, its stream and its shop. */
export interface OfferForOrderRow {
  offer_id: string;
  stream_id: string;
  shop_id: string;
  owner_id: string;
  /** The shop's attribution window, read here so an order needs no separate shop lookup. */
  attribution_days: number;
  /** The shop's per-buyer limit for offers without their own. */
  default_buyer_limit: number | null;
  stream_status: 'scheduled' | 'live' | 'ended';
  /** until when the stream's offers sell after the live (null: not set) */
  sale_ends_at: Date | null;
  product_name: string;
  price_cents: number;
  quantity: number;
  remaining: number;
  per_buyer_limit: number | null;
  group_min: number | null;
  group_deadline: Date | null;
  group_reached_at: Date | null;
  group_failed_at: Date | null;
  closed_at: Date | null;
}

/** The offer with what an order needs of its stream, product and shop (not executed). */
function offerForOrderQuery(db: Database | Transaction<DB>, streamId: string, offerId: string) {
  return db
    .selectFrom('offers')
    .innerJoin('streams', 'streams.id', 'offers.stream_id')
    .innerJoin('products', 'products.id', 'offers.product_id')
    .innerJoin('shops', 'shops.id', 'streams.shop_id')
    .select([
      'offers.id as offer_id',
      'offers.stream_id',
      'streams.shop_id',
      'shops.owner_id',
      'shops.attribution_days',
      'shops.default_buyer_limit',
      'streams.status as stream_status',
      'streams.sale_ends_at',
      'products.name as product_name',
      'offers.price_cents',
      'offers.quantity',
      'offers.remaining',
      'offers.per_buyer_limit',
      'offers.group_min',
      'offers.group_deadline',
      'offers.group_reached_at',
      'offers.group_failed_at',
      'offers.closed_at',
    ])
    .where('offers.id', '=', offerId)
    .where('offers.stream_id', '=', streamId);
}

export async function findOfferForOrder(
  db: Database,
  streamId: string,
  offerId: string,
): Promise<OfferForOrderRow | undefined> {
  return offerForOrderQuery(db, streamId, offerId).executeTakeFirst();
}

export interface OfferForBuyerRow extends OfferForOrderRow {
  /** This buyer's order under the request's Idempotency-Key, if one exists. */
  existing_order_id: string | null;
  /** The leader of this buyer's last click on the shop within its attribution window. */
  last_click_leader_id: string | null;
}

/**
 * findOfferForOrder plus what placing an order needs to know about the buyer, in one round
 * trip: an order already made under this Idempotency-Key, and the leader of their last
 * click within the shop's attribution window (by account, or by visitor cookie). Built and
 * compiled once per shape (db/prepared.ts): it runs for every order.
 */
export async function findOfferForBuyer(
  db: Database,
  streamId: string,
  offerId: string,
  buyer: { id: string; idempotencyKey: string | null; visitorKey: string | null },
): Promise<OfferForBuyerRow | undefined> {
  const rows = await offerForBuyerQuery(db, {
    streamId,
    offerId,
    buyerId: buyer.id,
    idempotencyKey: buyer.idempotencyKey,
    visitorKey: buyer.visitorKey || null,
  });
  return rows[0];
}

const offerForBuyerQuery = prepared(
  (
    db,
    a: {
      streamId: string;
      offerId: string;
      buyerId: string;
      idempotencyKey: string | null;
      visitorKey: string | null;
    },
  ) =>
    offerForOrderQuery(db, a.streamId, a.offerId).select((eb) => [
      (a.idempotencyKey === null
        ? sql<string | null>`null::uuid`
        : eb
            .selectFrom('orders')
            .select('orders.id')
            .where('orders.buyer_id', '=', a.buyerId)
            .where('orders.idempotency_key', '=', a.idempotencyKey)
      ).as('existing_order_id'),
      eb
        .selectFrom('leader_clicks')
        .select('leader_clicks.leader_id')
        .whereRef('leader_clicks.shop_id', '=', 'streams.shop_id')
        .where(
          'leader_clicks.created_at',
          '>=',
          sql<Date>`now() - make_interval(days => ${sql.ref('shops.attribution_days')})`,
        )
        .where((w) =>
          a.visitorKey === null
            ? w('leader_clicks.user_id', '=', a.buyerId)
            : w.or([
                w('leader_clicks.user_id', '=', a.buyerId),
                w('leader_clicks.visitor_key', '=', a.visitorKey),
              ]),
        )
        .orderBy('leader_clicks.created_at', 'desc')
        .orderBy('leader_clicks.id', 'desc')
        .limit(1)
        .as('last_click_leader_id'),
    ]),
);

/** Puts units back on an offer (cancel or refund before pickup). */
export async function returnStock(
  trx: Transaction<DB>,
  offerId: string,
  units: number,
): Promise<{ remaining: number; quantity: number; group_min: number | null }> {
  return trx
    .updateTable('offers')
    .set({ remaining: sql<number>`remaining + ${units}` })
    .where('id', '=', offerId)
    .returning(['remaining', 'quantity', 'group_min'])
    .executeTakeFirstOrThrow();
}

/**
 * Marks the group reached, once: only the transaction holding the offer's row lock that
 * finds group_reached_at still null gets true.
 */
export async function markGroupReached(trx: Transaction<DB>, offerId: string): Promise<boolean> {
  const row = await trx
    .updateTable('offers')
    .set({ group_reached_at: sql<Date>`now()` })
    .where('id', '=', offerId)
    .where('group_reached_at', 'is', null)
    .where('group_failed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Confirms every order waiting on the group; returns their buyers. */
export async function confirmPendingGroupOrders(
  trx: Transaction<DB>,
  offerId: string,
): Promise<string[]> {
  const rows = await trx
    .updateTable('orders')
    .set({ state: 'confirmed', confirmed_at: sql<Date>`now()` })
    .where('offer_id', '=', offerId)
    .where('state', '=', 'pending_group')
    .returning('buyer_id')
    .execute();
  return rows.map((r) => r.buyer_id);
}

/**
 * Fails a group whose deadline has passed without reaching its threshold, once: locks the
 * offer and sets group_failed_at only if neither outcome is set yet.
 */
export async function markGroupFailed(
  trx: Transaction<DB>,
  offerId: string,
): Promise<{ stream_id: string; group_min: number | null } | null> {
  const row = await trx
    .updateTable('offers')
    .set({ group_failed_at: sql<Date>`now()` })
    .where('id', '=', offerId)
    .where('group_min', 'is not', null)
    .where('group_reached_at', 'is', null)
    .where('group_failed_at', 'is', null)
    .where('group_deadline', '<=', sql<Date>`now()`)
    .returning(['stream_id', 'group_min'])
    .executeTakeFirst();
  return row ?? null;
}

/** Group offers whose deadline passed with no outcome yet. */
export async function listOverdueGroupOffers(db: Database, limit = 100): Promise<string[]> {
  const rows = await db
    .selectFrom('offers')
    .select('id')
    .where('group_min', 'is not', null)
    .where('group_reached_at', 'is', null)
    .where('group_failed_at', 'is', null)
    .where('group_deadline', '<=', sql<Date>`now()`)
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Cancels every order still waiting on the group; returns them. */
export async function cancelPendingGroupOrders(
  trx: Transaction<DB>,
  offerId: string,
  reason: string,
): Promise<OrderRow[]> {
  return trx
    .updateTable('orders')
    .set({ state: 'cancelled', cancelled_at: sql<Date>`now()`, cancel_reason: reason })
    .where('offer_id', '=', offerId)
    .where('state', '=', 'pending_group')
    .returningAll()
    .execute();
}

export async function findOrderByIdempotencyKey(
  db: Database,
  buyerId: string,
  key: string,
): Promise<OrderRow | undefined> {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('buyer_id', '=', buyerId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/** Whether any order was placed under this Idempotency-Key (by the key alone: the stock gate). */
export async function idempotencyKeyUsed(db: Database, key: string): Promise<boolean> {
  const row = await db
    .selectFrom('orders')
    .select('id')
    .where('idempotency_key', '=', key)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findOrderById(db: Database, id: string): Promise<OrderRow | undefined> {
  return db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The order, locked for a state change. */
export async function lockOrder(trx: Transaction<DB>, id: string): Promise<OrderRow | undefined> {
  return trx.selectFrom('orders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function lockOrderByCode(
  trx: Transaction<DB>,
  shopId: string,
  code: string,
): Promise<OrderRow | undefined> {
  return trx
    .selectFrom('orders')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('pickup_code', '=', code)
    .forUpdate()
    .executeTakeFirst();
}

/** Moves an order between states only from one of the allowed ones; null when it was not. */
export async function transitionOrder(
  trx: Transaction<DB>,
  id: string,
  from: readonly OrderState[],
  to: OrderState,
  extra: { cancel_reason?: string } = {},
): Promise<OrderRow | null> {
  const now = sql<Date>`now()`;
  const stamps =
    to === 'picked_up'
      ? { picked_up_at: now, paid_at: now }
      : to === 'cancelled'
        ? { cancelled_at: now }
        : to === 'refunded'
          ? { refunded_at: now }
          : to === 'confirmed'
            ? { confirmed_at: now }
            : {};
  const row = await trx
    .updateTable('orders')
    .set({ state: to, ...stamps, ...extra })
    .where('id', '=', id)
    .where('state', 'in', [...from])
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** An order that markOrdersReady moved to ready: what its buyer's notice needs. */
export type ReadiedOrderRow = Pick<
  OrderRow,
  'id' | 'buyer_id' | 'stream_id' | 'product_name' | 'pickup_code'
>;

/**
 * 备好了: moves those of the orders that are still confirmed to ready (packed, waiting at
 * their pickup point); others (already ready, picked up, cancelled meanwhile) are left as
 * they are. Returns the orders it moved, so each buyer is told once.
 */
export async function markOrdersReady(
  trx: Transaction<DB>,
  orderIds: readonly string[],
): Promise<ReadiedOrderRow[]> {
  if (orderIds.length === 0) return [];
  return trx
    .updateTable('orders')
    .set({ state: 'ready' })
    .where('id', 'in', [...orderIds])
    .where('state', '=', 'confirmed')
    .returning(['id', 'buyer_id', 'stream_id', 'product_name', 'pickup_code'])
    .execute();
}

/** A row for the shop's and the buyer's order lists. */
export interface OrderListRow extends OrderRow {
  buyer_name: string;
  shop_name: string;
  shop_slug: string;
  shop_address: string | null;
  shop_pickup_hours: string | null;
  pickup_leader_name: string | null;
  pickup_leader_address: string | null;
  pickup_leader_hours: string | null;
  stream_title: string;
  refund_status: 'open' | 'approved' | 'declined' | null;
}

function orderListQuery(db: Database) {
  return db
    .selectFrom('orders')
    .innerJoin('users', 'users.id', 'orders.buyer_id')
    .innerJoin('shops', 'shops.id', 'orders.shop_id')
    .innerJoin('streams', 'streams.id', 'orders.stream_id')
    .leftJoin('leaders as pl', 'pl.id', 'orders.pickup_leader_id')
    .selectAll('orders')
    .select((eb) => [
      'users.name as buyer_name',
      'shops.name as shop_name',
      'shops.slug as shop_slug',
      'shops.address as shop_address',
      'shops.pickup_hours as shop_pickup_hours',
      'pl.display_name as pickup_leader_name',
      'pl.pickup_address as pickup_leader_address',
      'pl.pickup_hours as pickup_leader_hours',
      'streams.title as stream_title',
      eb
        .selectFrom('refund_requests')
        .select('refund_requests.status')
        .whereRef('refund_requests.order_id', '=', 'orders.id')
        .orderBy('refund_requests.created_at', 'desc')
        .limit(1)
        .as('refund_status'),
    ]);
}

export async function listBuyerOrders(db: Database, buyerId: string): Promise<OrderListRow[]> {
  return orderListQuery(db)
    .where('orders.buyer_id', '=', buyerId)
    .orderBy('orders.created_at', 'desc')
    .limit(200)
    .execute();
}

export async function findOrderListRow(
  db: Database,
  orderId: string,
): Promise<OrderListRow | undefined> {
  return orderListQuery(db).where('orders.id', '=', orderId).executeTakeFirst();
}

export interface ShopOrderFilter {
  streamId?: string | undefined;
  states?: readonly OrderState[] | undefined;
  /** null: at the shop itself; a leader id: that leader's point; undefined: any */
  pickupLeaderId?: string | null | undefined;
  limit: number;
}

export async function listShopOrders(
  db: Database,
  shopId: string,
  filter: ShopOrderFilter,
): Promise<OrderListRow[]> {
  let q = orderListQuery(db).where('orders.shop_id', '=', shopId);
  if (filter.streamId) q = q.where('orders.stream_id', '=', filter.streamId);
  if (filter.states?.length) q = q.where('orders.state', 'in', [...filter.states]);
  if (filter.pickupLeaderId === null) q = q.where('orders.pickup_leader_id', 'is', null);
  else if (filter.pickupLeaderId)
    q = q.where('orders.pickup_leader_id', '=', filter.pickupLeaderId);
  return q.orderBy('orders.created_at', 'desc').limit(filter.limit).execute();
}

/** Whether the code belongs to an order of the shop (for the pickup screen's message). */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    err.code === '23505' &&
    'constraint' in err &&
    err.constraint === constraint
  );
}

/** The offer as the order's statement left it: what the room is told about its stock. */
export interface OfferStock {
  quantity: number;
  remaining: number;
  group_min: number | null;
  group_reached_at: Date | null;
}

/** An order as placeOrder builds it: every value known before the statement runs. */
export type PlacedOrderRow = Omit<
  NewOrderRow,
  'state' | 'confirmed_at' | 'created_at' | 'leader_id' | 'commission_cents'
> & {
  id: string;
  created_at: Date;
  leader_id: string | null;
  commission_cents: number;
};

/**
 * writeOrder's statement, compiled once per shape (db/prepared.ts): the SQL text depends on
 * the number of ledger entries and events and on whether there is a limit and a claim, not
 * on the values.
 */
const writeOrderQuery = prepared((_db, a: PreparedArgs) => {
  // the ledger entries' and events' positions, from their arguments' names (l0_…, e0_…)
  const indexes = (name: RegExp) =>
    Object.keys(a).flatMap((k) => {
      const m = name.exec(k);
      return m ? [Number(m[1])] : [];
    });
  const ledger = indexes(/^l(\d+)_leader_id$/);
  const events = indexes(/^e(\d+)_event$/);
  const claimCte =
    a.claim !== null
      ? sql`claimed as (
      update waitlist_entries set state = 'claimed', order_id = ${a.id}
      where id = ${a.claim} and offer_id = ${a.offer_id} and user_id = ${a.buyer_id}
        and state = 'offered' and expires_at > now()
      returning id
    ), `
      : sql``;
  const take =
    a.claim !== null
      ? sql`reserved = reserved - ${a.quantity}
      where id = ${a.offer_id} and reserved >= ${a.quantity} and exists (select 1 from claimed)`
      : sql`remaining = remaining - ${a.quantity}
      where id = ${a.offer_id} and remaining >= ${a.quantity}`;
  // the buyer's locks, then the count (migration order_units_held): exact in one statement
  const heldCte =
    a.limit === null
      ? sql``
      : sql`held as (
      select order_units_held(${a.offer_id}::uuid, ${a.buyer_id}::uuid, ${a.phone}::text) as units
    ), `;
  const fitsLimit =
    a.limit === null ? sql`` : sql`and (select units from held) + ${a.quantity} <= ${a.limit}`;
  const ledgerCte = ledger.length
    ? sql`, ledger as (
      insert into commission_ledger (leader_id, shop_id, order_id, bucket, amount_cents, reason)
      select v.* from placed, (values ${sql.join(
        ledger.map(
          (i) =>
            sql`(${a[`l${i}_leader_id`]}::uuid, ${a[`l${i}_shop_id`]}::uuid,
              ${a[`l${i}_order_id`]}::uuid, ${a[`l${i}_bucket`]}::text,
              ${a[`l${i}_amount_cents`]}::int, ${a[`l${i}_reason`]}::text)`,
        ),
      )}) as v(leader_id, shop_id, order_id, bucket, amount_cents, reason)
    )`
    : sql``;
  const eventsCte = events.length
    ? sql`, events as (
      insert into commerce_outbox (stream_id, event, payload)
      select v.stream_id, v.event, v.payload from placed, (values ${sql.join(
        events.map(
          (i) =>
            sql`(${a[`e${i}_stream_id`]}::uuid, ${a[`e${i}_event`]}::text,
              ${a[`e${i}_payload`]}::jsonb)`,
        ),
      )}) as v(stream_id, event, payload)
      returning id, stream_id, event, payload
    )`
    : sql``;
  return sql<
    OrderRow & { offer: OfferStock; outbox: OutboxRow[] | null; held_units: number | null }
  >`
    with ${heldCte}${claimCte}taken as (
      update offers set ${take}
        and closed_at is null and group_failed_at is null
        and (group_deadline is null or group_reached_at is not null or group_deadline > now())
        ${fitsLimit}
      returning quantity, remaining, group_min, group_reached_at
    ), placed as (
      insert into orders (id, shop_id, stream_id, offer_id, buyer_id, product_name,
        unit_price_cents, quantity, total_cents, state, confirmed_at, phone, pickup_leader_id,
        pickup_code, leader_id, commission_rate, commission_cents, idempotency_key, request_hash,
        created_at)
      select ${a.id}, ${a.shop_id}, ${a.stream_id}, ${a.offer_id}, ${a.buyer_id},
        ${a.product_name}, ${a.unit_price_cents}, ${a.quantity}, ${a.total_cents},
        case when waits then 'pending_group' else 'confirmed' end,
        case when waits then null else ${a.created_at}::timestamptz end,
        ${a.phone}, ${a.pickup_leader_id}, ${a.pickup_code}, ${a.leader_id},
        ${a.commission_rate}::numeric, ${a.commission_cents},
        ${a.idempotency_key}, ${a.request_hash}, ${a.created_at}::timestamptz
      from taken, lateral (select taken.group_min is not null and taken.group_reached_at is null
        and taken.quantity - taken.remaining < taken.group_min as waits) as g
      returning *
    )${ledgerCte}${eventsCte}
    select placed.*,
      (select json_build_object('quantity', quantity, 'remaining', remaining,
        'group_min', group_min, 'group_reached_at', group_reached_at) from taken) as offer,
      ${events.length ? sql`(select json_agg(events order by events.id) from events)` : sql`null`} as outbox,
      ${a.limit === null ? sql`null` : sql`(select units from held)`} as held_units
    from ${a.limit === null ? sql`placed` : sql`(select 1) as one left join placed on true`}
  `;
});

/**
 * The one writer of a new order, as ONE statement, so an offer's row is locked for a single
 * round trip even in a flash sale: the conditional stock update that never oversells (units
 * are taken only while that many remain and the offer is open), the order, its ledger
 * entries and its outbox events, written together or not at all. Everything but the stock
 * is computed by the caller (order.service.ts); the only rule here is the data's own: an
 * order on a group that has not formed waits for it. Null: the stock or the offer's state
 * refused it.
 */
export async function writeOrder(
  db: Database | Transaction<DB>,
  order: PlacedOrderRow,
  ledger: readonly LedgerEntry[],
  events: readonly OutboxEvent[],
  /**
   * The buyer's per-buyer limit, checked by the statement itself: the units the buyer holds
   * on the offer (by account or phone) plus these must fit. Exact on its own: the statement
   * takes the buyer's locks (held until its transaction ends) before it counts, through the
   * function order_units_held, whose count reads after the locks are granted.
   */
  limit?: number,
  /**
   * A waitlist entry holding a unit for this buyer: the statement ends the hold (state
   * claimed, only while it holds) and takes the unit from `reserved`, not `remaining`. Run
   * it in a transaction that rolls back when the answer is null: the entry's update is not
   * undone by the statement itself.
   */
  claim?: string | null,
): Promise<
  { order: OrderRow; offer: OfferStock; outbox: OutboxRow[] } | { limitHeld: number } | null
> {
  const o = order;
  const args: PreparedArgs = {
    id: o.id,
    shop_id: o.shop_id,
    stream_id: o.stream_id,
    offer_id: o.offer_id,
    buyer_id: o.buyer_id,
    product_name: o.product_name,
    unit_price_cents: o.unit_price_cents,
    quantity: o.quantity,
    total_cents: o.total_cents,
    phone: o.phone,
    pickup_leader_id: o.pickup_leader_id ?? null,
    pickup_code: o.pickup_code,
    leader_id: o.leader_id ?? null,
    commission_rate: o.commission_rate ?? null,
    commission_cents: o.commission_cents ?? 0,
    idempotency_key: o.idempotency_key ?? null,
    request_hash: o.request_hash ?? null,
    created_at: o.created_at,
    limit: limit ?? null,
    claim: claim ?? null,
  };
  ledger.forEach((e, i) => {
    Object.assign(args, {
      [`l${i}_leader_id`]: e.leader_id,
      [`l${i}_shop_id`]: e.shop_id,
      [`l${i}_order_id`]: e.order_id,
      [`l${i}_bucket`]: e.bucket,
      [`l${i}_amount_cents`]: e.amount_cents,
      [`l${i}_reason`]: e.reason,
    });
  });
  events.forEach((e, i) => {
    Object.assign(args, {
      [`e${i}_stream_id`]: e.stream_id,
      [`e${i}_event`]: e.event,
      [`e${i}_payload`]: JSON.stringify(e.payload),
    });
  });
  const result = { rows: await writeOrderQuery(db, args) };
  const row = result.rows[0];
  if (!row || row.id === null) {
    // refused: by the limit when the units held leave no room, else by the stock or state
    const held = row?.held_units ?? null;
    return held !== null && limit !== undefined && held + o.quantity > limit
      ? { limitHeld: held }
      : null;
  }
  const { offer, outbox, ...rest } = row;
  // held_units is the statement's own column, not the order's
  const placed: OrderRow & { held_units?: number | null } = rest;
  delete placed.held_units;
  return {
    order: placed,
    offer: {
      ...offer,
      group_reached_at: offer.group_reached_at ? new Date(offer.group_reached_at) : null,
    },
    outbox: outbox ?? [],
  };
}
