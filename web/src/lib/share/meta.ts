// What a link shows when pasted into a group chat: the Open Graph and Twitter card fields of
// the watch page and the shop page, computed from what the page already loaded. Pure, so the
// server render (what a link-preview crawler reads, without JavaScript) and the tests agree.
import type { MessageKey, MessageValues } from '../i18n/index.ts';
import type { Locale } from '../i18n/locales.ts';
import type { Stream, StreamOffer, StreamSummary } from '../api/contracts.ts';
import { formatDateTime } from '../datetime.ts';
import { formatCents } from '../money.ts';

export type Translate = (key: MessageKey, values?: MessageValues) => string;

/** The picture a link shows when its stream and shop have none (web/static). */
export const DEFAULT_SHARE_IMAGE = '/share/linli-share.jpg';

/** A leader's code as /s/<code> accepts it: anything else in ?ref= is not carried on. */
const REF_CODE = /^[a-z0-9]{1,32}$/;

export interface ShareMeta {
  title: string;
  description: string;
  /** absolute: crawlers do not resolve relative image URLs */
  image: string;
  /** the canonical address, with the leader's ?ref= when the page was opened with one */
  url: string;
  type: 'website' | 'product';
  /** for a single offer: its price, as `product:price:amount` wants it (yuan, "12.50") */
  price: { amount: string; currency: 'CNY' } | null;
  siteName: string;
  locale: string;
}

/** The leader's code from a page's ?ref=, when it is one. */
export function refFrom(url: { searchParams: Pick<URLSearchParams, 'get'> }): string | null {
  const ref = url.searchParams.get('ref');
  return ref !== null && REF_CODE.test(ref) ? ref : null;
}

/** `path` on `origin`; an absolute http(s) URL stays as it is. */
export function absoluteUrl(origin: string, path: string): string {
  return new URL(path, `${origin.replace(/\/+$/, '')}/`).href;
}

/** A page address with the leader's ?ref= (when there is one). */
export function withRef(url: string, ref: string | null): string {
  if (ref === null) return url;
  const u = new URL(url);
  u.searchParams.set('ref', ref);
  return u.href;
}

/** Integer cents as the decimal yuan string Open Graph's price wants: 1250 → "12.50". */
export function yuanAmount(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The offer a link is about: the pinned one, else the only one on sale; none when several. */
export function featuredOffer(
  stream: Pick<Stream, 'offers' | 'pinnedOfferId'>,
): StreamOffer | null {
  const open = stream.offers.filter((o) => !o.closed);
  const pinned = open.find((o) => o.id === stream.pinnedOfferId);
  if (pinned) return pinned;
  return open.length === 1 ? (open[0] ?? null) : null;
}

/** Cover, else the pinned (or first) offer's product picture, else the shop logo, else ours. */
export function streamImagePath(
  stream: Pick<Stream, 'offers' | 'pinnedOfferId'>,
  coverUrl: string | null,
  logoUrl: string | null,
): string {
  const pinned = stream.offers.find((o) => o.id === stream.pinnedOfferId);
  const offerImage = pinned?.imageUrl ?? stream.offers.find((o) => o.imageUrl)?.imageUrl;
  return coverUrl ?? offerImage ?? logoUrl ?? DEFAULT_SHARE_IMAGE;
}

export interface StreamShareInput {
  stream: Pick<
    Stream,
    'id' | 'status' | 'offers' | 'pinnedOfferId' | 'saleEndsAt' | 'scheduledAt' | 'shop'
  >;
  /** the title and cover as the page shows them (the owner may have edited them live) */
  title: string;
  coverUrl: string | null;
  logoUrl: string | null;
  origin: string;
  ref: string | null;
  t: Translate;
  locale: Locale;
}

export function streamShareMeta(input: StreamShareInput): ShareMeta {
  const { stream, t, locale } = input;
  const when = (iso: string | null) => (iso ? formatDateTime(iso, locale) : null);
  const title =
    stream.status === 'live'
      ? t('share.live', { title: input.title })
      : stream.status === 'scheduled'
        ? t('share.scheduled', { title: input.title })
        : t('share.replay', { title: input.title });
  const saleEnds = when(stream.saleEndsAt);
  const startsAt = when(stream.scheduledAt);
  const state =
    stream.status === 'live'
      ? t('share.liveNow')
      : stream.status === 'scheduled'
        ? startsAt
          ? t('share.startsAt', { time: startsAt })
          : null
        : saleEnds && stream.saleEndsAt && Date.parse(stream.saleEndsAt) > Date.now()
          ? t('share.saleUntil', { time: saleEnds })
          : t('share.replayNow');
  const offer = featuredOffer(stream);
  const goods = offer
    ? t('share.offerPrice', { product: offer.productName, price: formatCents(offer.priceCents) })
    : stream.offers.filter((o) => !o.closed).length > 1
      ? t('share.offers', { count: stream.offers.filter((o) => !o.closed).length })
      : null;
  const description = [goods, state, stream.shop.name, stream.shop.address]
    .filter((part): part is string => Boolean(part))
    .join(' · ');
  return {
    title,
    description,
    image: absoluteUrl(input.origin, streamImagePath(stream, input.coverUrl, input.logoUrl)),
    url: withRef(absoluteUrl(input.origin, `/live/${stream.id}`), input.ref),
    type: offer ? 'product' : 'website',
    price: offer ? { amount: yuanAmount(offer.priceCents), currency: 'CNY' } : null,
    siteName: t('share.siteName'),
    locale: locale === 'en' ? 'en_US' : 'zh_CN',
  };
}

export interface ShopShareInput {
  shop: {
    slug: string;
    name: string;
    story: string | null;
    address: string | null;
    logoUrl: string | null;
  };
  streams: Pick<StreamSummary, 'status' | 'title' | 'coverUrl' | 'scheduledAt'>[];
  origin: string;
  ref: string | null;
  t: Translate;
  locale: Locale;
}

/** The shop's link: its live (else next) stream, its story, its logo (or that stream's cover). */
export function shopShareMeta(input: ShopShareInput): ShareMeta {
  const { shop, t } = input;
  const live = input.streams.find((s) => s.status === 'live');
  const next = input.streams
    .filter((s) => s.status === 'scheduled')
    .sort(
      (a, b) =>
        (Date.parse(a.scheduledAt ?? '') || Infinity) -
        (Date.parse(b.scheduledAt ?? '') || Infinity),
    )[0];
  const headline = live
    ? t('share.shopLive', { title: live.title })
    : next
      ? t('share.shopNext', { title: next.title })
      : null;
  const story = shop.story ? shortened(shop.story, 120) : null;
  const description = [headline, story, shop.address]
    .filter((part): part is string => Boolean(part))
    .join(' · ');
  const image = live?.coverUrl ?? shop.logoUrl ?? next?.coverUrl ?? DEFAULT_SHARE_IMAGE;
  return {
    title: t('share.shopTitle', { shop: shop.name }),
    description: description || shop.name,
    image: absoluteUrl(input.origin, image),
    url: withRef(absoluteUrl(input.origin, `/shop/${shop.slug}`), input.ref),
    type: 'website',
    price: null,
    siteName: t('share.siteName'),
    locale: input.locale === 'en' ? 'en_US' : 'zh_CN',
  };
}

function shortened(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}
