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

type InProcessApi = (request: Request) => Response | Promise<Response>;

/**
 * The API's own fetch when this app runs inside the API's process (server/main.ts offers
 * it), else null: then the API is reached over HTTP (`vite dev`, or INTERNAL_API_URL set).
 */
function inProcessApi(): InProcessApi | null {
  const offered: unknown = Reflect.get(globalThis, Symbol.for('linli.api.fetch'));
  return typeof offered === 'function' ? (offered as InProcessApi) : null;
}

/** The API's answer to `request`, or a rejection once `timeoutMs` has passed. */
function callApi(request: Request, timeoutMs: number): Promise<Response> {
  const signal = AbortSignal.timeout(timeoutMs);
  const inProcess = inProcessApi();
  if (!inProcess) return fetch(request, { redirect: 'manual', signal });
  // The app answers redirects as they are, as `redirect: 'manual'` would, and keeps working
  // after a timeout; the page simply stops waiting for it.
  return new Promise<Response>((ok, fail) => {
    signal.addEventListener(
      'abort',
      () => fail(signal.reason instanceof Error ? signal.reason : new Error('API call timed out')),
      { once: true },
    );
    Promise.resolve(inProcess(request)).then(ok, fail);
  });
}

/** The typed client for one visitor's request, for the lib/*\/api.ts functions. */
export function serverApi(event: Visitor, timeoutMs = TIMEOUT_MS): Api {
  return createClient<paths>({
    baseUrl: apiBaseUrl(),
    headers: visitorHeaders(event),
    fetch: (request) => callApi(request, timeoutMs),
  });
}
