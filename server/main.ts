import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { pino, type Logger } from 'pino';
import { openDatabase, type Database } from '../db/database';
import { findUserByEmail } from '../db/repositories/user.repository';
import { migrateToLatest } from '../db/migrate';
import { createMediaService } from '../media/media.service';
import { ensureLivekitBinary, startLivekit, type RunningLivekit } from '../media/livekit-process';
import {
  ensureEgressBinary,
  startEgress,
  startMediaRedis,
  type RunningProcess,
} from '../media/egress-process';
import { createApp } from './app';
import { reopenLiveRooms } from './services/stream.service';
import { createRealtimeBus } from './realtime/bus';
import { attachRealtime } from './realtime/socket';
import { startCommerceJobs } from './jobs/commerce.jobs';
import { flushOutbox } from './services/outbox.service';
import { ConfigError, loadConfig, type Config } from './config';
import { DEMO_LOGINS, DEMO_SHOP_SLUG, seedDemoIfEmpty } from './demo-seed';

// The one process: the API under /api, and the SvelteKit app (web/build) for every other
// path, on one port. `API_ONLY=1` (development) leaves the pages to `vite dev`.

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

function isNodeHandler(value: unknown): value is NodeHandler {
  return typeof value === 'function';
}

async function loadWebHandler(): Promise<NodeHandler | null> {
  const path = resolve('web/build/handler.js');
  if (!existsSync(path)) return null;
  const mod: unknown = await import(pathToFileURL(path).href);
  const handler =
    typeof mod === 'object' && mod !== null && 'handler' in mod ? mod.handler : undefined;
  if (!isNodeHandler(handler)) throw new Error(`${path} does not export a handler`);
  return handler;
}

/**
 * Hands the pages (web/src/lib/server/api.ts, a separate bundle loaded into this process)
 * the API's fetch, so a page's load calls the API as a function rather than over a loopback
 * connection to itself: the watch page's HTML, and so its first frame, waits on those calls.
 * The request reaches the app as one over loopback would: its peer is 127.0.0.1, the
 * visitor's address rides in X-Forwarded-For and is believed by TRUST_PROXY alone.
 */
function offerInProcessApi(
  fetch: (request: Request, env: unknown) => Response | Promise<Response>,
) {
  const loopback = { socket: { remoteAddress: '127.0.0.1', remotePort: 0, remoteFamily: 'IPv4' } };
  Object.defineProperty(globalThis, Symbol.for('linli.api.fetch'), {
    value: (request: Request) => fetch(request, { incoming: loopback }),
    configurable: true,
  });
}

/** Paths the Hono app answers: the API, and leader links (/s/<code>). */
function isApiPath(url: string | undefined): boolean {
  return (
    url === '/api' ||
    !!url?.startsWith('/api/') ||
    !!url?.startsWith('/api?') ||
    !!url?.startsWith('/s/')
  );
}

function createLogger(config: Config): Logger {
  return pino({
    level: config.LOG_LEVEL,
    ...(config.NODE_ENV === 'development' && process.stdout.isTTY
      ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } }
      : {}),
  });
}

/** The database, migrated, with the demo shop on first start when asked. */
async function openMigratedDatabase(config: Config, logger: Logger) {
  // Connection errors the pool survives: logged, at most one line a second.
  let lastDbErrorLog = 0;
  const database = openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    onConnectionError: (err) => {
      if (Date.now() - lastDbErrorLog < 1000) return;
      lastDbErrorLog = Date.now();
      logger.warn({ err: err.message }, 'database connection lost; the pool reconnects');
    },
  });
  await migrateToLatest(database.db);
  if (config.SEED_DEMO && (await seedDemoIfEmpty(database.db))) {
    logger.info('seeded the demo shop (first start on an empty database)');
  }
  return database;
}

/**
 * The embedded livekit-server (when no LIVEKIT_URL is configured), supervised: restarted
 * when it dies. The new one knows no rooms, so `onBack` opens the rooms of the live streams
 * again; clients reconnect by themselves meanwhile.
 */
