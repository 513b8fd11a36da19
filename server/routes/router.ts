import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context';

/** What a route file registers its routes on: a sub-app from createRouter() (server/openapi.ts). */
export type Router = OpenAPIHono<AppEnv>;
