// Runtime checks for API responses. Each parser returns null when the value does not have
// the expected shape, so no outside data reaches the UI through an unchecked cast.
import type { ApiError, Shop, ShopPage, StreamStatus, StreamSummary, User } from './types';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function string(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Ids are opaque; accept a number too, but always hand the UI a string. */
function id(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}

/** Optional text: missing, null or blank all mean "not given". */
function optionalText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

export function parseUser(value: unknown): User | null {
  if (!isObject(value)) return null;
  const userId = id(value.id);
  const name = string(value.name);
  if (userId === null || name === null) return null;
  return {
    id: userId,
    name,
    email: string(value.email),
    guest: value.guest === true,
  };
}

/** `{ user }`, as answered by signup, login, guest and GET /api/me. */
export function parseUserEnvelope(value: unknown): { user: User } | null {
  if (!isObject(value)) return null;
  const user = parseUser(value.user);
  return user === null ? null : { user };
}

const STREAM_STATUSES: readonly StreamStatus[] = ['scheduled', 'live', 'ended'];

function isStreamStatus(value: unknown): value is StreamStatus {
  return STREAM_STATUSES.some((status) => status === value);
}

export function parseStreamSummary(value: unknown): StreamSummary | null {
  if (!isObject(value)) return null;
  const streamId = id(value.id);
  const title = string(value.title);
  if (streamId === null || title === null || !isStreamStatus(value.status)) return null;
  return {
    id: streamId,
    title,
    status: value.status,
    scheduledAt: optionalText(value.scheduledAt),
    coverUrl: optionalText(value.coverUrl),
    startedAt: optionalText(value.startedAt),
  };
}

export function parseShop(value: unknown): Shop | null {
  if (!isObject(value)) return null;
  const shopId = id(value.id);
  const slug = string(value.slug);
  const name = string(value.name);
  if (shopId === null || slug === null || name === null) return null;
  return {
    id: shopId,
    slug,
    name,
    address: optionalText(value.address),
    pickupHours: optionalText(value.pickupHours),
    story: optionalText(value.story),
  };
}

/** GET /api/shops/:slug. A malformed stream entry voids the whole answer rather than vanishing. */
export function parseShopPage(value: unknown): ShopPage | null {
  if (!isObject(value)) return null;
  const shop = parseShop(value.shop);
  if (shop === null || !Array.isArray(value.streams)) return null;
  const streams: StreamSummary[] = [];
  for (const entry of value.streams) {
    const stream = parseStreamSummary(entry);
    if (stream === null) return null;
    streams.push(stream);
  }
  return { shop, streams };
}

/** Top-level field names from `issues: [{ path: 'email' | 'profile.name' | ['email'], … }]`. */
function issueFields(issues: unknown): string[] {
  if (!Array.isArray(issues)) return [];
  const fields = new Set<string>();
  for (const issue of issues) {
    if (!isObject(issue)) continue;
    const path: unknown = Array.isArray(issue.path) ? issue.path[0] : issue.path;
    const field = typeof path === 'string' ? path.split('.')[0] : null;
    if (field) fields.add(field);
  }
  return [...fields];
}

/** `{ error: { code, message, issues? } }`; null if the body is not in that shape. */
export function parseErrorBody(value: unknown, status: number): ApiError | null {
  if (!isObject(value) || !isObject(value.error)) return null;
  const code = string(value.error.code);
  if (code === null || code === '') return null;
  return {
    status,
    code,
    message: string(value.error.message) ?? '',
    fields: issueFields(value.error.issues),
  };
}
