import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { Payout, SettlementStatement } from '../../server/contracts/settlement';
import { buildTestApp, Client } from '../helpers/app';
import { makeBuyer, makeLeader, makeOffer, makeShop, order } from '../helpers/factories';

// Settlement (issue 14.5): the statement and the payouts agree with the commission ledger to
// the cent, whatever happened, and no ledger entry is paid twice.

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

type Shop = Awaited<ReturnType<typeof makeShop>>;
type Leader = Awaited<ReturnType<typeof makeLeader>>;

const base = (shop: Shop, leader: Leader) => `/api/shops/${shop.shopId}/leaders/${leader.leaderId}`;

async function statement(client: Client, shop: Shop, leader: Leader): Promise<SettlementStatement> {
  const res = await client.get(`${base(shop, leader)}/statement`);
  expect(res.status).toBe(200);
  return (await res.json()) as SettlementStatement;
}

function pay(client: Client, shop: Shop, leader: Leader) {
  return client.post(`${base(shop, leader)}/payouts`, { periodEnd: new Date().toISOString() });
}

async function setting(rate = '0.1234', priceCents = 999) {
  const shop = await makeShop(app, db);
  const offerId = await makeOffer(db, shop, { quantity: 500, priceCents, perBuyerLimit: 99 });
  const leader = await makeLeader(app, db, shop.shopId, rate);
  return { shop, offerId, leader };
}

/** Sums straight from the ledger, per order and bucket, and what payout_entries paid. */
async function ledgerSums(shopId: string, leaderId: string) {
  const rows = await db
    .selectFrom('commission_ledger as l')
    .leftJoin('payout_entries as pe', 'pe.ledger_id', 'l.id')
    .select(['l.order_id', 'l.bucket', 'l.amount_cents', 'pe.payout_id'])
    .where('l.shop_id', '=', shopId)
    .where('l.leader_id', '=', leaderId)
    .execute();
  const perOrder = new Map<string, Record<'pending' | 'earned' | 'reversed' | 'paid', number>>();
  const total = { pending: 0, earned: 0, reversed: 0, paid: 0 };
  for (const r of rows) {
    const o = perOrder.get(r.order_id) ?? { pending: 0, earned: 0, reversed: 0, paid: 0 };
    o[r.bucket] += r.amount_cents;
    total[r.bucket] += r.amount_cents;
    if (r.payout_id !== null) {
      // only earned entries are ever paid
      expect(r.bucket).toBe('earned');
      o.paid += r.amount_cents;
      total.paid += r.amount_cents;
    }
    perOrder.set(r.order_id, o);
  }
  return { perOrder, total };
}

/** Every payout's amount is the sum of its entries, and an entry belongs to one payout. */
async function expectPayoutsConsistent(shopId: string, leaderId: string) {
  const payouts = await db
    .selectFrom('payouts as p')
    .leftJoin('payout_entries as pe', 'pe.payout_id', 'p.id')
    .leftJoin('commission_ledger as l', 'l.id', 'pe.ledger_id')
    .select([
      'p.id',
      'p.amount_cents',
      sql<number>`coalesce(sum(l.amount_cents), 0)::int`.as('entries_cents'),
    ])
    .where('p.shop_id', '=', shopId)
    .where('p.leader_id', '=', leaderId)
    .groupBy(['p.id', 'p.amount_cents'])
    .execute();
  for (const p of payouts) expect(p.entries_cents).toBe(p.amount_cents);
  const dup = await sql<{ n: number }>`
    select count(*)::int as n from (
      select ledger_id from payout_entries group by ledger_id having count(*) > 1
    ) d`.execute(db);
  expect(dup.rows[0]?.n).toBe(0);
  return payouts;
}

type Op =
  | { kind: 'order'; buyer: number; quantity: number }
  | { kind: 'pickup' | 'cancel' | 'refund'; pick: number }
  | { kind: 'payout' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      buyer: fc.nat(1),
      quantity: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('pickup' as const), pick: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refund' as const), pick: fc.nat(40) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('payout' as const) }) },
);

