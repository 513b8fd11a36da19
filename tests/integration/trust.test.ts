import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, Client } from '../helpers/app';
import { makeBuyer, makeLeader, makeOffer, makeShop, order } from '../helpers/factories';
import { trustIndex } from '../../server/rules/trust';

// The trust index in the API: computed from the leader's record, counted here independently,
// recorded day by day, and listed for the owner highest first.

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

type Trust = {
  score: number;
  gold: boolean;
  inputs: Parameters<typeof trustIndex>[0];
  history: { day: string; score: number }[];
};

describe('the leader trust index', () => {
  it('is the published formula over the leader’s own 30 days; the owner lists leaders by it', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 100 });
    const busy = await makeLeader(app, db, shop.shopId);
    const quiet = await makeLeader(app, db, shop.shopId);
    // three orders through the busy leader's link, one cancelled
    const placed = [];
    for (let i = 0; i < 3; i++) {
      const buyer = await makeBuyer(app, `邻居${i}`);
      placed.push({ buyer, ...(await order(buyer, shop.streamId, { offerId, ref: busy.code })) });
    }
    expect((await placed[2]!.buyer.post(`/api/orders/${placed[2]!.order!.id}/cancel`)).status).toBe(
      200,
    );
    // a click on the link, and the first order picked up and rated five stars
    expect(
      (
        await new Client(app).post('/api/referrals/clicks', {
          code: busy.code,
          streamId: shop.streamId,
        })
      ).status,
    ).toBeLessThan(300);
    await shop.owner.post(`/api/shops/${shop.shopId}/pickups`, {
      code: placed[0]!.order!.pickupCode,
    });
    const rated = await placed[0]!.buyer.request(
      'PUT',
      `/api/orders/${placed[0]!.order!.id}/rating`,
      {
        json: { stars: 5 },
      },
    );
    expect(rated.status).toBeLessThan(300);

    const res = await busy.client.get(`/api/leader/me/trust/${shop.shopId}`);
    expect(res.status).toBe(200);
    const trust = (await res.json()) as Trust;
    // counted here from the records themselves
    const clicks = await db
      .selectFrom('leader_clicks')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('leader_id', '=', busy.leaderId)
      .where('source', '=', 'link')
      .executeTakeFirstOrThrow();
    const expected = {
      ratings: { count: 1, stars: 5 },
      activity: { clicks: Number(clicks.n), orders: 2 },
      claims: { handled: 0, onTime: 0 },
    };
    expect(trust.inputs).toEqual(expected);
    expect(trust.score).toBe(trustIndex(expected).score);
    expect(trust.gold).toBe(false);
    expect(trust.history).toHaveLength(1);
    expect(trust.history[0]!.score).toBe(trust.score);

    const board = await shop.owner.get(`/api/shops/${shop.shopId}/leader-trust`);
    expect(board.status).toBe(200);
    const { leaders } = (await board.json()) as { leaders: { leaderId: string; score: number }[] };
    expect(leaders.map((l) => l.leaderId)).toEqual([busy.leaderId, quiet.leaderId]);
    expect(leaders[0]!.score).toBeGreaterThan(leaders[1]!.score);

    // not a leader here: nothing to show; a leader cannot see the owner's list
    const stranger = await makeBuyer(app, '路人');
    expect((await stranger.get(`/api/leader/me/trust/${shop.shopId}`)).status).toBe(404);
    expect((await busy.client.get(`/api/shops/${shop.shopId}/leader-trust`)).status).toBe(403);
  });
});