async function startEmbeddedLivekit(
  config: Config,
  logger: Logger,
  onBack: (downSince: Date) => void,
  redisAddress: string | undefined,
): Promise<RunningLivekit> {
  const binary = ensureLivekitBinary({ log: (line) => logger.info(line) });
  const port = config.LIVEKIT_PORT;
  const running = await startLivekit({
    binary,
    ports: { http: port, rtcTcp: port + 1, rtcUdp: port + 2 },
    apiKey: config.LIVEKIT_API_KEY,
    apiSecret: config.LIVEKIT_API_SECRET,
    webhookUrl: `http://127.0.0.1:${config.PORT}/api/livekit/webhook`,
    ...(redisAddress ? { redisAddress } : {}),
    log: (line) => logger.debug({ livekit: line }),
  });
  running.on('exit', ({ code, signal, tail }) =>
    logger.error(
      { code, signal, lastLines: tail.slice(-10).map((line) => line.slice(0, 400)) },
      'livekit-server exited unexpectedly; restarting it',
    ),
  );
  running.on('restarting', ({ attempt, delayMs, error }) => {
    if (error) logger.warn({ attempt, delayMs, error }, 'livekit-server did not come back');
  });
  running.on('up', ({ downSince, downMs }) => {
    logger.warn({ downMs }, 'livekit-server is back; reopening the rooms of live streams');
    onBack(downSince);
  });
  // Ctrl-C (or systemd's stop) signals livekit-server too: that exit is no crash.
  const endSupervision = (signal: NodeJS.Signals) => {
    running.endSupervision();
    // a signal before the shutdown handlers exist still ends the process
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.once('SIGINT', endSupervision);
  process.once('SIGTERM', endSupervision);
  return running;
}

/**
 * Connections the kernel queues for the server to accept (capped by net.core.somaxconn). A
 * flash sale's buyers arrive together: with Node's default of 511, those past it were dropped
 * and their phones tried again only after TCP's 1 s retransmission (seen in bench:orders as
 * answers at 1 s, and in the kernel's ListenOverflows).
 */
const LISTEN_BACKLOG = 4096;

/**
 * The HTTP server: the API for its paths, the pages for the rest. It counts the requests in
 * flight so a stop can let them finish (`drain`), and once stopping, answers with
 * `Connection: close` so kept-alive connections carry no further request.
 */
function createHttpServer(api: NodeHandler, web: NodeHandler | null) {
  let inFlight = 0;
  let stopping = false;
  const drained: (() => void)[] = [];
  const server = createServer((req, res) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) for (const ok of drained.splice(0)) ok();
    });
    if (stopping) res.setHeader('connection', 'close');
    if (isApiPath(req.url) || !web) {
      api(req, res, () => undefined);
      return;
    }
    web(req, res, () => {
      res.statusCode = 404;
      res.end('Not found');
    });
  });
  return {
    server,
    inFlight: () => inFlight,
    /** Stops taking requests; resolves true once those in flight are done, false after `ms`. */
    drain(ms: number): Promise<boolean> {
      stopping = true;
      server.closeIdleConnections();
      return new Promise<boolean>((ok) => {
        if (inFlight === 0) return ok(true);
        const timer = setTimeout(() => ok(false), ms);
        drained.push(() => {
          clearTimeout(timer);
          ok(true);
        });
      });
    },
  };
}

/**
 * The start banner. The demo logins appear only outside production and only when the demo
 * owner exists (seeded now or before): production never prints a password.
 */