describe('settlement', () => {
  it('matches the ledger to the cent over a random history, and pays nothing twice', async () => {
    await fc.assert(
      fc.asyncProperty(
        // most histories end with the owner paying what is left
        fc.array(opArb, { minLength: 1, maxLength: 16 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 9_999 }),
        fc.constantFrom('0.0800', '0.1234', '0.0333'),
        async (history, payAtEnd, priceCents, rate) => {
          const ops: Op[] = payAtEnd ? [...history, { kind: 'payout' }] : history;
          const { shop, offerId, leader } = await setting(rate, priceCents);
          const buyers = [await makeBuyer(app, '买家甲'), await makeBuyer(app, '买家乙')];
          const orders: { id: string; code: string; buyer: number }[] = [];
          let payoutsMade = 0;
          for (const op of ops) {
            if (op.kind === 'order') {
              const placed = await order(buyers[op.buyer]!, shop.streamId, {
                offerId,
                quantity: op.quantity,
                ref: leader.code,
              });
              expect(placed.status).toBe(201);
              orders.push({
                id: placed.order!.id,
                code: placed.order!.pickupCode,
                buyer: op.buyer,
              });
              continue;
            }
            if (op.kind === 'payout') {
              const before = await statement(shop.owner, shop, leader);
              const res = await pay(shop.owner, shop, leader);
              if (before.totals.unpaidCents > 0) {
                expect(res.status).toBe(201);
                const { payout } = (await res.json()) as { payout: Payout };
                // a payout pays exactly what was earned and unpaid
                expect(payout.amountCents).toBe(before.totals.unpaidCents);
                payoutsMade += 1;
              } else {
                expect(res.status).toBe(409);
              }
              continue;
            }
            if (!orders.length) continue;
            const target = orders[op.pick % orders.length]!;
            if (op.kind === 'pickup') {
              await shop.owner.post(`/api/shops/${shop.shopId}/pickups`, { code: target.code });
            } else if (op.kind === 'cancel') {
              await buyers[target.buyer]!.post(`/api/orders/${target.id}/cancel`);
            } else {
              await buyers[target.buyer]!.post(`/api/orders/${target.id}/refund-requests`, {
                reason: '坏果',
              });
              await shop.owner.post(`/api/orders/${target.id}/refund`, {});
            }
          }

          const { perOrder, total } = await ledgerSums(shop.shopId, leader.leaderId);
          const owners = await statement(shop.owner, shop, leader);
          const leaders = await statement(leader.client, shop, leader);
          // the leader sees what the owner sees, payouts included
          expect(leaders.totals).toEqual(owners.totals);
          expect(leaders.payouts).toEqual(owners.payouts);
          expect(owners.viewerIsOwner).toBe(true);
          expect(leaders.viewerIsOwner).toBe(false);

          expect(owners.totals).toEqual({
            pendingCents: total.pending,
            earnedCents: total.earned,
            reversedCents: total.reversed,
            paidCents: total.paid,
            unpaidCents: total.earned - total.paid,
          });
          expect(owners.lines).toHaveLength(perOrder.size);
          for (const line of owners.lines) {
            const sums = perOrder.get(line.orderId);
            expect(sums).toBeDefined();
            expect([
              line.pendingCents,
              line.earnedCents,
              line.reversedCents,
              line.paidCents,
            ]).toEqual([sums!.pending, sums!.earned, sums!.reversed, sums!.paid]);
          }

          const payouts = await expectPayoutsConsistent(shop.shopId, leader.leaderId);
          expect(payouts).toHaveLength(payoutsMade);
          expect(owners.payouts).toHaveLength(payoutsMade);
          expect(payouts.reduce((s, p) => s + p.amount_cents, 0)).toBe(total.paid);
          // each CSV adds up to its payout, to the cent
          for (const p of owners.payouts) {
            const res = await leader.client.get(`${base(shop, leader)}/payouts/${p.id}.csv`);
            expect(res.status).toBe(200);
            const lines = (await res.text())
              .replace(/^\uFEFF/, '')
              .trim()
              .split('\r\n');
            const amounts = lines
              .slice(1)
              .map((l) => Number(l.split(',').at(-1)!.replaceAll('"', '')));
            const totalLine = amounts.pop();
            expect(totalLine).toBe(p.amountCents);
            expect(amounts.reduce((s, a) => s + a, 0)).toBe(p.amountCents);
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 240_000);

  it('two payouts at once pay each entry once', async () => {
    const { shop, offerId, leader } = await setting('0.1000', 1000);
    const buyer = await makeBuyer(app);
    for (let i = 0; i < 3; i += 1) {
      const placed = await order(buyer, shop.streamId, { offerId, ref: leader.code });
      expect(placed.status).toBe(201);
      const picked = await shop.owner.post(`/api/shops/${shop.shopId}/pickups`, {
        code: placed.order!.pickupCode,
      });
      expect(picked.status).toBe(200);
    }
    const answers = await Promise.all([
      pay(shop.owner, shop, leader),
      pay(shop.owner, shop, leader),
      pay(shop.owner, shop, leader),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const paid = await expectPayoutsConsistent(shop.shopId, leader.leaderId);
    expect(paid).toHaveLength(1);
    expect(paid[0]!.amount_cents).toBe(300);
    const after = await statement(leader.client, shop, leader);
    expect(after.totals).toMatchObject({ earnedCents: 300, paidCents: 300, unpaidCents: 0 });
  }, 60_000);

  it('a refund after a payout is taken from the next one', async () => {
    const { shop, offerId, leader } = await setting('0.1000', 1000);
    const buyer = await makeBuyer(app);
    const codes: { id: string; code: string }[] = [];
    for (let i = 0; i < 2; i += 1) {
      const placed = await order(buyer, shop.streamId, { offerId, ref: leader.code });
      codes.push({ id: placed.order!.id, code: placed.order!.pickupCode });
      await shop.owner.post(`/api/shops/${shop.shopId}/pickups`, {
        code: placed.order!.pickupCode,
      });
    }
    expect((await pay(shop.owner, shop, leader)).status).toBe(201);
    await buyer.post(`/api/orders/${codes[0]!.id}/refund-requests`, { reason: '坏果' });
    expect((await shop.owner.post(`/api/orders/${codes[0]!.id}/refund`, {})).status).toBe(200);
    // −100 alone is not a payout
    expect((await pay(shop.owner, shop, leader)).status).toBe(409);
    const third = await order(buyer, shop.streamId, { offerId, ref: leader.code, quantity: 3 });
    await shop.owner.post(`/api/shops/${shop.shopId}/pickups`, { code: third.order!.pickupCode });
    const res = await pay(shop.owner, shop, leader);
    expect(res.status).toBe(201);
    expect(((await res.json()) as { payout: Payout }).payout.amountCents).toBe(300 - 100);
    const s = await statement(shop.owner, shop, leader);
    expect(s.totals).toMatchObject({ earnedCents: 400, paidCents: 400, unpaidCents: 0 });
  }, 60_000);

  it('lets only the owner pay, and only the owner and the leader read', async () => {
    const { shop, leader } = await setting();
    const other = await makeLeader(app, db, shop.shopId);
    const stranger = await makeBuyer(app);
    expect((await pay(leader.client, shop, leader)).status).toBe(403);
    expect((await other.client.get(`${base(shop, leader)}/statement`)).status).toBe(403);
    expect((await stranger.get(`${base(shop, leader)}/statement`)).status).toBe(403);
    expect((await new Client(app).get(`${base(shop, leader)}/statement`)).status).toBe(401);
    expect((await pay(shop.owner, shop, leader)).status).toBe(409);
    const future = await shop.owner.post(`${base(shop, leader)}/payouts`, {
      periodEnd: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(future.status).toBe(400);
    const missing = await shop.owner.get(
      `${base(shop, leader)}/payouts/00000000-0000-4000-8000-000000000000.csv`,
    );
    expect(missing.status).toBe(404);
    expect((await shop.owner.get(`${base(shop, leader)}/payouts/nope.csv`)).status).toBe(400);
  }, 60_000);
});
