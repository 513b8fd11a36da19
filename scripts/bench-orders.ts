// npm run bench:orders — order placement under load, through HTTP, against real PostgreSQL.
//  1. flash sale: 1,000 buyers at once on one offer of 100 units;
//  2. sustained: a fixed number of concurrent buyers ordering for a while across many offers;
//  3. baseline: a bare SQL loop doing only the conditional stock update, same database,
//     same concurrency, so the ratio shows what the rest of our code costs.
// The server runs as its own process (as `npm start` does, API only); the load generator
// is this process. Both share this machine's CPUs with PostgreSQL.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { createTestDatabase } from '../tests/setup/services';
import { freePort } from '../tests/setup/ports';
import { cpuSeconds, machineLine, percentile, writeBenchmarkSection } from './bench/machine';

const FLASH_BUYERS = 1_000;
const FLASH_UNITS = 100;
const SUSTAINED_OFFERS = 50;
const SUSTAINED_BUYERS = 400;
const SUSTAINED_CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const SUSTAINED_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** body[key].id, or body.error.code with key 'error' — checked, not cast. */
function field(body: unknown, key: string, inner: 'id' | 'code' = 'id'): string | undefined {
  if (typeof body !== 'object' || body === null || !(key in body)) return undefined;
  const value: unknown = (body as Record<string, unknown>)[key];
  if (typeof value !== 'object' || value === null || !(inner in value)) return undefined;
  const v: unknown = (value as Record<string, unknown>)[inner];
  return typeof v === 'string' ? v : undefined;
}
function id(body: unknown, key: string): string {
  const v = field(body, key);
  if (!v) throw new Error(`no ${key} in ${JSON.stringify(body)}`);
  return v;
}

class Http {
  cookie = '';
  constructor(readonly base: string) {}
  async post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: {
        origin: this.base,
        'content-type': 'application/json',
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: JSON.stringify(body),
    });
    const set = res.headers.getSetCookie()[0]?.split(';')[0];
    if (set) this.cookie = set;
    const text = await res.text();
    const answer: unknown = text ? JSON.parse(text) : {};
    return { status: res.status, body: answer };
  }
}

