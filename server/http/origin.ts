import type { Context } from 'hono';
import type { AppEnv } from '../context';

/** The app's public origin: ORIGIN when set, else the request's own. */
export function publicOrigin(c: Context<AppEnv>): string {
  return c.var.deps.config.ORIGIN ?? new URL(c.req.url).origin;
}
