// Turning a fetch Response into an ApiResult, shared by the browser client and the server
// helper so both treat errors identically.
import { parseErrorBody } from './parse';
import type { ApiError, ApiResult } from './types';

export type Parser<T> = (body: unknown) => T | null;

/** For endpoints answering 204 or whose body the caller does not need. */
export const ignoreBody: Parser<true> = () => true;

/** Error codes implied by a status when the body does not name one. */
function codeForStatus(status: number): string {
  switch (status) {
    case 400:
    case 422:
      return 'validation_failed';
    case 401:
      return 'unauthenticated';
    case 404:
      return 'not_found';
    case 429:
      return 'rate_limited';
    default:
      return `http_${status}`;
  }
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  const type = response.headers.get('content-type') ?? '';
  if (!/\bjson\b/i.test(type)) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

export function networkError(): ApiError {
  return { status: 0, code: 'network_error', message: '', fields: [] };
}

export async function toApiResult<T>(response: Response, parse: Parser<T>): Promise<ApiResult<T>> {
  const body = await readJson(response);
  if (!response.ok) {
    const error = parseErrorBody(body, response.status) ?? {
      status: response.status,
      code: codeForStatus(response.status),
      message: '',
      fields: [],
    };
    return { ok: false, error };
  }
  const data = parse(body);
  if (data === null) {
    return {
      ok: false,
      error: { status: response.status, code: 'bad_response', message: '', fields: [] },
    };
  }
  return { ok: true, status: response.status, data };
}
