import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, Client } from '../helpers/app';
import { makeBuyer, makeLeader, makeOffer, makeShop, order } from '../helpers/factories';
import type { OrderNewPayload, StreamUpdatePayload } from '../../server/contracts/realtime';
import type { StreamLeaderboard } from '../../server/contracts/leaderboard';
import type { Memberships } from '../../server/contracts/leader';

// Issue 17: every order:new names the attributed leader's group, and the stream's 团长榜
// ranks the groups by the orders that still count.

const { app, db, realtime } = buildTestApp();
afterAll(() => db.destroy());

async function board(client: Client, streamId: string): Promise<StreamLeaderboard> {
  const res = await client.get(`/api/streams/${streamId}/leaderboard`);
  expect(res.status).toBe(200);
  return (await res.json()) as StreamLeaderboard;
}

/** Per leader, the orders whose commission still stands (pending or earned, net > 0). */
async function ledgerOrders(shopId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('commission_ledger')
    .select(['leader_id', 'order_id'])
    .select((eb) => eb.fn.sum<string>('amount_cents').as('net'))
    .where('shop_id', '=', shopId)
    .where('bucket', 'in', ['pending', 'earned'])
    .groupBy(['leader_id', 'order_id'])
    .execute();
  const out = new Map<string, number>();
  for (const r of rows)
    if (Number(r.net) > 0) out.set(r.leader_id, (out.get(r.leader_id) ?? 0) + 1);
  return out;
}

async function nameLeader(leaderId: string, displayName: string, community: string) {
  await db
    .updateTable('leaders')
    .set({ display_name: displayName, community })
    .where('id', '=', leaderId)
    .execute();
}

describe('团长榜', () => {
  it('names the leader on order:new, ranks the groups, drops cancellations, hides for viewers', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 100 });
    const li = await makeLeader(app, db, shop.shopId);
    const wang = await makeLeader(app, db, shop.shopId);
    await nameLeader(li.leaderId, '李姐团', '康健新村');
    await nameLeader(wang.leaderId, '王叔团', '长桥二村');

    const events: OrderNewPayload[] = [];
    const updates: StreamUpdatePayload[] = [];
    const off = realtime.subscribe((streamId, event, payload) => {
      if (streamId !== shop.streamId) return;
      if (event === 'order:new') events.push(payload as OrderNewPayload);
      if (event === 'stream:update') updates.push(payload as StreamUpdatePayload);
    });

    // 李姐's link: three residents, 4 units; 王叔's link: two residents, 6 units; one without
    const placed: { id: string; via: string | null; buyer: Client }[] = [];
    for (const [via, quantity] of [
      [li.code, 1],
      [wang.code, 3],
      [li.code, 2],
      [null, 1],
      [wang.code, 3],
      [li.code, 1],
    ] as const) {
      const buyer = await makeBuyer(app, '王小明');
      const res = await order(buyer, shop.streamId, {
        offerId,
        quantity,
        ...(via ? { ref: via } : {}),
      });
      expect(res.status).toBe(201);
      placed.push({ id: res.order!.id, via, buyer });
    }

    // order:new carries the attributed leader (the buyer's name stays masked)
    await expect.poll(() => events.length).toBe(6);
    const byOrder = new Map(events.map((e) => [e.orderId, e]));
    for (const p of placed) {
      const e = byOrder.get(p.id)!;
      expect(e.buyerName).toBe('王**');
      if (p.via === li.code) {
        expect(e.leader).toEqual({
          leaderId: li.leaderId,
          displayName: '李姐团',
          community: '康健新村',
        });
      } else if (p.via === wang.code) {
        expect(e.leader).toEqual({
          leaderId: wang.leaderId,
          displayName: '王叔团',
          community: '长桥二村',
        });
      } else {
        expect(e.leader).toBeNull();
      }
    }

    // the board: most orders first; it agrees with the orders and the commission ledger
    const viewer = new Client(app);
    let b = await board(viewer, shop.streamId);
    expect(b.hidden).toBe(false);
    expect(b.leaders).toEqual([
      { leaderId: li.leaderId, displayName: '李姐团', community: '康健新村', orders: 3, units: 4 },
      {
        leaderId: wang.leaderId,
        displayName: '王叔团',
        community: '长桥二村',
        orders: 2,
        units: 6,
      },
    ]);
    const ledger = await ledgerOrders(shop.shopId);
    for (const l of b.leaders) expect(ledger.get(l.leaderId)).toBe(l.orders);

    // the leader centre shows each leader's place in the live stream
    const me = (await (await li.client.get('/api/leader/me')).json()) as Memberships;
    expect(me.memberships[0]!.liveRanks).toEqual([
      expect.objectContaining({ streamId: shop.streamId, rank: 1, orders: 3, units: 4, ranked: 2 }),
    ]);

    // two of 李姐's orders are cancelled: they drop out, and 王叔 leads
    for (const p of placed.filter((x) => x.via === li.code).slice(0, 2)) {
      const res = await p.buyer.post(`/api/orders/${p.id}/cancel`);
      expect(res.status).toBe(200);
    }
    b = await board(viewer, shop.streamId);
    expect(b.leaders.map((l) => [l.displayName, l.orders, l.units])).toEqual([
      ['王叔团', 2, 6],
      ['李姐团', 1, 1],
    ]);
    const after = await ledgerOrders(shop.shopId);
    for (const l of b.leaders) expect(after.get(l.leaderId)).toBe(l.orders);
    const liMe = (await (await li.client.get('/api/leader/me')).json()) as Memberships;
    expect(liMe.memberships[0]!.liveRanks[0]).toMatchObject({ rank: 2, orders: 1 });

    // the owner hides the board: viewers get nothing, the owner still sees it
    const patch = await shop.owner.request('PATCH', `/api/streams/${shop.streamId}`, {
      json: { leaderboardHidden: true },
    });
    expect(patch.status).toBe(200);
    await expect.poll(() => updates.at(-1)?.leaderboardHidden).toBe(true);
    const view = (await (await viewer.get(`/api/streams/${shop.streamId}`)).json()) as {
      stream: { leaderboardHidden: boolean };
    };
    expect(view.stream.leaderboardHidden).toBe(true);
    expect(await board(viewer, shop.streamId)).toEqual({ hidden: true, leaders: [] });
    expect(await board(wang.client, shop.streamId)).toEqual({ hidden: true, leaders: [] });
    const ownerBoard = await board(shop.owner, shop.streamId);
    expect(ownerBoard.hidden).toBe(true);
    expect(ownerBoard.leaders).toHaveLength(2);
    // only the owner may change it
    const denied = await viewer.request('PATCH', `/api/streams/${shop.streamId}`, {
      json: { leaderboardHidden: false },
    });
    expect([401, 403]).toContain(denied.status);
    off();
  });

  it('answers 404 for an unknown stream and 400 for a malformed id', async () => {
    const viewer = new Client(app);
    expect(
      (await viewer.get('/api/streams/00000000-0000-4000-8000-000000000000/leaderboard')).status,
    ).toBe(404);
    expect((await viewer.get('/api/streams/nope/leaderboard')).status).toBe(400);
  });
});
