import { z } from 'zod';
import { LeaderRef, MAX_ORDER_QUANTITY, textBlock } from './common';

export const ORDER_STATES = [
  'pending_group',
  'confirmed',
  'ready',
  'picked_up',
  'cancelled',
  'refunded',
] as const;
export const OrderStatus = z.enum(ORDER_STATES);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const Order = z
  .object({
    id: z.string(),
    status: OrderStatus,
    shopId: z.string(),
    streamId: z.string(),
    offerId: z.string(),
    productName: z.string(),
    unitPriceCents: z.number().int(),
    quantity: z.number().int(),
    totalCents: z.number().int(),
    pickupCode: z.string(),
    pickupPointId: z.string(),
    leaderId: z.string().nullable(),
    cancelReason: z.string().nullable(),
    createdAt: z.string(),
    pickedUpAt: z.string().nullable(),
  })
  .meta({ id: 'Order' });
export type Order = z.infer<typeof Order>;

export const OrderEnvelope = z.object({ order: Order });
export type OrderEnvelope = z.infer<typeof OrderEnvelope>;

export const PickupPoint = z
  .object({
    id: z.string(),
    kind: z.enum(['shop', 'leader']),
    name: z.string(),
    address: z.string().nullable(),
    hours: z.string().nullable(),
  })
  .meta({ id: 'PickupPoint' });
export type PickupPoint = z.infer<typeof PickupPoint>;

export const PickupPointList = z.object({ pickupPoints: z.array(PickupPoint) });
export type PickupPointList = z.infer<typeof PickupPointList>;

export const RefundStatus = z.enum(['open', 'approved', 'declined']);
export type RefundStatus = z.infer<typeof RefundStatus>;

export const OrderDetail = Order.extend({
  buyerName: z.string(),
  phone: z.string(),
  shop: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  streamTitle: z.string(),
  pickupPoint: PickupPoint,
  refundStatus: RefundStatus.nullable(),
}).meta({ id: 'OrderDetail' });
export type OrderDetail = z.infer<typeof OrderDetail>;

export const OrderDetailEnvelope = z.object({ order: OrderDetail });
export type OrderDetailEnvelope = z.infer<typeof OrderDetailEnvelope>;

export const OrderList = z.object({ orders: z.array(OrderDetail) });
export type OrderList = z.infer<typeof OrderList>;

/** Mainland mobile numbers, or an international number in E.164. */
export const PHONE_PATTERN = /^(1[3-9]\d{9}|\+[1-9]\d{7,14})$/;
const Phone = z.string().trim().regex(PHONE_PATTERN, 'must be a mobile number');

export const PlaceOrderBody = z.strictObject({
  offerId: z.uuid(),
  quantity: z.number().int().min(1).max(MAX_ORDER_QUANTITY),
  phone: Phone,
  pickupPointId: z.uuid().optional(),
  ref: LeaderRef.optional(),
});
export type PlaceOrderBody = z.infer<typeof PlaceOrderBody>;

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,100}$/, '1–100 printable ASCII characters')
    .optional(),
});

const StateList = z
  .string()
  .transform((s) => s.split(','))
  .pipe(z.array(OrderStatus).min(1).max(6));

export const ShopOrdersQuery = z.strictObject({
  streamId: z.uuid().optional(),
  /** comma-separated order states */
  status: StateList.optional(),
  /** the shop's id for pickups at the shop, a leader's id for that leader's point */
  pickupPointId: z.uuid().optional(),
  format: z.enum(['json', 'csv']).optional(),
});

// After-sales: refunds and pickup.

const Note = textBlock(500);
const PhotoUrl = z
  .string()
  .regex(/^\/api\/uploads\/[a-f0-9-]{36}\.(jpg|png|webp)$/, 'must be an uploaded image');

export const RefundKind = z.enum(['bad_goods', 'other']);
export type RefundKind = z.infer<typeof RefundKind>;
/** Who answered: the owner, the leader of the order's pickup point, or 秒退款 (automatic). */
export const RefundDecider = z.enum(['owner', 'leader', 'automatic']);
export type RefundDecider = z.infer<typeof RefundDecider>;

export const RefundRequest = z
  .object({
    id: z.string(),
    orderId: z.string(),
    buyerName: z.string(),
    productName: z.string(),
    quantity: z.number().int(),
    totalCents: z.number().int(),
    orderStatus: z.string(),
    pickupCode: z.string(),
    /** the leader's point the order is picked up at; null: at the shop */
    pickupPointName: z.string().nullable(),
    reason: z.string(),
    kind: RefundKind,
    photoUrl: z.string().nullable(),
    status: RefundStatus,
    note: z.string().nullable(),
    createdAt: z.string(),
    /** when the shop promised to have answered */
    dueAt: z.string(),
    resolvedAt: z.string().nullable(),
    decidedAs: RefundDecider.nullable(),
    /** the person who answered; null while open and for automatic refunds */
    decidedByName: z.string().nullable(),
    /** Seconds open so far, or seconds it took to answer once resolved. */
    ageSeconds: z.number().int(),
  })
  .meta({ id: 'RefundRequest' });
