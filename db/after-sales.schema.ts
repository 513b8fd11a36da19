import type { Generated } from 'kysely';

// Columns the after-sales migration (2026-11-29T0500) adds to core and commerce tables.

/** The shop's after-sales promise and its 秒退款 threshold. */
export interface ShopAfterSalesColumns {
  /** the answer a refund request is promised within, in hours (1–72) */
  response_promise_hours: Generated<number>;
  /** bad-goods claims with a photo on orders up to this total are refunded at once; 0: off */
  instant_refund_cents: Generated<number>;
}

export type RefundKind = 'bad_goods' | 'other';
/** Who answered a request: the owner, the leader of its pickup point, or nobody (automatic). */
export type RefundDecider = 'owner' | 'leader' | 'automatic';