async function main() {
  const loadBefore = loadavg();
  const machine = machineLine();
  const database = await createTestDatabase('benchorders');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // BENCH_PROFILE=<dir> writes the server's V8 CPU profile there (open it in Chrome DevTools).
  const profile = process.env.BENCH_PROFILE;
  const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const server = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      LIVEKIT_URL: 'ws://127.0.0.1:9', // not used by ordering
      API_ONLY: '1',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      GUESTS_PER_IP_PER_MINUTE: '1000000',
      GUESTS_PER_DEVICE_PER_HOUR: '1000000',
      SIGNUPS_PER_IP_PER_HOUR: '1000000',
      // the sustained run sends each buyer dozens of orders a second: that is the load, not abuse
      ORDERS_PER_BUYER_PER_MINUTE: '1000000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = async () => {
    server.kill('SIGTERM');
    await sleep(profile ? 5_000 : 500);
    server.kill('SIGKILL');
    await database.drop();
  };
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/api/health`)).status) break;
      } catch {
        if (i > 300) throw new Error('server did not start');
        await sleep(100);
      }
    }
    const sql = new pg.Pool({ connectionString: database.url, max: 20 });

    // setup through the API
    const owner = new Http(base);
    await owner.post('/api/auth/signup', {
      email: `bench-${randomBytes(4).toString('hex')}@example.cn`,
      password: 'correct horse battery',
      name: '店主',
    });
    const shopId = id(
      (
        await owner.post('/api/shops', {
          name: '压测',
          slug: `bench-${randomBytes(4).toString('hex')}`,
        })
      ).body,
      'shop',
    );
    const streamId = id(
      (await owner.post(`/api/shops/${shopId}/streams`, { title: '压测直播' })).body,
      'stream',
    );
    const productId = id(
      (
        await owner.post(`/api/shops/${shopId}/products`, {
          name: '草莓',
          priceCents: 1000,
          stock: 1_000_000,
        })
      ).body,
      'product',
    );
    const newOffer = async (quantity: number, perBuyerLimit?: number) =>
      id(
        (
          await owner.post(`/api/streams/${streamId}/offers`, {
            productId,
            priceCents: 990,
            quantity,
            ...(perBuyerLimit ? { perBuyerLimit } : {}),
          })
        ).body,
        'offer',
      );

    const buyers: Http[] = [];
    // each buyer their own phone: per-buyer limits count a phone number as one buyer
    const phones = new Map<Http, string>();
    for (let i = 0; i < FLASH_BUYERS; i += 100) {
      buyers.push(
        ...(await Promise.all(
          Array.from({ length: 100 }, async (_, j) => {
            const b = new Http(base);
            await b.post('/api/auth/guest', { name: `买家${i + j}` });
            phones.set(b, `139${String(i + j).padStart(8, '0')}`);
            return b;
          }),
        )),
      );
    }
    const place = async (b: Http, offerId: string) => {
      const t0 = performance.now();
      const r = await b.post(
        `/api/streams/${streamId}/orders`,
        { offerId, quantity: 1, phone: phones.get(b) },
        { 'idempotency-key': randomUUID() },
      );
      return {
        ms: performance.now() - t0,
        status: r.status,
        code: field(r.body, 'error', 'code'),
      };
    };

    // warm-up (JIT, pool connections), on its own offer
    const warm = await newOffer(100_000);
    await Promise.all(buyers.slice(0, 200).map((b) => place(b, warm)));

    // 1. flash sale
    const flashOffer = await newOffer(FLASH_UNITS, 1);
    const t0 = performance.now();
    const flash = await Promise.all(buyers.map((b) => place(b, flashOffer)));
    const flashSeconds = (performance.now() - t0) / 1000;
    const flashLat = flash.map((r) => r.ms).sort((a, b) => a - b);
    const won = flash.filter((r) => r.status === 201).length;
    const soldOut = flash.filter((r) => r.code === 'sold_out').length;
    const other = flash.length - won - soldOut;
    const flashDb = (
      await sql.query<{ sold: number; remaining: number }>(
        `select (select coalesce(sum(quantity),0)::int from orders where offer_id = $1) as sold,
                (select remaining from offers where id = $1) as remaining`,
        [flashOffer],
      )
    ).rows[0]!;
    const flashOversold = Math.max(0, flashDb.sold - FLASH_UNITS);

    // 2. sustained orders across many offers
    const offers: string[] = [];
    // Buyers are guests, who always have a per-buyer limit (their offer's, their shop's
    // default, or a fallback), so every order takes the transaction path that checks it; the
    // owner lifts the default to 1,000 so these repeat buyers are never refused for it.
    for (let i = 0; i < SUSTAINED_OFFERS; i++) offers.push(await newOffer(100_000, 1000));
    const sustainedBuyers = buyers.slice(0, SUSTAINED_BUYERS);
    const lat: number[] = [];
    let failures = 0;
    const until = performance.now() + SUSTAINED_SECONDS * 1000;
    const cpu0 = cpuSeconds(server.pid ?? 0);
    const s0 = performance.now();
    await Promise.all(
      Array.from({ length: SUSTAINED_CONCURRENCY }, async (_, w) => {
        let i = w;
        while (performance.now() < until) {
          const r = await place(
            sustainedBuyers[i % sustainedBuyers.length]!,
            offers[Math.floor(Math.random() * offers.length)]!,
          );
          i += SUSTAINED_CONCURRENCY;
          if (r.status === 201) lat.push(r.ms);
          else failures++;
        }
      }),
    );
    const sustainedSeconds = (performance.now() - s0) / 1000;
    const serverCpuMsPerOrder =
      ((cpuSeconds(server.pid ?? 0) - cpu0) * 1000) / Math.max(1, lat.length);
    lat.sort((a, b) => a - b);
    const sustainedDb = (
      await sql.query<{ oversold: number }>(
        `select count(*)::int as oversold from offers o
          where o.stream_id = $1 and o.remaining + (select coalesce(sum(quantity),0) from orders where offer_id = o.id) <> o.quantity`,
        [streamId],
      )
    ).rows[0]!;

    // 3. baseline: only the conditional stock update, same database, same concurrency
    const bareLat: number[] = [];
    const b0 = performance.now();
    const bareUntil = b0 + 5_000;
    await Promise.all(
      Array.from({ length: SUSTAINED_CONCURRENCY }, async () => {
        while (performance.now() < bareUntil) {
          const t = performance.now();
          await sql.query(
            'update offers set remaining = remaining - 1 where id = $1 and remaining >= 1',
            [offers[Math.floor(Math.random() * offers.length)]!],
          );
          bareLat.push(performance.now() - t);
        }
      }),
    );
    const bareSeconds = (performance.now() - b0) / 1000;
    bareLat.sort((a, b) => a - b);
    await sql.end();

    const f = (n: number) => n.toFixed(1);
    const ours = lat.length / sustainedSeconds;
    const bare = bareLat.length / bareSeconds;
    const md = `## Orders (\`npm run bench:orders\`)

