// Browser-side calls to the same-origin API. The session cookie travels automatically.
import { networkError, toApiResult, type Parser } from './response';
import type { ApiResult } from './types';

export interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON; a request with a body defaults to POST. */
  body?: unknown;
  /** Checks the success body; use `ignoreBody` when the answer does not matter. */
  parse: Parser<T>;
  signal?: AbortSignal;
}

export async function apiRequest<T>(
  path: `/api/${string}`,
  options: RequestOptions<T>,
): Promise<ApiResult<T>> {
  const headers = new Headers({ accept: 'application/json' });
  const init: RequestInit = {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    credentials: 'same-origin',
    headers,
  };
  if (options.body !== undefined) {
    headers.set('content-type', 'application/json');
    init.body = JSON.stringify(options.body);
  }
  if (options.signal !== undefined) init.signal = options.signal;

  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    return { ok: false, error: networkError() };
  }
  return toApiResult(response, options.parse);
}
