// Ratings after pickup: my rating of an order, my ratings, the shop's ratings and the
// owner's reply. One function per API call, each answer checked against its contract.
import { api, read, type Api } from '../api/client.ts';
import {
  MyRatingEnvelope,
  MyRatingList,
  PublicRatingEnvelope,
  ShopRatings,
  type RateOrderBody,
} from '../api/contracts.ts';

export type { MyRating, PublicRating, RatingSummary, RatingTag } from '../api/contracts.ts';
export {
  PRAISE_TAGS,
  RATING_EDIT_DAYS,
  RATING_TAGS,
  MAX_RATING_TEXT,
  MAX_RATING_REPLY,
} from '../api/contracts.ts';

/** Rates my picked-up order, or changes my rating while it may still change. */
export const rateOrder = (orderId: string, body: RateOrderBody) =>
  read(
    api.PUT('/api/orders/{orderId}/rating', { params: { path: { orderId } }, body }),
    MyRatingEnvelope,
  );

export const myRatings = () => read(api.GET('/api/me/ratings'), MyRatingList);

export const shopRatings = (shopId: string, client: Api = api) =>
  read(client.GET('/api/shops/{shopId}/ratings', { params: { path: { shopId } } }), ShopRatings);

/** The owner's one public answer to a rating. */
export const replyToRating = (shopId: string, ratingId: string, text: string) =>
  read(
    api.POST('/api/shops/{shopId}/ratings/{ratingId}/reply', {
      params: { path: { shopId, ratingId } },
      body: { text },
    }),
    PublicRatingEnvelope,
  );
