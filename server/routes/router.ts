import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context';
import type { ErrorCode } from '../errors';

/** What a route file registers its routes on: a sub-app from createRouter() (server/openapi.ts). */
export type Router = OpenAPIHono<AppEnv>;

/**
 * The refusals of a request about a resource named in the path that only some may act on:
 * the path does not parse, no one is signed in, the resource is not theirs, there is none.
 * Routes spread it into errors() and add their own.
 */
export const ON_RESOURCE = [
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
] as const satisfies readonly ErrorCode[];

/** ON_RESOURCE for a request with a JSON body, which may not parse. */
export const BODY_ON_RESOURCE = [
  'validation_failed',
  'malformed_json',
  'unauthenticated',
  'forbidden',
  'not_found',
] as const satisfies readonly ErrorCode[];
