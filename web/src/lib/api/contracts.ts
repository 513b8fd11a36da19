// The API's contracts (server/contracts), for the web app: the zod schemas that check every
// answer at runtime and the types derived from them. One import path for the pages.
export * from '../../../../server/contracts/analytics.ts';
export * from '../../../../server/contracts/auth.ts';
export * from '../../../../server/contracts/error.ts';
export * from '../../../../server/contracts/leader.ts';
export * from '../../../../server/contracts/leaderboard.ts';
export * from '../../../../server/contracts/member.ts';
export * from '../../../../server/contracts/moderation.ts';
export * from '../../../../server/contracts/notification.ts';
export * from '../../../../server/contracts/offer.ts';
export * from '../../../../server/contracts/order.ts';
export * from '../../../../server/contracts/product.ts';
export * from '../../../../server/contracts/rating.ts';
export * from '../../../../server/contracts/realtime.ts';
export * from '../../../../server/contracts/replay.ts';
export * from '../../../../server/contracts/settlement.ts';
export * from '../../../../server/contracts/shop.ts';
export * from '../../../../server/contracts/stream.ts';
export * from '../../../../server/contracts/trust.ts';
export * from '../../../../server/contracts/upload.ts';
export * from '../../../../server/contracts/waitlist.ts';
