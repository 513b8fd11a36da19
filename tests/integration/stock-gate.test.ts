import fc from 'fast-check';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { DB } from '../../db/schema';
import { buildTestApp, type Client } from '../helpers/app';
import { makeBuyers, makeOffer, makeShop, order, phoneOf } from '../helpers/factories';
import { guest, HttpClient, setUpShop, sleep, startServerProcess } from '../helpers/server-process';
import { freePort } from '../setup/ports';

// The stock gate (issue 13): a flash sale's losers are answered without the database, and
// the gate never turns a buyer away while stock remains. PostgreSQL stays the only judge.

/** A database handle that counts the statements the app sends through it. */
function countingDb() {
  let statements = 0;
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ connectionString: inject('databaseUrl'), max: 20 }),
    }),
    log: (event) => {
      if (event.level === 'query') statements++;
    },
  });
  return { db, statements: () => statements };
}

const counted = countingDb();
const { app, db } = buildTestApp({}, counted.db);
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await db.destroy();
});

describe('the stock gate', () => {
  it("a flash sale's losers after the sell-out are answered without a single statement", async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 20, perBuyerLimit: 1 });
    const buyers = await makeBuyers(app, 300);
    const first = await Promise.all(buyers.map((b) => order(b, shop.streamId, { offerId })));
    expect(first.filter((a) => a.status === 201)).toHaveLength(20);
    const late = await makeBuyers(app, 100);
    const before = counted.statements();
    const answers = await Promise.all(late.map((b) => order(b, shop.streamId, { offerId })));
    expect(answers.every((a) => a.status === 409 && a.error?.code === 'sold_out')).toBe(true);
    // no session lookup, no offer read, nothing: the gate answered
    expect(counted.statements() - before).toBe(0);
    const sold = await db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('offer_id', '=', offerId)
      .executeTakeFirstOrThrow();
    expect(Number(sold.n)).toBe(20);
  });

  it('1,000 buyers at once on 20 units of a new offer: about 20 reach the database, the rest are told at once', async () => {
    const shop = await makeShop(app, db);
    const product = await db
      .insertInto('products')
      .values({ shop_id: shop.shopId, name: '秒杀草莓', price_cents: 990, stock: 1000 })
      .returning('id')
      .executeTakeFirstOrThrow();
    // created through the API: the gate knows its stock from the start
    const created = await shop.owner.post(`/api/streams/${shop.streamId}/offers`, {
      productId: product.id,
      priceCents: 990,
      quantity: 20,
      perBuyerLimit: 1,
    });
    expect(created.status).toBe(201);
    const { offer } = (await created.json()) as { offer: { id: string } };
    const buyers = await makeBuyers(app, 1000);
    const before = counted.statements();
    // each with an Idempotency-Key, as the app sends: the gate does not ask the database
    // whether a loser's key bought something, since the offer opened in this process and
    // every winner of it is in the gate's memory
    const answers = await Promise.all(
      buyers.map((b, i) => order(b, shop.streamId, { offerId: offer.id }, `flash-${i}`)),
    );
    const statements = counted.statements() - before;
    expect(answers.filter((a) => a.status === 201)).toHaveLength(20);
    expect(answers.filter((a) => a.error?.code === 'sold_out')).toHaveLength(980);
    // each order that reaches the database costs a handful of statements (session, offer,
    // lock, write…); 980 losers answered by the gate cost none
    expect(statements).toBeLessThan(20 * 10);
  });

  it('a winner retrying with the same Idempotency-Key after the sell-out gets their order', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 1 });
    const [winner, loser] = await makeBuyers(app, 2);
    const won = await order(winner!, shop.streamId, { offerId }, 'tap-1');
    expect(won.status).toBe(201);
    expect((await order(loser!, shop.streamId, { offerId })).error?.code).toBe('sold_out');
    const again = await order(winner!, shop.streamId, { offerId }, 'tap-1');
    expect(again).toMatchObject({ status: 201, order: { id: won.order!.id } });
  });

  it('never turns a buyer away while stock remains, through refunds, cancellations and raised quantities', async () => {
    type Op =
      | { kind: 'order'; buyer: number; quantity: number }
      | { kind: 'cancel'; pick: number }
      | { kind: 'refund'; pick: number }
      | { kind: 'raise'; by: number };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      {
        weight: 5,
        arbitrary: fc.record({
          kind: fc.constant('order' as const),
          buyer: fc.nat(5),
          quantity: fc.integer({ min: 1, max: 3 }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(20) }),
      },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant('refund' as const), pick: fc.nat(20) }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('raise' as const),
          by: fc.integer({ min: 1, max: 3 }),
        }),
      },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(opArb, { minLength: 5, maxLength: 30 }),
        async (quantity, ops) => {
          const shop = await makeShop(app, db);
          const offerId = await makeOffer(db, shop, { quantity, perBuyerLimit: 100 });
          const buyers = await makeBuyers(app, 6);
          const placed: { id: string; buyer: Client }[] = [];
          let offerQuantity = quantity;
          for (const op of ops) {
            const { remaining } = await db
              .selectFrom('offers')
              .select('remaining')
              .where('id', '=', offerId)
              .executeTakeFirstOrThrow();
            if (op.kind === 'order') {
              const buyer = buyers[op.buyer]!;
              const a = await order(buyer, shop.streamId, { offerId, quantity: op.quantity });
              if (op.quantity <= remaining) {
                // stock remains for this buyer: the gate (or anything) must not refuse
                expect(a.status, JSON.stringify(a.error)).toBe(201);
                placed.push({ id: a.order!.id, buyer });
              } else {
                expect(a.error?.code).toBe('sold_out');
              }
            } else if (op.kind === 'cancel' && placed.length) {
              const [p] = placed.splice(op.pick % placed.length, 1);
              expect((await p!.buyer.post(`/api/orders/${p!.id}/cancel`, {})).status).toBe(200);
            } else if (op.kind === 'refund' && placed.length) {
              const [p] = placed.splice(op.pick % placed.length, 1);
              const res = await shop.owner.post(`/api/orders/${p!.id}/refund`, {});
              expect(res.status).toBe(200);
            } else if (op.kind === 'raise') {
              offerQuantity += op.by;
              const res = await shop.owner.request(
                'PATCH',
                `/api/streams/${shop.streamId}/offers/${offerId}`,
                { json: { quantity: offerQuantity } },
              );
              expect(res.status).toBe(200);
            }
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('the stock gate across two app processes sharing Redis', () => {
  it('a unit refunded through one process is sold through the other, never refused', async () => {
    const env = { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' };
    const a = await startServerProcess(inject('databaseUrl'), await freePort(), env);
    cleanups.push(() => a.kill('SIGTERM'));
    const b = await startServerProcess(inject('databaseUrl'), await freePort(), env);
    cleanups.push(() => b.kill('SIGTERM'));
    const { owner, streamId, offerId } = await setUpShop(a.baseUrl, { quantity: 1 });
    expect((await owner.post(`/api/streams/${streamId}/start`, {})).status).toBe(200);
    const buy = (c: HttpClient) =>
      c.post(`/api/streams/${streamId}/orders`, { offerId, quantity: 1, phone: phoneOf(c) });

    const first = await guest(a.baseUrl, '先到');
    const won = await buy(first);
    expect(won.status).toBe(201);
    const { order: placed } = (await won.json()) as { order: { id: string } };
    // the gate of both processes now knows it is sold out
    expect((await buy(await guest(a.baseUrl, '晚到'))).status).toBe(409);
    expect((await buy(await guest(b.baseUrl, '也晚'))).status).toBe(409);

    // the owner refunds through B (the owner's session works on either process)
    const ownerOnB = new HttpClient(b.baseUrl);
    ownerOnB.cookie = owner.cookie;
    expect((await ownerOnB.post(`/api/orders/${placed.id}/refund`, {})).status).toBe(200);
    // a buyer on A gets the returned unit at once
    const next = await buy(await guest(a.baseUrl, '补上'));
    expect(next.status).toBe(201);

    // and after A restarts, the gate still answers from Redis and still tells the truth
    await a.kill('SIGTERM');
    const a2 = await startServerProcess(inject('databaseUrl'), await freePort(), env);
    cleanups.push(() => a2.kill('SIGTERM'));
    await sleep(100);
    expect((await buy(await guest(a2.baseUrl, '重启后'))).status).toBe(409);
  }, 90_000);
});
