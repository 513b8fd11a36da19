// Shapes of the API responses the web app relies on (see SPEC.md "Public API v1").
// Only what the UI reads is modelled; the parsers in parse.ts check it at runtime.

/** Error codes the UI explains in the user's language; any other code gets a generic message. */
export const KNOWN_ERROR_CODES = [
  'validation_failed',
  'email_taken',
  'invalid_credentials',
  'rate_limited',
  'unauthenticated',
  'not_found',
] as const;
export type KnownErrorCode = (typeof KNOWN_ERROR_CODES)[number];

/** Codes the web app itself produces when it never got a usable answer from the API. */
export type ClientErrorCode = 'network_error' | 'bad_response';

export interface ApiError {
  status: number;
  /** A KnownErrorCode, a ClientErrorCode, or any other code the API chose. */
  code: string;
  message: string;
  /** For validation_failed: the request fields the API rejected (top-level names, e.g. 'email'). */
  fields: string[];
}

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; error: ApiError };

export interface User {
  id: string;
  name: string;
  email: string | null;
  guest: boolean;
}

export type StreamStatus = 'scheduled' | 'live' | 'ended';

export interface StreamSummary {
  id: string;
  title: string;
  status: StreamStatus;
  /** ISO 8601, or null when the owner has not picked a time. */
  scheduledAt: string | null;
  coverUrl: string | null;
  /** ISO 8601 once the stream has gone live (past streams are listed by it). */
  startedAt?: string | null;
}

export interface Shop {
  id: string;
  slug: string;
  name: string;
  address: string | null;
  pickupHours: string | null;
  story: string | null;
}

export interface ShopPage {
  shop: Shop;
  streams: StreamSummary[];
}
