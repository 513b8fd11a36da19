// Orders, pickup, refunds and products: one function per API call, each answer checked at
// runtime against its contract schema (server/contracts), never cast.
import { api, apiHref, done, read, type Api } from '../api/client.ts';
import {
  ORDER_STATES,
  OrderDetailEnvelope,
  OrderEnvelope,
  OrderList,
  PHONE_PATTERN,
  PickupPointList,
  PrepareList,
  ProductEnvelope,
  ProductList,
  RefundRequestList,
  RefundRequestOpened,
  WaitlistEntryEnvelope,
  WaitlistEntryList,
  type ClaimWaitlistBody,
  type CreateProductBody,
  type EditProductBody,
  type PlaceOrderBody,
  type RefundRequestBody,
} from '../api/contracts.ts';

export type {
  CreateProductBody,
  EditProductBody,
  Order,
  OrderDetail,
  OrderStatus,
  PickupPoint,
  PrepareList,
  Product,
  RefundRequest,
  WaitlistEntry,
} from '../api/contracts.ts';
export const ORDER_STATUSES = ORDER_STATES;

export const myOrders = () => read(api.GET('/api/me/orders'), OrderList);

/** One Idempotency-Key per order sheet: a repeat answers the first order. */
export const placeOrder = (streamId: string, body: PlaceOrderBody, idempotencyKey: string) =>
  read(
    api.POST('/api/streams/{streamId}/orders', {
      params: { path: { streamId }, header: { 'idempotency-key': idempotencyKey } },
      body,
    }),
    OrderEnvelope,
  );

// Waitlists for sold-out offers: a place in line, then a unit held to confirm.

export const myWaitlist = (streamId: string) =>
  read(
    api.GET('/api/streams/{streamId}/waitlist', { params: { path: { streamId } } }),
    WaitlistEntryList,
  );

export const joinWaitlist = (streamId: string, offerId: string) =>
  read(
    api.POST('/api/streams/{streamId}/offers/{offerId}/waitlist', {
      params: { path: { streamId, offerId } },
    }),
    WaitlistEntryEnvelope,
  );

export const leaveWaitlist = (streamId: string, offerId: string) =>
  done(
    api.DELETE('/api/streams/{streamId}/offers/{offerId}/waitlist', {
      params: { path: { streamId, offerId } },
    }),
  );

/** Orders the unit held for the resident; one Idempotency-Key per sheet, as for orders. */
export const claimWaitlist = (
  streamId: string,
  offerId: string,
  body: ClaimWaitlistBody,
  idempotencyKey: string,
) =>
  read(
    api.POST('/api/streams/{streamId}/offers/{offerId}/waitlist/claim', {
      params: { path: { streamId, offerId }, header: { 'idempotency-key': idempotencyKey } },
      body,
    }),
    OrderEnvelope,
  );

export const cancelOrder = (orderId: string) =>
  read(
    api.POST('/api/orders/{orderId}/cancel', { params: { path: { orderId } } }),
    OrderDetailEnvelope,
  );

export const requestRefund = (orderId: string, body: RefundRequestBody) =>
  read(
    api.POST('/api/orders/{orderId}/refund-requests', { params: { path: { orderId } }, body }),
    RefundRequestOpened,
  );

export const streamPickupPoints = (streamId: string) =>
  read(
    api.GET('/api/streams/{streamId}/pickup-points', { params: { path: { streamId } } }),
    PickupPointList,
  );

export const shopPickupPoints = (shopId: string, client: Api = api) =>
  read(
    client.GET('/api/shops/{shopId}/pickup-points', { params: { path: { shopId } } }),
    PickupPointList,
  );

export interface ShopOrdersFilter {
  streamId?: string;
  /** order states, comma-separated */
  status?: string;
  pickupPointId?: string;
}

export const shopOrders = (shopId: string, query: ShopOrdersFilter) =>
  read(api.GET('/api/shops/{shopId}/orders', { params: { path: { shopId }, query } }), OrderList);

/** The same orders as a CSV file, a download link. */
export const shopOrdersCsvHref = (shopId: string, query: ShopOrdersFilter) =>
  apiHref('/api/shops/{shopId}/orders', { path: { shopId }, query: { ...query, format: 'csv' } });

export const redeemPickup = (shopId: string, code: string) =>
  read(
    api.POST('/api/shops/{shopId}/pickups', { params: { path: { shopId } }, body: { code } }),
    OrderDetailEnvelope,
  );

export const prepareList = (shopId: string, pickupPointId: string, client: Api = api) =>
  read(
    client.GET('/api/shops/{shopId}/pickup-points/{pickupPointId}/prepare', {
      params: { path: { shopId, pickupPointId } },
    }),
    PrepareList,
  );

export const refundRequests = (shopId: string, status: 'open' | 'all', client: Api = api) =>
  read(
    client.GET('/api/shops/{shopId}/refund-requests', {
      params: { path: { shopId }, query: { status } },
    }),
    RefundRequestList,
  );

export const refundOrder = (orderId: string, note?: string) =>
  done(
    api.POST('/api/orders/{orderId}/refund', {
      params: { path: { orderId } },
      body: note ? { note } : {},
    }),
  );

export const declineRefund = (orderId: string, note: string) =>
  done(
    api.POST('/api/orders/{orderId}/refund/decline', {
      params: { path: { orderId } },
      body: { note },
    }),
  );

export const shopProducts = (shopId: string, client: Api = api) =>
  read(client.GET('/api/shops/{shopId}/products', { params: { path: { shopId } } }), ProductList);

export const createProduct = (shopId: string, body: CreateProductBody) =>
  read(
    api.POST('/api/shops/{shopId}/products', { params: { path: { shopId } }, body }),
    ProductEnvelope,
  );

export const editProduct = (shopId: string, productId: string, body: EditProductBody) =>
  read(
    api.PATCH('/api/shops/{shopId}/products/{productId}', {
      params: { path: { shopId, productId } },
      body,
    }),
    ProductEnvelope,
  );

/** Mainland mobile numbers, or E.164: the same rule as the API. */
export function isPhone(value: string): boolean {
  return PHONE_PATTERN.test(value.trim());
}

/** The price typed in yuan ("12.5") as integer cents, or null. */
export function yuanToCents(value: string): number | null {
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
