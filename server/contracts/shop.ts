import { z } from 'zod';
import { DisplayName, hasNoNul, NO_NUL, OwnImageUrl, textBlock } from './common';
import { ShopMembership } from './member';
import { StreamSummary } from './stream';

export const Shop = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    address: z.string().nullable(),
    pickupHours: z.string().nullable(),
    story: z.string().nullable(),
    /** The shop's logo, one of this app's uploads; null when none was set. */
    logoUrl: z.string().nullable(),
    /** How many days a leader's link click still credits an order (1–30). */
    attributionDays: z.number().int(),
    /** Units per buyer on an offer without its own limit; null: no default limit. */
    defaultBuyerLimit: z.number().int().nullable(),
    /** The after-sales answer the shop promises, within this many hours (1–72). */
    responsePromiseHours: z.number().int(),
    /** 秒退款: photographed bad-goods claims on orders up to this total are refunded at once; 0: off. */
    instantRefundCents: z.number().int(),
  })
  .meta({ id: 'Shop' });
export type Shop = z.infer<typeof Shop>;

export const ShopEnvelope = z.object({ shop: Shop });
export type ShopEnvelope = z.infer<typeof ShopEnvelope>;

/** GET /api/shops/:slug (public); also each entry of GET /api/me/shops. */
export const ShopPage = z.object({ shop: Shop, streams: z.array(StreamSummary) });
export type ShopPage = z.infer<typeof ShopPage>;

/**
 * GET /api/shops/:slug: the shop page, with whether the requester is a member. Members-only
 * streams are listed only to the shop's members and its owner.
 */
export const PublicShopPage = ShopPage.extend({
  membership: ShopMembership,
  /** whether the requester owns the shop (the owner does not join it) */
  owner: z.boolean(),
});
export type PublicShopPage = z.infer<typeof PublicShopPage>;

/** GET /api/me/shops: the shops I own, with their streams. */
export const MyShops = z.object({ shops: z.array(ShopPage) });
export type MyShops = z.infer<typeof MyShops>;

const Slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/, '3–40 lowercase letters, digits and dashes');

export const CreateShopBody = z.strictObject({
  name: DisplayName,
  slug: Slug,
  address: textBlock(200).optional(),
  pickupHours: textBlock(200).optional(),
  story: textBlock(2000).optional(),
});
export type CreateShopBody = z.infer<typeof CreateShopBody>;

/** The longest attribution window a shop may choose, in days (SPEC: 1–30). */
export const MAX_ATTRIBUTION_DAYS = 30;
/** The largest default per-buyer limit (an order takes at most 99 units anyway). */
export const MAX_DEFAULT_BUYER_LIMIT = 99;
/** The longest after-sales promise, in hours (three days). */
export const MAX_RESPONSE_PROMISE_HOURS = 72;
/** The highest 秒退款 threshold (¥200): a refund nobody looks at stays small. */
export const MAX_INSTANT_REFUND_CENTS = 20_000;

/**
 * PATCH /api/shops/:shopId (owner): every field optional; null clears the optional texts,
 * the logo and the default per-buyer limit. The slug (the shop's address) does not change.
 */
export const EditShopBody = z
  .strictObject({
    name: DisplayName.optional(),
    address: textBlock(200).nullable().optional(),
    pickupHours: textBlock(200).nullable().optional(),
    story: textBlock(2000).nullable().optional(),
    logoUrl: OwnImageUrl.nullable().optional(),
    attributionDays: z.number().int().min(1).max(MAX_ATTRIBUTION_DAYS).optional(),
    defaultBuyerLimit: z.number().int().min(1).max(MAX_DEFAULT_BUYER_LIMIT).nullable().optional(),
    responsePromiseHours: z.number().int().min(1).max(MAX_RESPONSE_PROMISE_HOURS).optional(),
    instantRefundCents: z.number().int().min(0).max(MAX_INSTANT_REFUND_CENTS).optional(),
  })
  .meta({ id: 'EditShopBody' });
export type EditShopBody = z.infer<typeof EditShopBody>;

export const SlugParams = z.object({ slug: z.string().min(1).max(60).refine(hasNoNul, NO_NUL) });

/** The shop-wide list of words comments may not contain. */
export const BlockedWords = z.object({ words: z.array(z.string()) }).meta({ id: 'BlockedWords' });
export type BlockedWords = z.infer<typeof BlockedWords>;

export const PutBlockedWordsBody = z.strictObject({
  words: z.array(textBlock(40)).max(500),
});