async function printBanner(
  config: Config,
  database: { db: Database; kind: string },
  livekitUrl: string,
): Promise<void> {
  const base = config.ORIGIN ?? `http://localhost:${config.PORT}`;
  const demo =
    config.NODE_ENV !== 'production' &&
    (await findUserByEmail(database.db, DEMO_LOGINS.owner.email).catch(() => undefined)) !==
      undefined;
  const lines = [
    '',
    `  Linli Live is up (${database.kind === 'pglite' ? `embedded database in ${config.DATA_DIR}` : 'PostgreSQL'}, media ${livekitUrl})`,
    `  App:        ${base}/`,
    ...(demo ? [`  Demo shop:  ${base}/shop/${DEMO_SHOP_SLUG}`] : []),
    `  API docs:   ${base}/api/docs`,
    `  Health:     ${base}/api/health`,
    ...(demo
      ? [
          `  Demo logins (owner):  ${DEMO_LOGINS.owner.email} / ${DEMO_LOGINS.owner.password}`,
          `  Demo logins (leader): ${DEMO_LOGINS.leader.email} / ${DEMO_LOGINS.leader.password}`,
        ]
      : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * The recorder beside the embedded livekit-server (issue 10): a private Redis on
 * LIVEKIT_PORT + 3 that only they share, then LiveKit Egress (health on LIVEKIT_PORT + 4)
 * once livekit-server is up. Without them streams still go live; their recordings are then
 * marked failed, and this says why.
 */
function embeddedRecorder(config: Config, logger: Logger) {
  const parts: RunningProcess[] = [];
  return {
    async redis(): Promise<string | undefined> {
      try {
        const redis = await startMediaRedis(config.LIVEKIT_PORT + 3);
        parts.push(redis);
        return redis.address;
      } catch (err) {
        logger.warn({ err }, 'no Redis for the recorder: streams will not be recorded');
        return undefined;
      }
    },
    async egress(livekitUrl: string, redisAddress: string): Promise<void> {
      try {
        const egress = await startEgress({
          binary: ensureEgressBinary({ log: (line) => logger.info(line) }),
          configDir: resolve(config.DATA_DIR, 'egress'),
          apiKey: config.LIVEKIT_API_KEY,
          apiSecret: config.LIVEKIT_API_SECRET,
          wsUrl: livekitUrl,
          redisAddress,
          healthPort: config.LIVEKIT_PORT + 4,
          log: (line) => logger.debug({ egress: line }),
          warn: (line) => logger.warn(line),
        });
        parts.push(egress);
      } catch (err) {
        logger.warn({ err }, 'LiveKit Egress did not start: streams will not be recorded');
      }
    },
    async stop(): Promise<void> {
      for (const part of parts.reverse()) await part.stop();
    },
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  installCrashHandlers(logger);
  const database = await openMigratedDatabase(config, logger);

  let livekit: RunningLivekit | null = null;
  const recorder = embeddedRecorder(config, logger);
  if (!config.LIVEKIT_URL) {
    const redisAddress = await recorder.redis();
    livekit = await startEmbeddedLivekit(
      config,
      logger,
      (downSince) => {
        reopenLiveRooms({ db: database.db, media, logger }, downSince).then(
          (rooms) => logger.info({ rooms }, 'reopened the rooms of live streams'),
          (err: unknown) => logger.error({ err }, 'could not reopen the rooms of live streams'),
        );
      },
      redisAddress,
    );
    if (redisAddress) await recorder.egress(livekit.url, redisAddress);
  }
  const livekitUrl = config.LIVEKIT_URL ?? livekit?.url ?? '';
  const media = createMediaService({
    url: livekitUrl,
    publicUrl: config.LIVEKIT_PUBLIC_URL,
    apiKey: config.LIVEKIT_API_KEY,
    apiSecret: config.LIVEKIT_API_SECRET,
  });

  const realtime = createRealtimeBus();
  const deps = { config, db: database.db, dbKind: database.kind, media, logger, realtime };
  const app = createApp(deps);
  const api = getRequestListener(app.fetch);
  // SSR loads call the API in this same process: through a function (below), or over HTTP
  // when the operator points INTERNAL_API_URL elsewhere.
  if (process.env.INTERNAL_API_URL === undefined) {
    process.env.INTERNAL_API_URL = `http://127.0.0.1:${config.PORT}`;
    offerInProcessApi(app.fetch);
  }
  const web = process.env.API_ONLY === '1' ? null : await loadWebHandler();
  if (!web && process.env.API_ONLY !== '1') {
    logger.warn('web/build is missing: run `npm run build` to serve the pages');
  }
  const http = createHttpServer((req, res) => void api(req, res), web);
  const sockets = await attachRealtime(http.server, deps);
  // group deadlines (pg-boss on PostgreSQL) and the outbox sweep, after sockets listen to the bus
  const commerceJobs = await startCommerceJobs({ ...deps, databaseUrl: config.DATABASE_URL });
  await new Promise<void>((ok) =>
    http.server.listen({ port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG }, ok),
  );
  await printBanner(config, database, livekitUrl);

  // Graceful stop (SIGTERM from compose, systemd or a deploy; SIGINT from a terminal):
  // 1. stop accepting connections; 2. let the requests in flight finish, up to
  //    SHUTDOWN_GRACE_MS (their answers carry `Connection: close`); 3. close the sockets'
  //    transports, so every client reconnects by itself (to another process, or to this one
  //    once it is back); 4. forget the outbox rows already published; 5. stop pg-boss after
  //    its running jobs; 6. stop the media server; 7. close the database.
  // A second signal, or the whole stop taking too long, exits at once: everything is in
  // transactions, so a hard stop loses no order either, only answers.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info(
      { signal, inFlight: http.inFlight() },
      'shutting down: finishing requests in flight',
    );
    setTimeout(() => {
      logger.error('shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS + 15_000).unref();
    const closed = new Promise<void>((ok) => http.server.close(() => ok()));
    if (!(await http.drain(SHUTDOWN_GRACE_MS))) {
      logger.warn({ inFlight: http.inFlight() }, 'requests still running after the grace period');
    }
    await sockets.close();
    http.server.closeAllConnections();
    await closed;
    await flushOutbox(database.db).catch((err: unknown) =>
      logger.warn({ err }, 'outbox not drained; the next process publishes what is left'),
    );
    await commerceJobs.stop();
    await livekit?.stop();
    await recorder.stop();
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** How long a stop waits for requests in flight before closing their connections. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * An exception nothing caught, or a promise nobody awaited, leaves the process in a state
 * no one reasoned about. We log it with its context and exit non-zero, and the supervisor
 * (compose `restart:`, systemd) starts a clean process; orders survive that (transactions,
 * the outbox and idempotency keys), unlike limping on with a half-broken pool or timer.
 */
function installCrashHandlers(logger: Logger): void {
  process.on('uncaughtException', (err, origin) => {
    logger.fatal({ err, origin }, 'uncaught exception: exiting so a clean process takes over');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled rejection: exiting so a clean process takes over');
    process.exit(1);
  });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(
      `Linli Live failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
  }
  process.exit(1);
});