Measured on ${machine}.
Load average (1/5/15 min) at the start: ${loadBefore.map((l) => l.toFixed(2)).join(' / ')}${process.env.BENCH_SHARED ? ' — **other work shared the CPUs during this run**, so treat the figures as a floor' : ' — nothing else ran; the app, PostgreSQL and the load generator share the 2 cores'}.
Setup: the app as its own process (API only, pool of 20 connections, no Redis: the stock gate is in process memory) against PostgreSQL on the same machine; the load generator (Node fetch, keep-alive) in a third process. Every order is a full HTTP request. In front of the route the stock gate answers a buyer the offer cannot serve (the units left, less those of orders in flight) with no session lookup and no statement; the others go on: session cookie, zod validation, idempotency key, then one SQL statement writes stock, order, ledger and outbox (for offers without any per-buyer limit), or a transaction that first checks the buyer's limit by account and phone under their advisory locks. Buyers are guests, who always have a limit, so every order here takes the transaction; events published after commit. The flash sale uses a limit of 1 per buyer.

| scenario | requests | orders | orders/s | p50 ms | p99 ms | oversold units |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| flash sale: ${FLASH_BUYERS} buyers at once, ${FLASH_UNITS} units, limit 1 each | ${flash.length} | ${won} (sold_out ${soldOut}, other ${other}) | ${f(flash.length / flashSeconds)} answers/s | ${f(percentile(flashLat, 50))} | ${f(percentile(flashLat, 99))} | ${flashOversold} (remaining ${flashDb.remaining}) |
| sustained: ${SUSTAINED_CONCURRENCY} concurrent buyers, ${SUSTAINED_OFFERS} offers, ${SUSTAINED_SECONDS} s | ${lat.length + failures} | ${lat.length} (failed ${failures}) | ${f(ours)} | ${f(percentile(lat, 50))} | ${f(percentile(lat, 99))} | ${sustainedDb.oversold} offers with sold + remaining ≠ quantity |
| baseline: bare \`update offers … where remaining >= 1\`, ${SUSTAINED_CONCURRENCY} concurrent, 5 s | ${bareLat.length} | — | ${f(bare)} updates/s | ${f(percentile(bareLat, 50))} | ${f(percentile(bareLat, 99))} | — |

The app process used **${serverCpuMsPerOrder.toFixed(2)} ms of CPU per sustained order** (HTTP, session lookup, validation, query building, JSON), so one core tops out near ${f(1000 / serverCpuMsPerOrder)} orders/s before PostgreSQL's share; on this 2-core machine the app, PostgreSQL and the load generator compete for the same two cores.

Ratio sustained orders/s ÷ bare updates/s: **${(ours / bare).toFixed(2)}**. Goal: ≥ 1,000 orders/s with p99 ≤ 250 ms — ${ours >= 1000 && percentile(lat, 99) <= 250 ? 'met' : 'not met on this machine'}.
`;
    writeBenchmarkSection('orders', md);
    process.stdout.write(`${md}\n`);
  } finally {
    await stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