export type RefundRequest = z.infer<typeof RefundRequest>;

export const RefundRequestList = z.object({
  refundRequests: z.array(RefundRequest),
  /**
   * What the requester may do: the owner answers everything; a pickup point's leader sees
   * that point's requests and may approve those on orders up to approveUpToCents.
   */
  viewer: z.object({
    role: z.enum(['owner', 'leader']),
    approveUpToCents: z.number().int().nullable(),
    canDecline: z.boolean(),
  }),
});
export type RefundRequestList = z.infer<typeof RefundRequestList>;

export const RefundRequestBody = z.strictObject({
  reason: Note,
  photoUrl: PhotoUrl.optional(),
  /** bad goods (坏果) may be refunded at once with a photo; the default is 'other' */
  kind: RefundKind.optional(),
});
export type RefundRequestBody = z.infer<typeof RefundRequestBody>;

/**
 * A buyer's own request: its state and the promise it runs against. No component id: the
 * generated client would type the nullable reference in its envelope as non-null.
 */
export const MyRefundRequest = z.object({
  id: z.string(),
  orderId: z.string(),
  status: RefundStatus,
  kind: RefundKind,
  /** refunded at once (秒退款), nobody had to look */
  automatic: z.boolean(),
  createdAt: z.string(),
  dueAt: z.string(),
  resolvedAt: z.string().nullable(),
  note: z.string().nullable(),
});
export type MyRefundRequest = z.infer<typeof MyRefundRequest>;

export const RefundRequestOpened = z.object({ refundRequest: MyRefundRequest });
export type RefundRequestOpened = z.infer<typeof RefundRequestOpened>;

/** GET /api/orders/:orderId/refund-request: the order's latest request, if any (buyer). */
export const MyRefundRequestEnvelope = z.object({ refundRequest: MyRefundRequest.nullable() });
export type MyRefundRequestEnvelope = z.infer<typeof MyRefundRequestEnvelope>;

export const RefundBody = z.strictObject({ note: Note.optional() });
export const DeclineRefundBody = z.strictObject({ note: Note });
export const RefundDeclined = z.object({ status: z.literal('declined') });

export const RefundRequestsQuery = z.strictObject({ status: z.enum(['open', 'all']).optional() });

/** The days the after-sales figures look back over. */
export const AFTER_SALES_WINDOW_DAYS = 30;

/**
 * GET /api/shops/:shopId/after-sales (public): the promise and how well it was kept over the
 * requests made in the last 30 days. A request still open past its deadline counts as missed;
 * one still open within it is not counted yet.
 */
export const AfterSalesSummary = z
  .object({
    responsePromiseHours: z.number().int(),
    instantRefundCents: z.number().int(),
    windowDays: z.number().int(),
    answered: z.number().int(),
    answeredInTime: z.number().int(),
    overdueOpen: z.number().int(),
    automatic: z.number().int(),
    /** median seconds from request to answer; null when nothing was answered */
    medianResponseSeconds: z.number().nullable(),
    /** answeredInTime / (answered + overdueOpen); null when there is nothing to judge */
    withinPromiseShare: z.number().nullable(),
  })
  .meta({ id: 'AfterSalesSummary' });
export type AfterSalesSummary = z.infer<typeof AfterSalesSummary>;

export const AfterSalesSummaryEnvelope = z.object({ afterSales: AfterSalesSummary });
export type AfterSalesSummaryEnvelope = z.infer<typeof AfterSalesSummaryEnvelope>;

export const PickupBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, '6 digits'),
});
export type PickupBody = z.infer<typeof PickupBody>;

export const PickupPointParams = z.object({ shopId: z.uuid(), pickupPointId: z.uuid() });

const Line = z.object({ productName: z.string(), quantity: z.number().int() });

/** What to pack for whom at a pickup point today. */
export const PrepareList = z
  .object({
    pickupPointId: z.string(),
    today: z.string().meta({ description: "The shop's today (YYYY-MM-DD, Asia/Shanghai)" }),
    totals: z.array(Line),
    buyers: z.array(
      z.object({
        buyerName: z.string(),
        phone: z.string(),
        pickupCode: z.string(),
        /** YYYY-MM-DD: the day the order became due for pickup */
        dueOn: z.string(),
        /** due before today and still not picked up: worth a call */
        overdue: z.boolean(),
        items: z.array(Line),
      }),
    ),
  })
  .meta({ id: 'PrepareList' });
export type PrepareList = z.infer<typeof PrepareList>;
