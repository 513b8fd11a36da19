import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, Client } from '../helpers/app';
import { makeAccount, makeShopWithStream } from '../helpers/factories';
import { phoneOf } from '../helpers/phones';

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

/** rate × amount in cents, rounded half up — computed independently of the app's code. */
function expectedCommission(rate: number, totalCents: number): number {
  return Math.floor((totalCents * Math.round(rate * 10_000) + 5_000) / 10_000);
}

async function login(user: { email: string; password: string }) {
  const client = new Client(app);
  const res = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect(res.status).toBe(200);
  return client;
}

type Op =
  | { kind: 'order'; buyer: number; leader: number | null; quantity: number }
  | { kind: 'pickup'; pick: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'refund'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      buyer: fc.nat(3),
      leader: fc.option(fc.nat(1), { nil: null }),
      quantity: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pickup' as const), pick: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refund' as const), pick: fc.nat(50) }) },
);

describe('the commission ledger', () => {
  it('always equals rate × net non-refunded attributed sales, per leader', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 14 }),
        fc.integer({ min: 1, max: 9_999 }),
        async (ops, priceCents) => {
          const owner = await makeAccount(db, '店主');
          const { shop, stream } = await makeShopWithStream(db, owner.id, 'live');
          const ownerClient = await login(owner);
          const product = await db
            .insertInto('products')
            .values({ shop_id: shop.id, name: '草莓', price_cents: priceCents, stock: 1000 })
            .returning('id')
            .executeTakeFirstOrThrow();
          const offerRes = await ownerClient.post(`/api/streams/${stream.id}/offers`, {
            productId: product.id,
            priceCents,
            quantity: 500,
            // the owner lifts the shop's default per-buyer limit: these buyers order often
            perBuyerLimit: 99,
          });
          expect(offerRes.status).toBe(201);
          const offerId = ((await offerRes.json()) as { offer: { id: string } }).offer.id;

          // two leaders with awkward rates, so rounding is exercised
          const rates = [0.08, 0.1234];
          const leaders: { id: string; code: string; rate: number }[] = [];
          for (const rate of rates) {
            const user = await makeAccount(db, '团长');
            const client = await login(user);
            const applied = await client.post(`/api/shops/${shop.id}/leaders/apply`, {
              displayName: '团长',
            });
            const { leader } = (await applied.json()) as { leader: { id: string } };
            const approved = await ownerClient.post(
              `/api/shops/${shop.id}/leaders/${leader.id}/approve`,
              {
                commissionRate: rate,
              },
            );
            const { leader: l } = (await approved.json()) as { leader: { code: string } };
            leaders.push({ id: leader.id, code: l.code, rate });
          }
          const buyers = await Promise.all(
            [0, 1, 2, 3].map(async (i) => {
              const c = new Client(app);
              await c.post('/api/auth/guest', { name: `买家${i}` });
              return c;
            }),
          );

          const orders: { id: string; code: string; buyer: number; state: string }[] = [];
          for (const op of ops) {
            if (op.kind === 'order') {
              const res = await buyers[op.buyer]!.post(`/api/streams/${stream.id}/orders`, {
                offerId,
                quantity: op.quantity,
                phone: phoneOf(buyers[op.buyer]!),
                ...(op.leader === null ? {} : { ref: leaders[op.leader]!.code }),
              });
              expect(res.status).toBe(201);
              const { order } = (await res.json()) as {
                order: { id: string; pickupCode: string; status: string };
              };
              orders.push({
                id: order.id,
                code: order.pickupCode,
                buyer: op.buyer,
                state: order.status,
              });
              continue;
            }
            if (!orders.length) continue;
            const target = orders[op.pick % orders.length]!;
            if (op.kind === 'pickup') {
              const res = await ownerClient.post(`/api/shops/${shop.id}/pickups`, {
                code: target.code,
              });
              if (res.status === 200) target.state = 'picked_up';
            } else if (op.kind === 'cancel') {
              const res = await buyers[target.buyer]!.post(`/api/orders/${target.id}/cancel`);
              if (res.status === 200) target.state = 'cancelled';
            } else {
              await buyers[target.buyer]!.post(`/api/orders/${target.id}/refund-requests`, {
                reason: '坏果',
              });
              const res = await ownerClient.post(`/api/orders/${target.id}/refund`, {});
              if (res.status === 200) target.state = 'refunded';
            }
          }

          const rows = await db
            .selectFrom('orders')
            .select(['id', 'leader_id', 'total_cents', 'commission_cents', 'state'])
            .where('shop_id', '=', shop.id)
            .execute();
          const ledger = await db
            .selectFrom('commission_ledger')
            .select(['leader_id', 'bucket', sql<number>`sum(amount_cents)::int`.as('cents')])
            .where('shop_id', '=', shop.id)
            .groupBy(['leader_id', 'bucket'])
            .execute();
          const sum = (leaderId: string, bucket: string) =>
            ledger.find((l) => l.leader_id === leaderId && l.bucket === bucket)?.cents ?? 0;

          for (const leader of leaders) {
            const mine = rows.filter((r) => r.leader_id === leader.id);
            for (const r of mine)
              expect(r.commission_cents).toBe(expectedCommission(leader.rate, r.total_cents));
            const live = mine.filter((r) => !['cancelled', 'refunded'].includes(r.state));
            const net = live.reduce(
              (s, r) => s + expectedCommission(leader.rate, r.total_cents),
              0,
            );
            const earned = mine
              .filter((r) => r.state === 'picked_up')
              .reduce((s, r) => s + expectedCommission(leader.rate, r.total_cents), 0);
            const reversed = mine
              .filter((r) => ['cancelled', 'refunded'].includes(r.state))
              .reduce((s, r) => s + expectedCommission(leader.rate, r.total_cents), 0);
            expect(sum(leader.id, 'pending') + sum(leader.id, 'earned')).toBe(net);
            expect(sum(leader.id, 'earned')).toBe(earned);
            expect(sum(leader.id, 'reversed')).toBe(reversed);
          }
          // orders without a ref carry no leader and no commission
          expect(
            rows.filter((r) => r.leader_id === null).every((r) => r.commission_cents === 0),
          ).toBe(true);
          // every order the test saw is in the state the test expects
          for (const o of orders) expect(rows.find((r) => r.id === o.id)?.state).toBe(o.state);
        },
      ),
      { numRuns: 25 },
    );
  }, 180_000);
});
