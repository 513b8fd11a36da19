import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CreatedAt } from './schema';

// Rating after pickup (issue 14, part 3): one rating per order, and the owner's one reply.

export interface OrderRatingsTable {
  id: Generated<string>;
  /** unique: an order is rated once (later changes are edits of this row) */
  order_id: string;
  shop_id: string;
  buyer_id: string;
  /** 1–5 */
  stars: number;
  /** codes from RATING_TAGS (server/contracts/rating.ts); the database checks the list */
  tags: ColumnType<string[], string[] | undefined, string[]>;
  text: string | null;
  /** the owner's public answer, written once */
  reply: ColumnType<string | null, never, string>;
  replied_at: ColumnType<Date | null, never, Date | string>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, never, Date | string>;
}

export interface RatingsTables {
  order_ratings: OrderRatingsTable;
}

export type OrderRatingRow = Selectable<OrderRatingsTable>;
export type NewOrderRatingRow = Insertable<OrderRatingsTable>;
