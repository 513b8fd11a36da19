// The stream as the watch page and the studio read it from the API, checked at runtime so
// no outside data reaches the UI through an unchecked cast.
import { parseShop, parseStreamSummary } from '../api/parse';
import type { Shop, StreamStatus, StreamSummary } from '../api/types';

export type Segment = 'sourcing' | 'kitchen' | 'tasting' | 'qa';
export const SEGMENTS: readonly Segment[] = ['sourcing', 'kitchen', 'tasting', 'qa'];

export interface StreamOffer {
  id: string;
  productName: string;
  imageUrl: string | null;
  priceCents: number;
  remaining: number;
  groupMin: number | null;
  groupCount: number;
}

export interface LiveStream {
  id: string;
  title: string;
  status: StreamStatus;
  coverUrl: string | null;
  scheduledAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  shop: { id: string; slug: string; name: string; address: string | null };
  offers: StreamOffer[];
  pinnedOfferId: string | null;
  viewerCount: number;
  segment: Segment | null;
}

export interface MediaToken {
  url: string;
  token: string;
  role: 'host' | 'viewer';
  identity: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const int = (v: unknown): number | null =>
  typeof v === 'number' && Number.isInteger(v) ? v : null;

export function isSegment(value: unknown): value is Segment {
  return SEGMENTS.some((s) => s === value);
}

function parseOffer(value: unknown): StreamOffer | null {
  if (!isObject(value)) return null;
  const id = str(value.id);
  const productName = str(value.productName);
  const priceCents = int(value.priceCents);
  const remaining = int(value.remaining);
  if (id === null || productName === null || priceCents === null || remaining === null) return null;
  return {
    id,
    productName,
    imageUrl: str(value.imageUrl),
    priceCents,
    remaining,
    groupMin: int(value.groupMin),
    groupCount: int(value.groupCount) ?? 0,
  };
}

export function parseLiveStream(value: unknown): LiveStream | null {
  if (!isObject(value)) return null;
  const summary = parseStreamSummary(value);
  const shop = isObject(value.shop) ? value.shop : null;
  if (summary === null || shop === null || !Array.isArray(value.offers)) return null;
  const shopId = str(shop.id);
  const slug = str(shop.slug);
  const name = str(shop.name);
  if (shopId === null || slug === null || name === null) return null;
  const offers: StreamOffer[] = [];
  for (const entry of value.offers) {
    const offer = parseOffer(entry);
    if (offer === null) return null;
    offers.push(offer);
  }
  return {
    ...summary,
    startedAt: str(value.startedAt),
    endedAt: str(value.endedAt),
    shop: { id: shopId, slug, name, address: str(shop.address) },
    offers,
    pinnedOfferId: str(value.pinnedOfferId),
    viewerCount: int(value.viewerCount) ?? 0,
    segment: isSegment(value.segment) ? value.segment : null,
  };
}

/** `{ stream }` from GET /api/streams/:id. */
export function parseStreamEnvelope(value: unknown): { stream: LiveStream } | null {
  if (!isObject(value)) return null;
  const stream = parseLiveStream(value.stream);
  return stream === null ? null : { stream };
}

export function parseMediaToken(value: unknown): MediaToken | null {
  if (!isObject(value)) return null;
  const url = str(value.url);
  const token = str(value.token);
  const identity = str(value.identity);
  if (url === null || token === null || identity === null) return null;
  if (value.role !== 'host' && value.role !== 'viewer') return null;
  return { url, token, identity, role: value.role };
}

export function parseStatusEnvelope(value: unknown): { status: StreamStatus } | null {
  if (!isObject(value) || !isObject(value.stream)) return null;
  const status = value.stream.status;
  return status === 'scheduled' || status === 'live' || status === 'ended' ? { status } : null;
}

export interface MyStage {
  owner: boolean;
  cohost: 'invited' | 'accepted' | 'revoked' | null;
  removed: boolean;
}

export function parseMyStage(value: unknown): MyStage | null {
  if (!isObject(value)) return null;
  const cohost = value.cohost;
  if (cohost !== null && cohost !== 'invited' && cohost !== 'accepted' && cohost !== 'revoked')
    return null;
  return { owner: value.owner === true, cohost, removed: value.removed === true };
}

export interface OwnedShop {
  shop: Shop;
  streams: StreamSummary[];
}

/** GET /api/me/shops. */
export function parseMyShops(value: unknown): { shops: OwnedShop[] } | null {
  if (!isObject(value) || !Array.isArray(value.shops)) return null;
  const shops: OwnedShop[] = [];
  for (const entry of value.shops) {
    if (!isObject(entry) || !Array.isArray(entry.streams)) return null;
    const shop = parseShop(entry.shop);
    if (shop === null) return null;
    const streams: StreamSummary[] = [];
    for (const s of entry.streams) {
      const stream = parseStreamSummary(s);
      if (stream === null) return null;
      streams.push(stream);
    }
    shops.push({ shop, streams });
  }
  return { shops };
}

/** The room metadata LiveKit carries (set by the server on start and on segment changes). */
export function segmentFromRoomMetadata(metadata: string | undefined): Segment | null | undefined {
  if (!metadata) return undefined;
  try {
    const parsed: unknown = JSON.parse(metadata);
    if (!isObject(parsed)) return undefined;
    return isSegment(parsed.segment) ? parsed.segment : null;
  } catch {
    return undefined;
  }
}

/** Days, hours, minutes and seconds until `target`; all zero once it has passed. */
export function countdown(
  target: Date,
  now: Date,
): { days: number; hours: number; minutes: number; seconds: number } {
  const total = Math.max(0, Math.floor((target.getTime() - now.getTime()) / 1000));
  return {
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
}
