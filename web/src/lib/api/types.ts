// What a call to the API gives the UI: the checked answer, or an error it can explain.
// The answers' shapes are the contracts' (server/contracts); a few are re-exported here
// under the names the pages already use.
export type { Shop, ShopPage, StreamStatus, StreamSummary, User } from './contracts.ts';

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
  /** For limit_exceeded: the per-buyer limit and the units the buyer already holds. */
  limit?: { perBuyer: number; held: number };
}

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; error: ApiError };
