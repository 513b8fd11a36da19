import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CreatedAt, Timestamp } from './schema';
import type { RefundDecider, RefundKind } from './after-sales.schema';

// Tables of the commerce capability, merged into DB in schema.ts. Offers gain
// group_reached_at / group_failed_at / closed_at in the commerce migration (see OffersTable).

export type OrderState =
  'pending_group' | 'confirmed' | 'ready' | 'picked_up' | 'cancelled' | 'refunded';

/** numeric(5,4) arrives as a string to keep its exact decimal value. */
type Rate = ColumnType<string | null, string | number | null, string | number | null>;

export interface OrdersTable {
  id: Generated<string>;
  shop_id: string;
  stream_id: string;
  offer_id: string;
  buyer_id: string;
  product_name: string;
  unit_price_cents: number;
  quantity: number;
  total_cents: number;
  state: OrderState;
  cancel_reason: string | null;
  phone: string;
  pickup_leader_id: string | null;
  pickup_code: string;
  leader_id: string | null;
  commission_rate: Rate;
  commission_cents: Generated<number>;
  idempotency_key: string | null;
  request_hash: string | null;
  created_at: CreatedAt;
  confirmed_at: Timestamp | null;
  picked_up_at: Timestamp | null;
  paid_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  refunded_at: Timestamp | null;
}

export type RefundRequestStatus = 'open' | 'approved' | 'declined';

export interface RefundRequestsTable {
  id: Generated<string>;
  order_id: string;
  shop_id: string;
  buyer_id: string;
  reason: string;
  photo_url: string | null;
  status: Generated<RefundRequestStatus>;
  note: string | null;
  created_at: CreatedAt;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  /** added by the after-sales migration */
  kind: Generated<RefundKind>;
  /** when the shop promised to have answered (created_at + the promise then in force) */
  due_at: Timestamp;
  decided_as: RefundDecider | null;
}

export type LedgerBucket = 'pending' | 'earned' | 'reversed';
export type LedgerReason = 'order' | 'pickup' | 'cancel' | 'refund';

export interface CommissionLedgerTable {
  id: Generated<number>;
  leader_id: string;
  shop_id: string;
  order_id: string;
  bucket: LedgerBucket;
  amount_cents: number;
  reason: LedgerReason;
  created_at: CreatedAt;
}

export interface CommerceOutboxTable {
  id: Generated<number>;
  stream_id: string;
  event: string;
  payload: ColumnType<unknown, string, never>;
  created_at: CreatedAt;
}

/** Columns the commerce migration adds to the foundation's offers table. */
export interface OfferCommerceColumns {
  group_reached_at: Timestamp | null;
  group_failed_at: Timestamp | null;
  closed_at: Timestamp | null;
}

export interface CommerceTables {
  orders: OrdersTable;
  refund_requests: RefundRequestsTable;
  commission_ledger: CommissionLedgerTable;
  commerce_outbox: CommerceOutboxTable;
}

export type OrderRow = Selectable<OrdersTable>;
export type NewOrderRow = Insertable<OrdersTable>;
export type RefundRequestRow = Selectable<RefundRequestsTable>;
export type LedgerRow = Selectable<CommissionLedgerTable>;
