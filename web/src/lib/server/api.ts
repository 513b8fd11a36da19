// Server-side calls from load functions to the API. Server-only (it lives under lib/server),
// so the internal address never reaches a browser bundle.
import type { RequestEvent } from '@sveltejs/kit';
import { INTERNAL_API_URL, PORT } from '$app/env/private';
import { networkError, toApiResult, type Parser } from '../api/response';
import type { ApiResult } from '../api/types';

/** Slow enough for a loaded API, fast enough that a page never hangs when it is down. */
const TIMEOUT_MS = 5_000;

function apiBaseUrl(): string {
  return INTERNAL_API_URL ?? `http://127.0.0.1:${PORT}`;
}

/**
 * GETs `path` from the API on behalf of the visitor, forwarding their cookies so the API
 * sees the same session the browser has.
 */
export async function apiGet<T>(
  event: Pick<RequestEvent, 'request' | 'getClientAddress'>,
  path: `/api/${string}`,
  parse: Parser<T>,
): Promise<ApiResult<T>> {
  const headers = new Headers({ accept: 'application/json' });
  const cookie = event.request.headers.get('cookie');
  if (cookie !== null) headers.set('cookie', cookie);
  const userAgent = event.request.headers.get('user-agent');
  if (userAgent !== null) headers.set('user-agent', userAgent);
  try {
    headers.set('x-forwarded-for', event.getClientAddress());
  } catch {
    // Not every adapter can tell the client address; the API then sees this server's.
  }

  let response: Response;
  try {
    response = await fetch(`${apiBaseUrl()}${path}`, {
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return { ok: false, error: networkError() };
  }
  return toApiResult(response, parse);
}
