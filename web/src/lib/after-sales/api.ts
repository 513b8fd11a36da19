// After-sales: the shop's promise and how well it keeps it, a buyer's own request with its
// deadline. One function per API call, each answer checked against its contract.
import { api, read, type Api } from '../api/client.ts';
import { AfterSalesSummaryEnvelope, MyRefundRequestEnvelope } from '../api/contracts.ts';

export type { AfterSalesSummary, MyRefundRequest, RefundKind } from '../api/contracts.ts';

export const afterSalesSummary = (shopId: string, client: Api = api) =>
  read(
    client.GET('/api/shops/{shopId}/after-sales', { params: { path: { shopId } } }),
    AfterSalesSummaryEnvelope,
  );

export const myRefundRequest = (orderId: string) =>
  read(
    api.GET('/api/orders/{orderId}/refund-request', { params: { path: { orderId } } }),
    MyRefundRequestEnvelope,
  );

/** Whole hours, minutes and seconds of a span, for a countdown or a response time. */
export function splitSeconds(total: number): { h: number; m: number; s: number } {
  const t = Math.max(0, Math.round(total));
  return { h: Math.floor(t / 3600), m: Math.floor((t % 3600) / 60), s: t % 60 };
}
