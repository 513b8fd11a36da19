// Rating after pickup (issue 14, part 3; SPEC journey 13): a buyer rates a picked-up order
// once, with 1–5 stars, tags from a fixed list and a short text, and may change it for
// RATING_EDIT_DAYS; the shop page shows the aggregate and the recent texts, each with the
// owner's one public reply.
import { z } from 'zod';
import { textBlock } from './common';

/**
 * The tags a rating may carry, praise first. Frozen in the database as well
 * (db/migrations/2026-11-29T0200_order_ratings.ts): adding one needs a migration.
 */
export const RATING_TAGS = [
  'fresh', // 新鲜
  'generous', // 分量足
  'good_service', // 服务好
  'good_value', // 实惠
  'not_fresh', // 不新鲜
  'bad_fruit', // 坏果
  'short_weight', // 分量少
  'slow_pickup', // 取货慢
] as const;
export const RatingTag = z.enum(RATING_TAGS);
export type RatingTag = z.infer<typeof RatingTag>;

/** The tags that praise; the others complain (the page colours them so). */
export const PRAISE_TAGS: readonly RatingTag[] = [
  'fresh',
  'generous',
  'good_service',
  'good_value',
];

/** How long after rating first the buyer may still change it. */
export const RATING_EDIT_DAYS = 7;
export const MAX_RATING_TEXT = 200;
export const MAX_RATING_REPLY = 300;

export const RatingParams = z.object({ shopId: z.uuid(), ratingId: z.uuid() });

/**
 * PUT /api/orders/:orderId/rating: the whole rating. The first PUT creates it (201), later
 * ones within the edit window replace it (200); tags left out are none, text left out or
 * null is none.
 */
export const RateOrderBody = z
  .strictObject({
    stars: z.number().int().min(1).max(5),
    tags: z
      .array(RatingTag)
      .max(RATING_TAGS.length)
      .refine((tags) => new Set(tags).size === tags.length, 'must not repeat a tag')
      .optional(),
    text: textBlock(MAX_RATING_TEXT).nullable().optional(),
  })
  .meta({ id: 'RateOrderBody' });
export type RateOrderBody = z.infer<typeof RateOrderBody>;

/** POST /api/shops/:shopId/ratings/:ratingId/reply (owner, once). */
export const RatingReplyBody = z
  .strictObject({ text: textBlock(MAX_RATING_REPLY) })
  .meta({ id: 'RatingReplyBody' });
export type RatingReplyBody = z.infer<typeof RatingReplyBody>;

export const RatingReply = z
  .object({ text: z.string(), repliedAt: z.string() })
  .meta({ id: 'RatingReply' });
export type RatingReply = z.infer<typeof RatingReply>;

/** A rating as its buyer sees it. */
export const MyRating = z
  .object({
    id: z.string(),
    orderId: z.string(),
    stars: z.number().int(),
    tags: z.array(RatingTag),
    text: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    /** after this the rating can no longer change (409 rating_locked) */
    editableUntil: z.string(),
    reply: RatingReply.nullable(),
  })
  .meta({ id: 'MyRating' });
export type MyRating = z.infer<typeof MyRating>;

export const MyRatingEnvelope = z.object({ rating: MyRating });
export type MyRatingEnvelope = z.infer<typeof MyRatingEnvelope>;

/** GET /api/orders/:orderId/rating: null while the order is not rated. */
export const MaybeMyRating = z.object({ rating: MyRating.nullable() });
export type MaybeMyRating = z.infer<typeof MaybeMyRating>;

/** GET /api/me/ratings: every rating I gave, newest first. */
export const MyRatingList = z.object({ ratings: z.array(MyRating) });
export type MyRatingList = z.infer<typeof MyRatingList>;

/** A rating as the shop page shows it: the buyer's name masked. */
export const PublicRating = z
  .object({
    id: z.string(),
    stars: z.number().int(),
    tags: z.array(RatingTag),
    text: z.string().nullable(),
    buyerName: z.string(),
    productName: z.string(),
    createdAt: z.string(),
    reply: RatingReply.nullable(),
  })
  .meta({ id: 'PublicRating' });
export type PublicRating = z.infer<typeof PublicRating>;

export const RatingSummary = z
  .object({
    count: z.number().int(),
    /** the mean of the stars, to two decimals; null without ratings */
    average: z.number().nullable(),
    /** how many ratings gave 1, 2, 3, 4 and 5 stars, in that order */
    stars: z.array(z.number().int()).length(5),
    /** how often each tag was given, most often first; tags never given are left out */
    tags: z.array(z.object({ tag: RatingTag, count: z.number().int() })),
  })
  .meta({ id: 'RatingSummary' });
export type RatingSummary = z.infer<typeof RatingSummary>;

/** GET /api/shops/:shopId/ratings (public): the aggregate and the recent rated texts. */
export const ShopRatings = z
  .object({ summary: RatingSummary, recent: z.array(PublicRating) })
  .meta({ id: 'ShopRatings' });
export type ShopRatings = z.infer<typeof ShopRatings>;

export const PublicRatingEnvelope = z.object({ rating: PublicRating });
export type PublicRatingEnvelope = z.infer<typeof PublicRatingEnvelope>;
