import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client } from '../helpers/app';
import { makeBuyer, makeOffer, makeShop, order } from '../helpers/factories';

// The sale outlives the live (issue 10): an ended stream's offers take orders until its
// saleEndsAt (by default a day after the end, never past the latest group deadline), then
// every order is refused with sale_closed. Group buys keep counting meanwhile.

const built = buildTestApp();
const { app, db } = built;
afterAll(() => db.destroy());

const HOUR = 60 * 60 * 1000;
let shop: Awaited<ReturnType<typeof makeShop>>;
beforeAll(async () => {
  shop = await makeShop(app, db);
});

/** A new live stream of the shop, straight in the database. */
async function liveStream(): Promise<string> {
  const row = await db
    .insertInto('streams')
    .values({ shop_id: shop.shopId, title: '夜市', status: 'live', started_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function view(streamId: string) {
  const res = await app.request(`/api/streams/${streamId}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { stream: { status: string; saleEndsAt: string | null } }).stream;
}

async function end(streamId: string) {
  const res = await shop.owner.post(`/api/streams/${streamId}/end`);
  expect(res.status).toBe(200);
  return view(streamId);
}

const patch = (owner: Client, streamId: string, body: unknown) =>
  owner.request('PATCH', `/api/streams/${streamId}`, { json: body });

describe('the sale after the live', () => {
  it('goes on for a day after the end, then refuses every order with sale_closed', async () => {
    const streamId = await liveStream();
    const offerId = await makeOffer(db, { shopId: shop.shopId, streamId }, { quantity: 10 });
    const before = Date.now();
    const ended = await end(streamId);
    expect(ended.status).toBe('ended');
    const saleEnd = Date.parse(ended.saleEndsAt!);
    expect(saleEnd).toBeGreaterThanOrEqual(before + 24 * HOUR - 1000);
    expect(saleEnd).toBeLessThanOrEqual(Date.now() + 24 * HOUR);

    // a resident opening a leader's link ten minutes after the end still buys
    const late = await makeBuyer(app, '晚来的');
    expect((await order(late, streamId, { offerId })).status).toBe(201);

    // the day passes
    await db
      .updateTable('streams')
      .set({ sale_ends_at: new Date(Date.now() - 1000) })
      .where('id', '=', streamId)
      .execute();
    const closed = await order(late, streamId, { offerId, quantity: 2 });
    expect(closed).toMatchObject({ status: 409, error: { code: 'sale_closed' } });
    expect(closed.error!.message).toMatch(/sale has closed/);
    // nothing was taken by the refusal
    const stock = await db
      .selectFrom('offers')
      .select('remaining')
      .where('id', '=', offerId)
      .executeTakeFirstOrThrow();
    expect(stock.remaining).toBe(9);
  });

  it('the owner moves the end, always into the future; nothing else changes after the end', async () => {
    const streamId = await liveStream();
    // set while live, kept at the end
    const inTwoDays = new Date(Date.now() + 48 * HOUR).toISOString();
    expect((await patch(shop.owner, streamId, { saleEndsAt: inTwoDays })).status).toBe(200);
    expect((await end(streamId)).saleEndsAt).toBe(inTwoDays);

    const inThreeHours = new Date(Date.now() + 3 * HOUR).toISOString();
    const moved = await patch(shop.owner, streamId, { saleEndsAt: inThreeHours });
    expect(moved.status).toBe(200);
    expect((await view(streamId)).saleEndsAt).toBe(inThreeHours);

    const past = await patch(shop.owner, streamId, {
      saleEndsAt: new Date(Date.now() - HOUR).toISOString(),
    });
    expect(past.status).toBe(400);
    expect(((await past.json()) as { error: { message: string } }).error.message).toMatch(/future/);
    expect((await patch(shop.owner, streamId, { saleEndsAt: 'tomorrow' })).status).toBe(400);
    // the title cannot change after the end, even alongside the sale's end
    const both = await patch(shop.owner, streamId, { title: '改名', saleEndsAt: inThreeHours });
    expect(both.status).toBe(409);
    // a resident cannot move it
    const resident = await makeBuyer(app, '邻居');
    expect((await patch(resident, streamId, { saleEndsAt: inThreeHours })).status).toBe(403);
    expect((await view(streamId)).saleEndsAt).toBe(inThreeHours);
  });

  it('never outlasts the latest group deadline, and group buys keep counting after the live', async () => {
    const streamId = await liveStream();
    const deadline = new Date(Date.now() + 2 * HOUR);
    deadline.setMilliseconds(0);
    const offerId = await makeOffer(
      db,
      { shopId: shop.shopId, streamId },
      { quantity: 10, groupMin: 2, groupDeadline: deadline },
    );
    const ended = await end(streamId);
    expect(Date.parse(ended.saleEndsAt!)).toBe(deadline.getTime());
    const later = await patch(shop.owner, streamId, {
      saleEndsAt: new Date(deadline.getTime() + HOUR).toISOString(),
    });
    expect(later.status).toBe(400);
    expect(((await later.json()) as { error: { message: string } }).error.message).toMatch(
      /group deadline/,
    );

    const [a, b] = [await makeBuyer(app, '甲'), await makeBuyer(app, '乙')];
    expect(await order(a, streamId, { offerId })).toMatchObject({
      status: 201,
      order: { status: 'pending_group' },
    });
    expect(await order(b, streamId, { offerId })).toMatchObject({
      status: 201,
      order: { status: 'confirmed' },
    });
    const offer = await db
      .selectFrom('offers')
      .select('group_reached_at')
      .where('id', '=', offerId)
      .executeTakeFirstOrThrow();
    expect(offer.group_reached_at).not.toBeNull();
  });

  it('a stream that ended before sales outlived the live takes no order', async () => {
    const streamId = await liveStream();
    const offerId = await makeOffer(db, { shopId: shop.shopId, streamId }, { quantity: 5 });
    await db
      .updateTable('streams')
      .set({ status: 'ended', ended_at: new Date() })
      .where('id', '=', streamId)
      .execute();
    const buyer = await makeBuyer(app, '老链接');
    expect(await order(buyer, streamId, { offerId })).toMatchObject({
      status: 409,
      error: { code: 'sale_closed' },
    });
  });
});
