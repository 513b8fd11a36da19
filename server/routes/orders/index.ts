import { createRouter } from '../../openapi';
import { orderCancelRoutes } from './cancel.routes';
import { orderRatingRoutes } from './rating.routes';
import { orderRefundRoutes } from './refunds.routes';

/** Everything under /api/orders/{orderId}/: refunds, cancelling and the buyer's rating. */
export function orderRoutes() {
  return createRouter()
    .route('/', orderRefundRoutes())
    .route('/', orderCancelRoutes())
    .route('/', orderRatingRoutes());
}
