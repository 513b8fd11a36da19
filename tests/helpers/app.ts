import { pino } from 'pino';
import { inject } from 'vitest';
import type { Kysely } from 'kysely';
import { createApp } from '../../server/app';
import { createRealtimeBus } from '../../server/realtime/bus';
import { loadConfig } from '../../server/config';
import { createMediaService } from '../../media/media.service';
import type { DB } from '../../db/schema';
import { kyselyFor } from '../setup/services';

export type TestApp = ReturnType<typeof createApp>;

/** The real app against the run's PostgreSQL and livekit-server; nothing is mocked. */
export function buildTestApp(env: Record<string, string> = {}, db?: Kysely<DB>) {
  const database = db ?? kyselyFor<DB>(inject('databaseUrl'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: inject('databaseUrl'),
    LIVEKIT_URL: inject('livekitUrl'),
    // app.request() has no socket: every request comes from one address, 'unknown'
    GUESTS_PER_IP_PER_MINUTE: '10000',
    ORDERS_PER_BUYER_PER_MINUTE: '10000',
    GUESTS_PER_DEVICE_PER_HOUR: '10000',
    SIGNUPS_PER_IP_PER_HOUR: '10000',
    LOGIN_FAILURES_PER_IP_PER_DAY: '10000',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const livekitUrl = config.LIVEKIT_URL ?? inject('livekitUrl');
  const media = createMediaService({
    url: livekitUrl,
    apiKey: config.LIVEKIT_API_KEY,
    apiSecret: config.LIVEKIT_API_SECRET,
  });
  const logs: unknown[] = [];
  const logger = pino(
    // TEST_LOG_LEVEL=info keeps the app's info and warnings in `logs` too, to read a failure
    { level: process.env.TEST_LOG_LEVEL ?? 'error' },
    { write: (line: string) => void logs.push(JSON.parse(line)) },
  );
  const realtime = createRealtimeBus();
  const app = createApp({ config, db: database, dbKind: 'postgres', media, logger, realtime });
  return { app, db: database, logs, realtime, config, media };
}

export const ORIGIN = 'http://localhost';

/** A browser-like client: same-origin headers and a cookie jar. */
export class Client {
  cookies = new Map<string, string>();
  constructor(private readonly app: TestApp) {}

  async request(
    method: string,
    path: string,
    opts: { json?: unknown; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { origin: ORIGIN, ...opts.headers };
    if (this.cookies.size) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    let body: string | undefined = opts.body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['content-type'] ??= 'application/json';
    }
    const res = await this.app.request(path, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, headers ? { headers } : {});
  }
  post(path: string, json?: unknown, headers?: Record<string, string>) {
    return this.request('POST', path, {
      ...(json !== undefined ? { json } : {}),
      ...(headers ? { headers } : {}),
    });
  }
}

let counter = 0;
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 7)}@example.cn`;
}

export async function signUp(client: Client, name = '张三') {
  const email = uniqueEmail();
  const password = 'correct horse battery';
  const res = await client.post('/api/auth/signup', { email, password, name });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`);
  return { email, password, name };
}

/** The app on a real HTTP server with socket.io attached, on a free port. */
export async function serveTestApp(env: Record<string, string> = {}) {
  const built = buildTestApp(env);
  const { createServer } = await import('node:http');
  const { getRequestListener } = await import('@hono/node-server');
  const { attachRealtime } = await import('../../server/realtime/socket');
  const { pino: makeLogger } = await import('pino');
  const listener = getRequestListener(built.app.fetch);
  const server = createServer((req, res) => void listener(req, res));
  const realtime = await attachRealtime(server, {
    config: built.config,
    db: built.db,
    dbKind: 'postgres',
    media: createMediaService({
      url: inject('livekitUrl'),
      apiKey: built.config.LIVEKIT_API_KEY,
      apiSecret: built.config.LIVEKIT_API_SECRET,
    }),
    logger: makeLogger({ level: 'silent' }),
    realtime: built.realtime,
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    ...built,
    url: `http://127.0.0.1:${port}`,
    io: realtime.io,
    close: async () => {
      await realtime.close();
      server.closeAllConnections();
      await built.db.destroy();
    },
  };
}

/** Signs in over real HTTP and returns the session cookie header. */
export async function sessionCookie(
  baseUrl: string,
  credentials: { email: string; password: string } | { guest: string },
): Promise<string> {
  const guest = 'guest' in credentials;
  const res = await fetch(`${baseUrl}/api/auth/${guest ? 'guest' : 'login'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify(
      guest
        ? { name: credentials.guest }
        : { email: credentials.email, password: credentials.password },
    ),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie()[0]?.split(';')[0];
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}
