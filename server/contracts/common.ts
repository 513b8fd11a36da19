// Building blocks shared by the contracts: ids in paths, text rules. Contracts import only
// zod, so the web app can import them as well (eslint enforces it for this folder).
import { z } from 'zod';

/** Display names: trimmed, 1–40 characters, no control characters. */
export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'must not contain control characters');

/** One line of text with no control characters, trimmed, 1–max characters. */
export const lineOfText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'must not contain control characters');

/** PostgreSQL text cannot hold a NUL character: such input is refused, never stored. */
export const hasNoNul = (s: string) => !s.includes('\u0000');
export const NO_NUL = 'must not contain NUL characters';

/** Free text (may span lines): trimmed, 1–max characters, no NUL. */
export const textBlock = (max: number) =>
  z.string().trim().min(1).max(max).refine(hasNoNul, NO_NUL);

/** An ISO 8601 time with its offset, as requests send it. */
export const IsoTime = z.iso.datetime({ offset: true });

export const ShopParams = z.object({ shopId: z.uuid() });
/** A leader's link code as `?ref=` carries it. */
export const LeaderRef = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
export const StreamParams = z.object({ streamId: z.uuid() });
export const OrderParams = z.object({ orderId: z.uuid() });

/** The largest value of a PostgreSQL `integer` (int4) column: counts and cents are stored in them. */
export const MAX_INT4 = 2 ** 31 - 1;

/** Units one order may take. */
export const MAX_ORDER_QUANTITY = 99;

/**
 * The highest price of a product or an offer (¥200,000). Chosen so that the largest order,
 * MAX_ORDER_QUANTITY units at this price, still fits an order's int4 `total_cents`.
 */
export const MAX_PRICE_CENTS = 20_000_000;

/** An order's total is stored in an int4 column: no total may pass it. */
export const MAX_ORDER_TOTAL_CENTS = MAX_INT4;

/**
 * A picture the app shows: one of this app's own uploads (`/api/uploads/<uuid>.<ext>`, as
 * POST /api/uploads answers), or one of the demo's bundled pictures (`/demo/<name>.svg`).
 * Never an arbitrary remote URL: a page must not load what a stranger points it at.
 */
export const OwnImageUrl = z
  .string()
  .max(200)
  .regex(
    /^\/(api\/uploads\/[a-f0-9-]{36}\.(jpg|png|webp)|demo\/[a-z0-9-]{1,60}\.svg)$/,
    'must be an image uploaded to this app (POST /api/uploads)',
  );
