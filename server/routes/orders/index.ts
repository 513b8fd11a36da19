import { createRouter } from '../../openapi';
import { orderCancelRoutes } from './cancel.routes';
import { orderRefundRoutes } from './refunds.routes';

/** Everything under /api/orders/{orderId}/: refunds and cancelling. */
export function orderRoutes() {
  return createRouter().route('/', orderRefundRoutes()).route('/', orderCancelRoutes());
}
