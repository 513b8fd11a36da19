// Server-side calls from load functions to the API. Server-only (it lives under lib/server),
// so the internal address never reaches a browser bundle.
import type { RequestEvent } from '@sveltejs/kit';
import createClient from 'openapi-fetch';
import { INTERNAL_API_URL, PORT } from '$app/env/private';
import type { Api } from '../api/client.ts';
import type { paths } from '../api/openapi';

/** Slow enough for a loaded API, fast enough that a page never hangs when it is down. */
const TIMEOUT_MS = 5_000;

type Visitor = Pick<RequestEvent, 'request' | 'getClientAddress'>;

function apiBaseUrl(): string {
  return INTERNAL_API_URL ?? `http://127.0.0.1:${PORT}`;
}

/** The visitor's cookies, browser and address, so the API sees the same session. */
function visitorHeaders(event: Visitor): Headers {
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
  return headers;
}

/** The typed client for one visitor's request, for the lib/*\/api.ts functions. */
export function serverApi(event: Visitor, timeoutMs = TIMEOUT_MS): Api {
  return createClient<paths>({
    baseUrl: apiBaseUrl(),
    headers: visitorHeaders(event),
    fetch: (request) =>
      fetch(request, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) }),
  });
}
