import { sql } from 'kysely';
import type { Database } from '../database';
import type { OrderRatingRow } from '../ratings.schema';

// Ratings after pickup: one per order, by its buyer, and the owner's one reply.

/** What deciding whether an order may be rated needs to know about it. */
export interface OrderToRate {
  id: string;
  shopId: string;
  buyerId: string;
  state: string;
  pickedUpAt: Date | null;
}

export async function findOrderToRate(
  db: Database,
  orderId: string,
): Promise<OrderToRate | undefined> {
  const row = await db
    .selectFrom('orders')
    .select(['id', 'shop_id', 'buyer_id', 'state', 'picked_up_at'])
    .where('id', '=', orderId)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      shopId: row.shop_id,
      buyerId: row.buyer_id,
      state: row.state,
      pickedUpAt: row.picked_up_at,
    }
  );
}

/**
 * Rates the order, or replaces its rating while the rating is younger than `editDays`: one
 * statement, so two first ratings at once make one row (the later is an edit of the
 * earlier). `created` says which happened; undefined: the rating exists and is too old.
 */
export async function upsertRating(
  db: Database,
  row: {
    orderId: string;
    shopId: string;
    buyerId: string;
    stars: number;
    tags: string[];
    text: string | null;
  },
  editDays: number,
): Promise<{ rating: OrderRatingRow; created: boolean } | undefined> {
  const saved = await db
    .insertInto('order_ratings')
    .values({
      order_id: row.orderId,
      shop_id: row.shopId,
      buyer_id: row.buyerId,
      stars: row.stars,
      tags: row.tags,
      text: row.text,
    })
    .onConflict((oc) =>
      oc
        .column('order_id')
        .doUpdateSet((eb) => ({
          stars: eb.ref('excluded.stars'),
          tags: eb.ref('excluded.tags'),
          text: eb.ref('excluded.text'),
          updated_at: sql<Date>`now()`,
        }))
        .where(
          'order_ratings.created_at',
          '>',
          sql<Date>`now() - make_interval(days => ${editDays})`,
        ),
    )
    .returningAll()
    // xmax is 0 on a row this statement inserted, and set on one it updated
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .executeTakeFirst();
  if (!saved) return undefined;
  const { inserted, ...rating } = saved;
  return { rating, created: inserted };
}

export async function findRatingByOrder(
  db: Database,
  orderId: string,
): Promise<OrderRatingRow | undefined> {
  return db
    .selectFrom('order_ratings')
    .selectAll()
    .where('order_id', '=', orderId)
    .executeTakeFirst();
}

export async function listRatingsByBuyer(
  db: Database,
  buyerId: string,
  limit = 500,
): Promise<OrderRatingRow[]> {
  return db
    .selectFrom('order_ratings')
    .selectAll()
    .where('buyer_id', '=', buyerId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The owner's answer, written only if there is none yet; undefined: no such unanswered rating. */
export async function setRatingReply(
  db: Database,
  shopId: string,
  ratingId: string,
  reply: string,
): Promise<OrderRatingRow | undefined> {
  return db
    .updateTable('order_ratings')
    .set({ reply, replied_at: sql<Date>`now()` })
    .where('id', '=', ratingId)
    .where('shop_id', '=', shopId)
    .where('reply', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function findShopRating(
  db: Database,
  shopId: string,
  ratingId: string,
): Promise<OrderRatingRow | undefined> {
  return db
    .selectFrom('order_ratings')
    .selectAll()
    .where('id', '=', ratingId)
    .where('shop_id', '=', shopId)
    .executeTakeFirst();
}

export interface RatingTotals {
  count: number;
  starsSum: number;
  /** ratings with 1, 2, 3, 4 and 5 stars */
  byStars: [number, number, number, number, number];
  tags: { tag: string; count: number }[];
}

export async function shopRatingTotals(db: Database, shopId: string): Promise<RatingTotals> {
  const totals = await db
    .selectFrom('order_ratings')
    .select([
      sql<number>`count(*)::int`.as('count'),
      sql<number>`coalesce(sum(stars), 0)::int`.as('stars_sum'),
      sql<number>`count(*) filter (where stars = 1)::int`.as('s1'),
      sql<number>`count(*) filter (where stars = 2)::int`.as('s2'),
      sql<number>`count(*) filter (where stars = 3)::int`.as('s3'),
      sql<number>`count(*) filter (where stars = 4)::int`.as('s4'),
      sql<number>`count(*) filter (where stars = 5)::int`.as('s5'),
    ])
    .where('shop_id', '=', shopId)
    .executeTakeFirstOrThrow();
  const { rows: tags } = await sql<{ tag: string; count: number }>`
    select t.tag, count(*)::int as count
    from order_ratings r cross join unnest(r.tags) as t(tag)
    where r.shop_id = ${shopId}
    group by t.tag
    order by count desc, t.tag`.execute(db);
  return {
    count: totals.count,
    starsSum: totals.stars_sum,
    byStars: [totals.s1, totals.s2, totals.s3, totals.s4, totals.s5],
    tags,
  };
}

export interface ShopRatingListRow extends OrderRatingRow {
  buyerName: string;
  productName: string;
}

function shopRatingListQuery(db: Database, shopId: string) {
  return db
    .selectFrom('order_ratings as r')
    .innerJoin('orders as o', 'o.id', 'r.order_id')
    .innerJoin('users as u', 'u.id', 'r.buyer_id')
    .selectAll('r')
    .select(['u.name as buyer_name', 'o.product_name'])
    .where('r.shop_id', '=', shopId);
}

function toListRow({
  buyer_name,
  product_name,
  ...r
}: OrderRatingRow & { buyer_name: string; product_name: string }): ShopRatingListRow {
  return { ...r, buyerName: buyer_name, productName: product_name };
}

/** The shop's ratings that say something (a text, or the owner's reply), newest first. */
export async function listShopRatingTexts(
  db: Database,
  shopId: string,
  limit: number,
): Promise<ShopRatingListRow[]> {
  const rows = await shopRatingListQuery(db, shopId)
    .where((eb) => eb.or([eb('r.text', 'is not', null), eb('r.reply', 'is not', null)]))
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id')
    .limit(limit)
    .execute();
  return rows.map(toListRow);
}

/** One rating of the shop as the shop page lists it. */
export async function findShopRatingListRow(
  db: Database,
  shopId: string,
  ratingId: string,
): Promise<ShopRatingListRow | undefined> {
  const row = await shopRatingListQuery(db, shopId).where('r.id', '=', ratingId).executeTakeFirst();
  return row && toListRow(row);
}
