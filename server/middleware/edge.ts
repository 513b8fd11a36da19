import type { MiddlewareHandler } from 'hono';
import type { Config } from '../config';
import type { AppEnv } from '../context';
import { AppError } from '../errors';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The host part of an Origin header; null for `null` and other opaque origins. */
function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host || null;
  } catch {
    return null;
  }
}

export interface OriginHeaders {
  origin: string | undefined;
  host: string | undefined;
  forwardedHost: string | undefined;
  secFetchSite: string | undefined;
}

/**
 * Whether a request comes from our own origin. Browsers always send Origin on cross-origin
 * POSTs and WebSocket handshakes (and Sec-Fetch-Site where Origin is stripped); clients that
 * are not browsers send neither and are not a CSRF vector.
 */
export function isSameOrigin(headers: OriginHeaders, config: Config): boolean {
  let expectedHost = headers.host;
  if (config.ORIGIN) expectedHost = new URL(config.ORIGIN).host;
  else if (config.TRUST_PROXY && headers.forwardedHost) expectedHost = headers.forwardedHost;
  if (headers.origin !== undefined) return hostOf(headers.origin) === expectedHost;
  return headers.secFetchSite !== 'cross-site';
}

export const sameOriginOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (UNSAFE.has(c.req.method)) {
    const same = isSameOrigin(
      {
        origin: c.req.header('origin'),
        host: c.req.header('host') ?? new URL(c.req.url).host,
        forwardedHost: c.req.header('x-forwarded-host'),
        secFetchSite: c.req.header('sec-fetch-site'),
      },
      c.var.deps.config,
    );
    if (!same) throw new AppError('forbidden_origin', 'Cross-origin requests are not allowed.');
  }
  await next();
};

/** Request bodies are JSON, and say so. */
export const jsonBodiesOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (UNSAFE.has(c.req.method)) {
    const length = c.req.header('content-length');
    const hasBody =
      (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    // application/json, or a JSON subtype such as LiveKit's application/webhook+json
    if (hasBody && !(type && /^application\/([\w.-]+\+)?json$/.test(type))) {
      throw new AppError(
        'unsupported_media_type',
        'Request bodies must be JSON with Content-Type: application/json.',
      );
    }
  }
  await next();
};
