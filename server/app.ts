import { OpenAPIHono } from '@hono/zod-openapi';
import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import { except } from 'hono/combine';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { resolve } from 'node:path';
import { isDatabaseUnavailable } from '../db/database';
import { createRecorder } from '../media/recorder';
import type { AppDeps, AppEnv } from './context';
import { AppError } from './errors';
import { jsonBodiesOnly, sameOriginOnly } from './middleware/edge';
import { loadSession } from './middleware/session';
import { stockGate } from './middleware/stock-gate';
import { authRoutes } from './routes/auth/auth.routes';
import { docsRoutes } from './routes/docs/docs.routes';
import { healthRoutes } from './routes/health/health.routes';
import { inviteRoutes } from './routes/invites/invites.routes';
import { leaderMeRoutes } from './routes/leader/me.routes';
import { leaderTrustRoutes } from './routes/leader/trust.routes';
import { livekitWebhookRoutes } from './routes/livekit/webhook.routes';
import { meRoutes } from './routes/me/me.routes';
import { orderRoutes } from './routes/orders';
import { referralClickRoutes } from './routes/referrals/clicks.routes';
import { shortLinkRoutes } from './routes/s/short-links.routes';
import { shopRoutes } from './routes/shops';
import { streamRoutes } from './routes/streams';
import { exceptImageUpload, uploadRoutes } from './routes/uploads/uploads.routes';
import { useRecorder } from './services/recording.service';

/** Seconds a client is told to wait before retrying when the database is unreachable. */
export const RETRY_AFTER_SECONDS = 2;

/** Largest JSON body the API reads. */
export const MAX_BODY_BYTES = 64 * 1024;

function fromHttpException(err: HTTPException): AppError {
  switch (err.status) {
    case 400:
      return /json/i.test(err.message)
        ? new AppError('malformed_json', 'The request body is not valid JSON.')
        : new AppError('bad_request', err.message || 'Bad request.');
    case 401:
      return new AppError('unauthenticated', 'Sign in first.');
    case 403:
      return new AppError('forbidden', 'Not allowed.');
    case 404:
      return new AppError('not_found', 'Not found.');
    case 413:
      return new AppError(
        'payload_too_large',
        `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`,
      );
    case 415:
      return new AppError('unsupported_media_type', 'Unsupported content type.');
    case 429:
      return new AppError('rate_limited', 'Too many requests.');
    default:
      return err.status >= 500
        ? new AppError('internal', 'Something went wrong on our side.')
        : new AppError('bad_request', err.message || 'Bad request.');
  }
}

/** The whole HTTP API, mounted under /api. Builds no server: tests call app.request(). */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  // every stream is recorded (issue 10) by the egress beside its livekit-server
  useRecorder(
    deps.media,
    createRecorder({
      url: deps.config.LIVEKIT_URL ?? `ws://127.0.0.1:${deps.config.LIVEKIT_PORT}`,
      apiKey: deps.config.LIVEKIT_API_KEY,
      apiSecret: deps.config.LIVEKIT_API_SECRET,
      directory: resolve(deps.config.DATA_DIR, 'recordings'),
    }),
  );

  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use('/api/*', requestId({ headerName: 'X-Request-Id' }));
  // The API answers JSON (and images, and the short links' redirects): nothing in it is a
  // page to render or to frame. The reference page under /api/docs is one, and loads
  // swagger-ui from /api/docs: its script and stylesheet, inline styles, data: icons.
  const https = deps.config.ORIGIN?.startsWith('https://') ?? false;
  const headersFor = (contentSecurityPolicy: Record<string, string[]>) =>
    secureHeaders({
      contentSecurityPolicy,
      referrerPolicy: 'strict-origin-when-cross-origin',
      xFrameOptions: 'DENY',
      // on plain http, HSTS would strand browsers that reach this origin over it
      strictTransportSecurity: https ? 'max-age=31536000; includeSubDomains' : false,
    });
  const apiHeaders = headersFor({ defaultSrc: ["'none'"], frameAncestors: ["'none'"] });
  const docsHeaders = headersFor({
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  });
  const docsPaths = ['/api/docs', '/api/docs/*'];
  app.use('/api/*', except(docsPaths, apiHeaders));
  for (const path of docsPaths) app.use(path, docsHeaders);
  app.use('/s/*', apiHeaders);
  const jsonBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError(
        'payload_too_large',
        `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`,
      );
    },
  });
  // The one route that takes a raw image applies its own size and type limits.
  app.use('/api/*', exceptImageUpload(jsonBodyLimit));
  app.use('/api/*', sameOriginOnly);
  app.use('/api/*', exceptImageUpload(jsonBodiesOnly));
  // a flash sale's losers are answered before their session is even looked up
  app.use('/api/streams/:streamId/orders', stockGate);
  app.use('/api/*', loadSession);
  app.use('/s/*', loadSession);

  // Each router is mounted at its URL prefix, and lives in the folder named for it.
  app.route('/api/auth', authRoutes());
  app.route('/api/me', meRoutes());
  app.route('/api/health', healthRoutes());
  app.route('/api/shops', shopRoutes());
  app.route('/api/docs', docsRoutes());
  app.route('/api/leader', leaderMeRoutes());
  app.route('/api/leader', leaderTrustRoutes());
  app.route('/api/invites', inviteRoutes());
  app.route('/api/referrals', referralClickRoutes());
  app.route('/s', shortLinkRoutes());
  app.route('/api/streams', streamRoutes());
  app.route('/api/livekit', livekitWebhookRoutes());
  app.route('/api/orders', orderRoutes());
  app.route('/api/uploads', uploadRoutes());

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Linli Live API',
      version: '1',
      description:
        'Live commerce for neighbourhood shops. Sessions are an HttpOnly cookie; unsafe requests must be same-origin and send JSON. Errors are {"error":{"code","message"}}.',
    },
  });

  app.notFound((c) =>
    c.json(new AppError('not_found', `No route for ${c.req.method} ${c.req.path}.`).toBody(), 404),
  );

  app.onError(renderError(deps.logger));

  return app;
}

/**
 * The one error handler: known errors as {error:{code,message}} with their status; a database
 * that does not answer as 503 with Retry-After; anything else logged with its request id and
 * answered as a generic 500.
 */
function renderError(logger: AppDeps['logger']): ErrorHandler<AppEnv> {
  return (err, c) => {
    const known =
      err instanceof AppError ? err : err instanceof HTTPException ? fromHttpException(err) : null;
    if (known && known.code !== 'internal') return c.json(known.toBody(), known.status);
    const id = c.var.requestId;
    if (isDatabaseUnavailable(err)) {
      // A blip (restart, failover, terminated connection): nothing was half-done, since
      // every change is one transaction; clients retry, orders with their Idempotency-Key.
      logger.warn(
        { err, requestId: id, method: c.req.method, path: c.req.path },
        'database unavailable',
      );
      c.header('Retry-After', String(RETRY_AFTER_SECONDS));
      return c.json(
        new AppError(
          'unavailable',
          `The database is not answering; try again in a moment (request ${id}).`,
        ).toBody(),
        503,
      );
    }
    logger.error({ err, requestId: id, method: c.req.method, path: c.req.path }, 'unhandled error');
    return c.json(
      { error: { code: 'internal', message: `Something went wrong on our side (request ${id}).` } },
      500,
    );
  };
}
