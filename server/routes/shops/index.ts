import { createRouter } from '../../openapi';
import { shopBlockedWordRoutes } from './blocked-words.routes';
import { shopLeaderInviteRoutes } from './leader-invites.routes';
import { shopLeaderRoutes } from './leaders.routes';
import { shopMemberRoutes } from './members.routes';
import { shopModeratorRoutes } from './moderators.routes';
import { shopOrderRoutes } from './orders.routes';
import { shopPickupRoutes } from './pickups.routes';
import { shopProductRoutes } from './products.routes';
import { shopRatingRoutes } from './ratings.routes';
import { shopRefundRequestRoutes } from './refund-requests.routes';
import { shopSettlementRoutes } from './settlement.routes';
import { shopRootRoutes } from './shops.routes';
import { shopStreamRoutes } from './streams.routes';
import { shopTrustRoutes } from './trust.routes';

/** Everything under /api/shops: one file per resource after /{shopId}/ (leaders.routes.ts is /{shopId}/leaders…). */
export function shopRoutes() {
  return createRouter()
    .route('/', shopRootRoutes())
    .route('/', shopBlockedWordRoutes())
    .route('/', shopModeratorRoutes())
    .route('/', shopMemberRoutes())
    .route('/', shopLeaderRoutes())
    .route('/', shopLeaderInviteRoutes())
    .route('/', shopStreamRoutes())
    .route('/', shopOrderRoutes())
    .route('/', shopProductRoutes())
    .route('/', shopPickupRoutes())
    .route('/', shopRefundRequestRoutes())
    .route('/', shopRatingRoutes())
    .route('/', shopSettlementRoutes())
    .route('/', shopTrustRoutes());
}
