// Turning what the API answered into an ApiResult, shared by the browser and the server
// clients so both treat errors identically. Success bodies are checked with the contract's
// zod schema; error bodies with the contract's error shape.
import type { z } from 'zod';
import { ErrorBody } from './contracts.ts';
import type { ApiError, ApiResult } from './types.ts';

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

/**
 * The first segment of each issue's path, as the pre-contract parser read it. The server
 * names the part of the request first (`json.email`), so this yields `json`, not `email`:
 * kept as it was here (behaviour unchanged), worth fixing on its own.
 */
function issueFields(issues: { path: string }[] | undefined): string[] {
  const fields = new Set<string>();
  for (const issue of issues ?? []) {
    const field = issue.path.split('.')[0];
    if (field) fields.add(field);
  }
  return [...fields];
}

export function networkError(): ApiError {
  return { status: 0, code: 'network_error', message: '', fields: [] };
}

export function badResponse(status: number): ApiError {
  return { status, code: 'bad_response', message: '', fields: [] };
}

/** The error an unsuccessful answer means, from its `{ error }` body or else its status. */
export function errorFrom(status: number, body: unknown): ApiError {
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success || parsed.data.error.code === '') {
    return { status, code: codeForStatus(status), message: '', fields: [] };
  }
  const { code, message, issues } = parsed.data.error;
  return { status, code, message, fields: issueFields(issues) };
}

// The pre-contract interface, kept while the watch page and the studio still call
// apiRequest/apiGet with a parser (web/src/routes/{live,studio}, web/src/lib/live).

export type Parser<T> = (body: unknown) => T | null;

/** For endpoints answering 204 or whose body the caller does not need. */
export const ignoreBody: Parser<true> = () => true;

/** A parser from a contract schema. */
export function parserOf<T>(schema: z.ZodType<T>): Parser<T> {
  return (body) => {
    const parsed = schema.safeParse(body);
    return parsed.success ? parsed.data : null;
  };
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

export async function toApiResult<T>(response: Response, parse: Parser<T>): Promise<ApiResult<T>> {
  const body = await readJson(response);
  if (!response.ok) return { ok: false, error: errorFrom(response.status, body) };
  const data = parse(body);
  if (data === null) return { ok: false, error: badResponse(response.status) };
  return { ok: true, status: response.status, data };
}
