import { createRouter } from '../../openapi';
import { streamLeaderboardRoutes } from './leaderboard.routes';
import { streamOfferRoutes } from './offers.routes';
import { streamOrderRoutes } from './orders.routes';
import { streamPickupPointRoutes } from './pickup-points.routes';
import { streamReplayRoutes } from './replay.routes';
import { streamStageRoutes } from './stage.routes';
import { streamStatsRoutes } from './stats.routes';
import { streamReminderRoutes } from './reminder.routes';
import { streamRootRoutes } from './streams.routes';
import { streamWaitlistRoutes } from './waitlist.routes';

/** Everything under /api/streams: one file per resource after /{streamId}/ (offers.routes.ts is /{streamId}/offers…). */
export function streamRoutes() {
  return createRouter()
    .route('/', streamRootRoutes())
    .route('/', streamStageRoutes())
    .route('/', streamOrderRoutes())
    .route('/', streamOfferRoutes())
    .route('/', streamPickupPointRoutes())
    .route('/', streamStatsRoutes())
    .route('/', streamLeaderboardRoutes())
    .route('/', streamWaitlistRoutes())
    .route('/', streamReminderRoutes())
    .route('/', streamReplayRoutes());
}
