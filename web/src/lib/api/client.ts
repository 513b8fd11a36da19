// The typed API client. `paths` is generated from /api/openapi.json at build time
// (scripts/api-types.ts), so a renamed route, parameter or body field fails the type check;
// every answer is then checked at runtime with its contract's zod schema.
import createClient, {
  createFinalURL,
  createQuerySerializer,
  defaultPathSerializer,
  type Client,
} from 'openapi-fetch';
import type { z } from 'zod';
import type { paths } from './openapi';
import { badResponse, errorFrom, networkError } from './response.ts';
import type { ApiResult } from './types.ts';

export type Api = Client<paths>;

/** The browser's client: same origin, so the session cookie travels by itself. */
export const api: Api = createClient<paths>({
  credentials: 'same-origin',
  headers: { accept: 'application/json' },
});

/** What openapi-fetch answers: the parsed body of a success (`data`) or of an error. */
type Answer<D> = { data?: D; error?: unknown; response: Response };

/** The answer, or why there is none: no connection, or a success body that is not JSON. */
async function settle<D>(pending: Promise<Answer<D>>): Promise<Answer<D> | 'network' | 'bad'> {
  try {
    return await pending;
  } catch (err) {
    return err instanceof SyntaxError ? 'bad' : 'network';
  }
}

/**
 * An answer checked against its contract schema. The schema's type must fit the route's
 * documented answer, so pairing a route with the wrong schema does not compile.
 */
export async function read<D, S extends z.ZodType<D>>(
  pending: Promise<Answer<D>>,
  schema: S,
): Promise<ApiResult<z.output<S>>> {
  const answer = await settle(pending);
  if (answer === 'network') return { ok: false, error: networkError() };
  if (answer === 'bad') return { ok: false, error: badResponse(0) };
  const { response } = answer;
  if (!response.ok) return { ok: false, error: errorFrom(response.status, answer.error) };
  const parsed = schema.safeParse(answer.data);
  return parsed.success
    ? { ok: true, status: response.status, data: parsed.data }
    : { ok: false, error: badResponse(response.status) };
}

/** For answers whose body the caller does not need (204, or a 200 it ignores). */
export async function done(pending: Promise<Answer<unknown>>): Promise<ApiResult<true>> {
  const answer = await settle(pending);
  if (answer === 'network') return { ok: false, error: networkError() };
  if (answer === 'bad') return { ok: false, error: badResponse(0) };
  const { response } = answer;
  if (!response.ok) return { ok: false, error: errorFrom(response.status, answer.error) };
  return { ok: true, status: response.status, data: true };
}

/** The parameters of a route's GET, as its calls take them. */
type GetParams<P extends keyof paths> = paths[P] extends {
  get: {
    parameters: infer T extends { path?: Record<string, unknown>; query?: Record<string, unknown> };
  };
}
  ? T
  : never;

const toQuery = createQuerySerializer();

/**
 * The address of a GET route the browser opens itself (a file download: calendar, CSV),
 * built from the OpenAPI path and parameters as the client builds its calls, so a renamed
 * route or parameter fails the type check here too.
 */
export function apiHref<P extends keyof paths>(path: P, params: GetParams<P>): string {
  return createFinalURL(path, {
    baseUrl: '',
    params,
    querySerializer: toQuery,
    pathSerializer: defaultPathSerializer,
  });
}
