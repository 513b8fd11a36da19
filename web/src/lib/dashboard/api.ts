// The owner's dashboard: shops, stream plans and offers. One function per API call, each
// answer checked at runtime against its contract schema.
import { api, done, read, type Api } from '../api/client.ts';
import {
  MyShops,
  OfferEnvelope,
  ShopEnvelope,
  StreamSummaryEnvelope,
  Studio,
  type CreateOfferBody,
  type CreateShopBody,
  type CreateStreamBody,
  type EditOfferBody,
  type EditShopBody,
  type EditStreamBody,
  type Stream,
} from '../api/contracts.ts';

/** A stream as its plan page shows it (GET /api/streams/:id/studio). */
export type PlannedStream = Stream;

/** The shops I own, with their streams. */
export const myShops = (client: Api = api) => read(client.GET('/api/me/shops'), MyShops);

export const openShop = (body: CreateShopBody) =>
  read(api.POST('/api/shops', { body }), ShopEnvelope);

/** The owner's shop settings (PATCH /api/shops/:shopId): only the fields sent change. */
export const editShop = (shopId: string, body: EditShopBody) =>
  read(api.PATCH('/api/shops/{shopId}', { params: { path: { shopId } }, body }), ShopEnvelope);

/** Puts a stream ended less than 2 hours ago back on air (409 resume_expired after that). */
export const resumeStream = (streamId: string) =>
  read(
    api.POST('/api/streams/{streamId}/resume', { params: { path: { streamId } } }),
    StreamSummaryEnvelope,
  );

export const planStream = (shopId: string, body: CreateStreamBody) =>
  read(
    api.POST('/api/shops/{shopId}/streams', { params: { path: { shopId } }, body }),
    StreamSummaryEnvelope,
  );

export const editStream = (streamId: string, body: EditStreamBody) =>
  read(
    api.PATCH('/api/streams/{streamId}', { params: { path: { streamId } }, body }),
    StreamSummaryEnvelope,
  );

/** The owner's view of a stream and its segment history. */
export const studio = (streamId: string, client: Api = api) =>
  read(client.GET('/api/streams/{streamId}/studio', { params: { path: { streamId } } }), Studio);

export const createOffer = (streamId: string, body: CreateOfferBody) =>
  read(
    api.POST('/api/streams/{streamId}/offers', { params: { path: { streamId } }, body }),
    OfferEnvelope,
  );

export const editOffer = (streamId: string, offerId: string, body: EditOfferBody) =>
  read(
    api.PATCH('/api/streams/{streamId}/offers/{offerId}', {
      params: { path: { streamId, offerId } },
      body,
    }),
    OfferEnvelope,
  );

/** Pins an offer on every viewer's screen; null unpins. */
export const pinOffer = (streamId: string, offerId: string | null) =>
  done(
    offerId === null
      ? api.POST('/api/streams/{streamId}/offers/unpin', { params: { path: { streamId } } })
      : api.POST('/api/streams/{streamId}/offers/{offerId}/pin', {
          params: { path: { streamId, offerId } },
        }),
  );

/** Age of a waiting request in the largest whole unit: 3 天 / 5 小时 / 12 分钟. */
export function ageParts(seconds: number): { unit: 'days' | 'hours' | 'minutes'; count: number } {
  if (seconds >= 86_400) return { unit: 'days', count: Math.floor(seconds / 86_400) };
  if (seconds >= 3_600) return { unit: 'hours', count: Math.floor(seconds / 3_600) };
  return { unit: 'minutes', count: Math.max(1, Math.floor(seconds / 60)) };
}

/** "12.5" → 1250; null for anything that is not a non-negative amount with at most 2 decimals. */
export function yuanToCents(input: string): number | null {
  const m = /^\s*(\d{1,7})(?:\.(\d{1,2}))?\s*$/.exec(input);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
