// The ApiError an unsuccessful call means, shared by the browser and the server clients so
// both treat errors identically (client.ts's read/done). Error bodies are checked with the
// contract's error shape; success bodies with the route's own schema, in read().
import { ErrorBody } from './contracts.ts';
import type { ApiError } from './types.ts';

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
  const { code, message, issues, limit } = parsed.data.error;
  return { status, code, message, fields: issueFields(issues), ...(limit ? { limit } : {}) };
}
