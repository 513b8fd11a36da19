import type { BurstyRateLimiter, RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AppDeps } from '../../context';
import type { Rooms } from '../rooms';
import type { RealtimeServer } from '../types';

/** What every group of socket handlers works with. */
export interface HandlerContext {
  io: RealtimeServer;
  deps: AppDeps;
  rooms: Rooms;
  limits: {
    comment: BurstyRateLimiter;
    like: RateLimiterAbstract;
    /** Orders per buyer per minute, for a "+1" in the chat (the order route has its own). */
    order: RateLimiterAbstract;
  };
}
