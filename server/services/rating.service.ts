import type { Database } from '../../db/database';
import type { OrderRatingRow } from '../../db/ratings.schema';
import {
  findOrderToRate,
  findRatingByOrder,
  findShopRatingListRow,
  findShopRating,
  listRatingsByBuyer,
  listShopRatingTexts,
  setRatingReply,
  shopRatingTotals,
  upsertRating,
  type ShopRatingListRow,
} from '../../db/repositories/rating.repository';
import { findShopById } from '../../db/repositories/shop.repository';
import {
  RATING_EDIT_DAYS,
  RatingTag,
  type MyRating,
  type PublicRating,
  type RateOrderBody,
  type RatingReply,
  type RatingSummary,
  type ShopRatings,
} from '../contracts/rating';
import { AppError } from '../errors';
import { maskName } from '../rules/names';
import type { User } from './auth.service';
import { assertShopOwner } from './order-query.service';

// Rating after pickup (issue 14, part 3): the buyer of a picked-up order rates it once and
// may change it for RATING_EDIT_DAYS; the shop page shows the aggregate and the recent texts;
// the owner answers each rating publicly once.

const DAY_MS = 86_400_000;
/** How many rated texts the shop page lists. */
const RECENT_TEXTS = 20;

/** Tags as stored are checked by the database against the same list; this keeps the type. */
const tagsOf = (tags: string[]): RatingTag[] =>
  tags.flatMap((tag) => {
    const known = RatingTag.safeParse(tag);
    return known.success ? [known.data] : [];
  });

function replyOf(row: OrderRatingRow): RatingReply | null {
  return row.reply !== null && row.replied_at !== null
    ? { text: row.reply, repliedAt: row.replied_at.toISOString() }
    : null;
}

function ratingRowToMyRating(row: OrderRatingRow): MyRating {
  return {
    id: row.id,
    orderId: row.order_id,
    stars: row.stars,
    tags: tagsOf(row.tags),
    text: row.text,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    editableUntil: new Date(row.created_at.getTime() + RATING_EDIT_DAYS * DAY_MS).toISOString(),
    reply: replyOf(row),
  };
}

function ratingRowToPublic(row: ShopRatingListRow): PublicRating {
  return {
    id: row.id,
    stars: row.stars,
    tags: tagsOf(row.tags),
    text: row.text,
    buyerName: maskName(row.buyerName),
    productName: row.productName,
    createdAt: row.created_at.toISOString(),
    reply: replyOf(row),
  };
}

/**
 * Rates the buyer's own picked-up order, or changes the rating within RATING_EDIT_DAYS of
 * the first one. An order refunded after pickup may still be rated: it was received, and a
 * bad-fruit refund is just what a rating should be able to tell.
 */
export async function rateOrder(
  db: Database,
  buyer: User,
  orderId: string,
  input: RateOrderBody,
): Promise<{ rating: MyRating; created: boolean }> {
  const order = await findOrderToRate(db, orderId);
  // someone else's order is answered as missing: its existence is not theirs to learn
  if (!order || order.buyerId !== buyer.id) throw new AppError('not_found', 'No such order.');
  if (order.pickedUpAt === null || (order.state !== 'picked_up' && order.state !== 'refunded')) {
    throw new AppError('not_picked_up', 'An order can be rated once it has been picked up.');
  }
  const saved = await upsertRating(
    db,
    {
      orderId: order.id,
      shopId: order.shopId,
      buyerId: buyer.id,
      stars: input.stars,
      tags: input.tags ?? [],
      text: input.text ?? null,
    },
    RATING_EDIT_DAYS,
  );
  if (!saved) {
    throw new AppError(
      'rating_locked',
      `A rating can be changed for ${RATING_EDIT_DAYS} days after it was first given.`,
    );
  }
  return { rating: ratingRowToMyRating(saved.rating), created: saved.created };
}

/** The buyer's rating of their own order; null while it is not rated. */
export async function myOrderRating(
  db: Database,
  buyer: User,
  orderId: string,
): Promise<MyRating | null> {
  const order = await findOrderToRate(db, orderId);
  if (!order || order.buyerId !== buyer.id) throw new AppError('not_found', 'No such order.');
  const row = await findRatingByOrder(db, order.id);
  return row ? ratingRowToMyRating(row) : null;
}

/** Every rating the user gave, newest first. */
export async function myRatings(db: Database, buyer: User): Promise<MyRating[]> {
  return (await listRatingsByBuyer(db, buyer.id)).map(ratingRowToMyRating);
}

export function summarize(totals: {
  count: number;
  starsSum: number;
  byStars: number[];
  tags: { tag: string; count: number }[];
}): RatingSummary {
  return {
    count: totals.count,
    average: totals.count === 0 ? null : Math.round((totals.starsSum * 100) / totals.count) / 100,
    stars: totals.byStars,
    tags: totals.tags.flatMap(({ tag, count }) => {
      const known = RatingTag.safeParse(tag);
      return known.success ? [{ tag: known.data, count }] : [];
    }),
  };
}

/** The shop page's ratings (public): the aggregate over all, and the recent rated texts. */
export async function shopRatings(db: Database, shopId: string): Promise<ShopRatings> {
  const shop = await findShopById(db, shopId);
  if (!shop) throw new AppError('not_found', 'No such shop.');
  const [totals, recent] = await Promise.all([
    shopRatingTotals(db, shop.id),
    listShopRatingTexts(db, shop.id, RECENT_TEXTS),
  ]);
  return { summary: summarize(totals), recent: recent.map(ratingRowToPublic) };
}

/** The owner answers a rating of their shop, publicly and once. */
export async function replyToRating(
  db: Database,
  owner: User,
  shopId: string,
  ratingId: string,
  text: string,
): Promise<PublicRating> {
  await assertShopOwner(db, owner, shopId);
  const replied = await setRatingReply(db, shopId, ratingId, text);
  if (!replied) {
    const existing = await findShopRating(db, shopId, ratingId);
    if (!existing) throw new AppError('not_found', 'No such rating.');
    throw new AppError('already_replied', 'This rating has already been answered.');
  }
  const row = await findShopRatingListRow(db, shopId, replied.id);
  if (!row) throw new AppError('not_found', 'No such rating.');
  return ratingRowToPublic(row);
}
