import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import type { AppEnv } from '../context';
import { AppError } from '../errors';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The client's address: the socket's, or X-Forwarded-For's first hop behind a trusted proxy. */
export function clientIp(c: Context<AppEnv>): string {
  if (c.var.deps.config.TRUST_PROXY) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket
    return 'unknown';
  }
}

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

/** A fixed-window limiter per client address, answering 429 with Retry-After. */
export function rateLimit(opts: {
  keyPrefix: string;
  points: (c: Context<AppEnv>) => number;
  durationSeconds: number;
}): MiddlewareHandler<AppEnv> {
  const limiters = new Map<number, RateLimiterMemory>();
  const limiterFor = (points: number) => {
    let limiter = limiters.get(points);
    if (!limiter) {
      limiter = new RateLimiterMemory({
        keyPrefix: opts.keyPrefix,
        points,
        duration: opts.durationSeconds,
      });
      limiters.set(points, limiter);
    }
    return limiter;
  };
  return async (c, next) => {
    try {
      await limiterFor(opts.points(c)).consume(clientIp(c));
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        c.header('Retry-After', String(Math.ceil(err.msBeforeNext / 1000)));
        throw new AppError('rate_limited', 'Too many attempts; wait a minute and try again.');
      }
      throw err;
    }
    await next();
  };
}
