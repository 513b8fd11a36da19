import { afterAll, describe, expect, it } from 'vitest';
import { dayIn, SHOP_TIME_ZONE } from '../../server/rules/pickup';
import { toPrepare } from '../../server/services/pickup.service';
import { buildTestApp } from '../helpers/app';
import { makeBuyers, makeLeader, makeOffer, makeShop, order } from '../helpers/factories';

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

const DAY = 86_400_000;

interface PrepareAnswer {
  today: string;
  totals: { productName: string; quantity: number }[];
  buyers: { buyerName: string; pickupCode: string; dueOn: string; overdue: boolean }[];
}

async function backdate(orderId: string, at: Date) {
  await db.updateTable('orders').set({ confirmed_at: at }).where('id', '=', orderId).execute();
}

async function ownerUser(shopId: string) {
  const row = await db
    .selectFrom('shops')
    .innerJoin('users', 'users.id', 'shops.owner_id')
    .select(['users.id', 'users.email', 'users.name'])
    .where('shops.id', '=', shopId)
    .executeTakeFirstOrThrow();
  return { ...row, guest: false };
}

/** The owner's packing list for the shop's own counter, as it stands at `at`. */
async function ownersList(shopId: string, at: Date) {
  return toPrepare(db, await ownerUser(shopId), shopId, shopId, at);
}

describe('the list of what to prepare at a pickup point', () => {
  it("holds today's and overdue confirmed orders, nothing collected, cancelled, waiting or for a later day", async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 100 });
    const buyers = await makeBuyers(app, 6);
    const place = async (
      i: number,
      body: Record<string, unknown> = {},
      streamId = shop.streamId,
    ) => {
      const answer = await order(buyers[i]!, streamId, { offerId, quantity: 2, ...body });
      if (answer.status !== 201 || !answer.order) throw new Error(JSON.stringify(answer));
      return answer.order;
    };
    const today = await place(0);
    const overdue = await place(1);
    await backdate(overdue.id, new Date(Date.now() - 3 * DAY));
    const collected = await place(2);
    expect(
      (await shop.owner.post(`/api/shops/${shop.shopId}/pickups`, { code: collected.pickupCode }))
        .status,
    ).toBe(200);
    const cancelled = await place(3);
    expect((await buyers[3]!.post(`/api/orders/${cancelled.id}/cancel`)).status).toBe(200);
    // a group still forming
    const groupOffer = await makeOffer(db, shop, {
      quantity: 50,
      groupMin: 10,
      groupDeadline: new Date(Date.now() + DAY),
    });
    await place(4, { offerId: groupOffer });
    // a pre-order on next week's stream
    const nextWeek = await db
      .insertInto('streams')
      .values({
        shop_id: shop.shopId,
        title: '下周试吃',
        scheduled_at: new Date(Date.now() + 7 * DAY),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const preOffer = await makeOffer(
      db,
      { shopId: shop.shopId, streamId: nextWeek.id },
      {
        quantity: 10,
      },
    );
    await place(5, { offerId: preOffer }, nextWeek.id);
    // one for a leader's point: on that point's list, not the shop's
    const leader = await makeLeader(app, db, shop.shopId);
    const atLeader = await place(5, { pickupPointId: leader.leaderId });

    const res = await shop.owner.get(
      `/api/shops/${shop.shopId}/pickup-points/${shop.shopId}/prepare`,
    );
    expect(res.status).toBe(200);
    const list = (await res.json()) as PrepareAnswer;
    expect(list.today).toBe(dayIn(new Date(), SHOP_TIME_ZONE));
    expect(list.buyers.map((b) => b.pickupCode).sort()).toEqual(
      [today.pickupCode, overdue.pickupCode].sort(),
    );
    expect(list.buyers.find((b) => b.pickupCode === today.pickupCode)).toMatchObject({
      dueOn: list.today,
      overdue: false,
    });
    expect(list.buyers.find((b) => b.pickupCode === overdue.pickupCode)).toMatchObject({
      dueOn: dayIn(new Date(Date.now() - 3 * DAY), SHOP_TIME_ZONE),
      overdue: true,
    });
    expect(list.totals).toEqual([{ productName: '草莓 500g', quantity: 4 }]);

    const point = (await (
      await leader.client.get(`/api/shops/${shop.shopId}/pickup-points/${leader.leaderId}/prepare`)
    ).json()) as PrepareAnswer;
    expect(point.buyers.map((b) => b.pickupCode)).toEqual([atLeader.pickupCode]);

    // the pre-order joins the list on its stream's day
    const then = await ownersList(shop.shopId, new Date(Date.now() + 7 * DAY + 60_000));
    expect(then.buyers).toHaveLength(3);
    expect(then.buyers.filter((b) => b.overdue)).toHaveLength(2);
  });

  it('counts days in the shop’s time zone, not UTC', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 10 });
    const [buyer] = await makeBuyers(app, 1);
    const placed = await order(buyer!, shop.streamId, { offerId });
    // 00:30 on 2 January in Shanghai is still 1 January in UTC
    await backdate(placed.order!.id, new Date('2030-01-01T16:30:00Z'));
    const lateEvening = await ownersList(shop.shopId, new Date('2030-01-01T15:59:00Z'));
    expect(lateEvening).toMatchObject({ today: '2030-01-01', buyers: [] });
    const nextMorning = await ownersList(shop.shopId, new Date('2030-01-02T01:00:00Z'));
    expect(nextMorning).toMatchObject({
      today: '2030-01-02',
      buyers: [{ dueOn: '2030-01-02', overdue: false }],
    });
  });
});
