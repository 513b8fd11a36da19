import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createClient } from 'redis';
import { buildTestApp, Client, uniqueEmail } from '../helpers/app';
import { makeLeader, makeShop } from '../helpers/factories';
import { setUpShop, startServerProcess } from '../helpers/server-process';
import { freePort } from '../setup/ports';

// Fair to neighbours, hard on abusers: the limits of server/http/limits.ts against the real
// server. "Many client addresses" are real ones: requests are bound to 127.0.0.2…254, which
// a server with TRUST_PROXY=0 sees as different clients.

const databaseUrl = inject('databaseUrl');
/** The production limits (the helpers raise them for other tests). */
const DEFAULT_LIMITS = {
  GUESTS_PER_IP_PER_MINUTE: '120',
  GUESTS_PER_DEVICE_PER_HOUR: '5',
  SIGNUPS_PER_IP_PER_HOUR: '20',
  LOGIN_FAILURES_PER_IP_PER_DAY: '100',
};
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  cookie: string | undefined;
}

/** A POST over real HTTP from a chosen local address (127.0.0.N), as a browser would send it. */
function post(
  baseUrl: string,
  path: string,
  json: unknown,
  opts: { from?: string; cookie?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const url = new URL(path, baseUrl);
  const body = JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        localAddress: opts.from ?? '127.0.0.1',
        agent: false,
        headers: {
          origin: baseUrl,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(opts.cookie ? { cookie: opts.cookie } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text ? (JSON.parse(text) as unknown) : null,
            cookie: res.headers['set-cookie']?.map((c) => c.split(';')[0]).join('; '),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function serverWith(env: Record<string, string>) {
  const server = await startServerProcess(databaseUrl, await freePort(), {
    ...DEFAULT_LIMITS,
    ...env,
  });
  cleanups.push(() => server.kill('SIGKILL'));
  return server;
}

async function signedUpAccount(baseUrl: string, from: string) {
  const email = uniqueEmail('victim');
  const password = 'the right password 1';
  const res = await post(
    baseUrl,
    '/api/auth/signup',
    { email, password, name: '王老板' },
    { from },
  );
  expect(res.status).toBe(201);
  return { email, password };
}

describe('abuse limits on the real server (TRUST_PROXY=0: the socket address is the client)', () => {
  let baseUrl: string;

  it('serves 40 residents behind one address as guests, and their orders, within a minute', async () => {
    baseUrl = (await serverWith({ TRUST_PROXY: '0' })).baseUrl;
    const { streamId, offerId } = await setUpShop(baseUrl, { quantity: 100 });
    const residents = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post(baseUrl, '/api/auth/guest', { name: `邻居${i}` })),
    );
    expect(residents.map((r) => r.status)).toEqual(Array<number>(40).fill(201));
    const orders = await Promise.all(
      residents.map((r, i) =>
        post(
          baseUrl,
          `/api/streams/${streamId}/orders`,
          // each household its own phone
          { offerId, quantity: 1, phone: `1380013${String(8000 + i)}` },
          { cookie: r.cookie, headers: { 'idempotency-key': randomBytes(8).toString('hex') } },
        ),
      ),
    );
    expect(orders.filter((o) => o.status !== 201).map((o) => o.body)).toEqual([]);
    expect(orders.map((o) => o.status)).toEqual(Array<number>(40).fill(201));
  });

  it('limits guests per device (visitor cookie), not per building', async () => {
    // a phone that has opened the site before brings its visitor cookie
    const device = `linli_vid=${crypto.randomUUID()}`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await post(
        baseUrl,
        '/api/auth/guest',
        { name: '同一部手机' },
        { from: '127.0.0.3', cookie: device },
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    // a neighbour's phone on the same address is still served
    expect(
      (await post(baseUrl, '/api/auth/guest', { name: '邻居' }, { from: '127.0.0.3' })).status,
    ).toBe(201);
  });

  it('blocks password guessing for an account from one address, even the right password, whatever X-Forwarded-For says', async () => {
    const account = await signedUpAccount(baseUrl, '127.0.0.4');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await post(
        baseUrl,
        '/api/auth/login',
        { email: account.email, password: `guess ${i}` },
        // rotating X-Forwarded-For: ignored with TRUST_PROXY=0
        { from: '127.0.0.5', headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } },
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // the right password is refused too until the block ends: no password check while blocked
    const right = await post(
      baseUrl,
      '/api/auth/login',
      { email: account.email.toUpperCase(), password: account.password },
      { from: '127.0.0.5', headers: { 'x-forwarded-for': '198.51.100.99' } },
    );
    expect(right.status).toBe(429);
    expect(right.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(14 * 60);
    // the owner from another address still signs in
    const owner = await post(baseUrl, '/api/auth/login', account, { from: '127.0.0.6' });
    expect(owner.status).toBe(200);
  });

  it('blocks slow guessing of one account spread across addresses', async () => {
    const account = await signedUpAccount(baseUrl, '127.0.0.7');
    const statuses: number[] = [];
    // 10 failures, two from each of five addresses: under the per-address limit everywhere
    for (let i = 0; i < 10; i++) {
      const from = `127.0.0.${20 + (i % 5)}`;
      const res = await post(
        baseUrl,
        '/api/auth/login',
        { email: account.email, password: 'x' },
        { from },
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual(Array<number>(10).fill(401));
    const fresh = await post(baseUrl, '/api/auth/login', account, { from: '127.0.0.30' });
    expect(fresh.status).toBe(429);
  });

  it('a successful login clears the account + address count', async () => {
    const account = await signedUpAccount(baseUrl, '127.0.0.8');
    const from = '127.0.0.9';
    const attempt = (password: string) =>
      post(baseUrl, '/api/auth/login', { email: account.email, password }, { from });
    for (let i = 0; i < 4; i++) expect((await attempt('wrong')).status).toBe(401);
    expect((await attempt(account.password)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await attempt('wrong')).status).toBe(401);
    expect((await attempt(account.password)).status).toBe(200);
  });

  it('limits sign-ups per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await post(
        baseUrl,
        '/api/auth/signup',
        { email: uniqueEmail('bulk'), password: 'bulk password 1', name: '批量' },
        { from: '127.0.0.40' },
      );
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array<number>(20).fill(201));
    expect(statuses[20]).toBe(429);
    // the next address is not affected
    expect(
      (
        await post(
          baseUrl,
          '/api/auth/signup',
          { email: uniqueEmail('next'), password: 'next password 1', name: '邻居' },
          { from: '127.0.0.41' },
        )
      ).status,
    ).toBe(201);
  });
});

describe('behind one trusted proxy (TRUST_PROXY=1)', () => {
  it('takes only the rightmost X-Forwarded-For entry: prepending fake ones does not help', async () => {
    const { baseUrl } = await serverWith({ TRUST_PROXY: '1' });
    const account = await signedUpAccount(baseUrl, '127.0.0.50');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await post(
        baseUrl,
        '/api/auth/login',
        { email: account.email, password: `guess ${i}` },
        // what the proxy forwards: the client's own header, then the address it saw
        { headers: { 'x-forwarded-for': `10.${i}.0.1, 203.0.113.${i + 1}, 198.51.100.7` } },
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // another client behind the same proxy is someone else
    const other = await post(baseUrl, '/api/auth/login', account, {
      headers: { 'x-forwarded-for': '198.51.100.8' },
    });
    expect(other.status).toBe(200);
  });
});

describe('limits shared through Redis', () => {
  /** A private redis-server, gone for good when killed (no persistence). */
  async function startRedis(port: number): Promise<ChildProcess> {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    for (let i = 0; i < 100 && !output.includes('Ready to accept connections'); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!output.includes('Ready to accept connections')) throw new Error(output);
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((ok) => child.once('exit', ok));
        child.kill('SIGKILL');
        await exited;
      }
    });
    return child;
  }

  it('two app instances see one counter, and keep answering when Redis goes away', async () => {
    const port = await freePort();
    const redis = await startRedis(port);
    const REDIS_URL = `redis://127.0.0.1:${port}`;
    const a = buildTestApp({ REDIS_URL });
    const b = buildTestApp({ REDIS_URL });
    cleanups.push(
      () => a.db.destroy(),
      () => b.db.destroy(),
    );
    const inspect = createClient({ url: REDIS_URL });
    inspect.on('error', () => undefined);
    await inspect.connect();

    const email = uniqueEmail('shared');
    const attempt = (app: typeof a) =>
      new Client(app.app).post('/api/auth/login', { email, password: 'guess' });
    // the limits' connection is made on first use: wait until it counts in Redis
    for (let i = 0; i < 50; i++) {
      if ((await inspect.keys(`linli:login:account:${email}`)).length > 0) break;
      await attempt(a);
      await new Promise((r) => setTimeout(r, 100));
    }
    const counted = Number(await inspect.get(`linli:login:account-ip:${email}|unknown`));
    expect(counted).toBeGreaterThan(0);
    expect(counted).toBeLessThan(5);
    const statuses: number[] = [];
    // the rest of the five failures, alternating between the instances
    for (let i = counted; i < 5; i++) statuses.push((await attempt(i % 2 ? a : b)).status);
    expect(statuses.every((s) => s === 401)).toBe(true);
    // neither instance alone saw five failures, yet both refuse
    expect((await attempt(a)).status).toBe(429);
    expect((await attempt(b)).status).toBe(429);

    // Redis gone: limits count in each process's memory, answers keep coming
    inspect.destroy();
    redis.kill('SIGKILL');
    await new Promise((ok) => redis.once('exit', ok));
    const guest = await new Client(b.app).post('/api/auth/guest', { name: '停电时的邻居' });
    expect(guest.status).toBe(201);
  });
});

describe('referral clicks', () => {
  const { app, db } = buildTestApp({});
  cleanups.push(() => db.destroy());

  it('refuses an unknown stream or another shop’s stream with 404, never a 500', async () => {
    const shop = await makeShop(app, db);
    const other = await makeShop(app, db);
    const leader = await makeLeader(app, db, shop.shopId);
    const visitor = new Client(app);
    const ok = await visitor.post('/api/referrals/clicks', {
      code: leader.code,
      streamId: shop.streamId,
    });
    expect(ok.status).toBe(204);
    for (const streamId of [crypto.randomUUID(), other.streamId]) {
      const res = await visitor.post('/api/referrals/clicks', { code: leader.code, streamId });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('answers a burst from one visitor with 429 and Retry-After', async () => {
    const shop = await makeShop(app, db);
    const leader = await makeLeader(app, db, shop.shopId);
    const visitor = new Client(app);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 35; i++) {
      const res = await visitor.post('/api/referrals/clicks', {
        code: leader.code,
        streamId: shop.streamId,
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 30).every((s) => s === 204)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429, 429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
