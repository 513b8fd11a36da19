import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, Client } from '../helpers/app';
import { makeBuyers, makeOffer, makeShop, order } from '../helpers/factories';

const { app, db, realtime } = buildTestApp();
afterAll(() => db.destroy());

interface OfferAnswer {
  status: number;
  offer?: {
    id: string;
    priceCents: number;
    quantity: number;
    remaining: number;
    perBuyerLimit: number | null;
    groupMin: number | null;
    groupDeadline: string | null;
  };
  error?: { code: string; message: string };
}

async function edit(
  client: Client,
  streamId: string,
  offerId: string,
  body: unknown,
): Promise<OfferAnswer> {
  const res = await client.request('PATCH', `/api/streams/${streamId}/offers/${offerId}`, {
    json: body,
  });
  return { status: res.status, ...((await res.json()) as Omit<OfferAnswer, 'status'>) };
}

async function offerRow(id: string) {
  return db
    .selectFrom('offers')
    .select(['quantity', 'remaining', 'price_cents', 'per_buyer_limit', 'group_min'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Units in orders that still hold stock (cancelled and refunded-before-pickup gave theirs back). */
async function unitsHeld(offerId: string) {
  const rows = await db
    .selectFrom('orders')
    .select(['quantity', 'state'])
    .where('offer_id', '=', offerId)
    .where('state', 'not in', ['cancelled', 'refunded'])
    .execute();
  return rows.reduce((n, r) => n + r.quantity, 0);
}

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000);

describe('editing an offer', () => {
  it('changes price, quantity and limit; the watch page and new orders follow; offer:update carries the terms', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 10, priceCents: 1500 });
    const [buyer] = await makeBuyers(app, 1);
    expect((await order(buyer!, shop.streamId, { offerId, quantity: 3 })).status).toBe(201);

    const heard: unknown[] = [];
    const off = realtime.subscribe((streamId, event, payload) => {
      if (streamId === shop.streamId && event === 'offer:update') heard.push(payload);
    });
    const res = await edit(shop.owner, shop.streamId, offerId, {
      priceCents: 1280,
      quantity: 25,
      perBuyerLimit: 5,
    });
    off();
    expect(res).toMatchObject({
      status: 200,
      offer: { id: offerId, priceCents: 1280, quantity: 25, remaining: 22, perBuyerLimit: 5 },
    });
    expect(heard).toEqual([
      {
        streamId: shop.streamId,
        offerId,
        remaining: 22,
        groupCount: 0,
        status: 'open',
        terms: {
          priceCents: 1280,
          quantity: 25,
          perBuyerLimit: 5,
          groupMin: null,
          groupDeadline: null,
        },
      },
    ]);
    const view = (await (await new Client(app).get(`/api/streams/${shop.streamId}`)).json()) as {
      stream: { offers: { id: string; priceCents: number; remaining: number }[] };
    };
    expect(view.stream.offers).toEqual([
      expect.objectContaining({ id: offerId, priceCents: 1280, remaining: 22, quantity: 25 }),
    ]);
    // the order placed before keeps its price; a new one pays the new price, within the limit
    const next = await order(buyer!, shop.streamId, { offerId, quantity: 2 });
    expect(next).toMatchObject({ status: 201, order: { totalCents: 2560 } });
    expect(await order(buyer!, shop.streamId, { offerId, quantity: 1 })).toMatchObject({
      status: 409,
      error: { code: 'limit_exceeded' },
    });
    // the limit can be lifted again
    expect(await edit(shop.owner, shop.streamId, offerId, { perBuyerLimit: null })).toMatchObject({
      status: 200,
      offer: { perBuyerLimit: null },
    });
    const row = await offerRow(offerId);
    expect((await unitsHeld(offerId)) + row.remaining).toBe(row.quantity);
  });

  it('lowering to exactly what is sold sells out; below that is 409 quantity_below_sold', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 10 });
    const buyers = await makeBuyers(app, 2);
    await order(buyers[0]!, shop.streamId, { offerId, quantity: 3 });
    await order(buyers[1]!, shop.streamId, { offerId, quantity: 1 });
    const below = await edit(shop.owner, shop.streamId, offerId, { quantity: 3 });
    expect(below).toMatchObject({ status: 409, error: { code: 'quantity_below_sold' } });
    expect(below.error?.message).toContain('4 already sold');
    expect(await offerRow(offerId)).toMatchObject({ quantity: 10, remaining: 6 });
    expect(await edit(shop.owner, shop.streamId, offerId, { quantity: 4 })).toMatchObject({
      status: 200,
      offer: { quantity: 4, remaining: 0 },
    });
    expect(await order(buyers[0]!, shop.streamId, { offerId })).toMatchObject({
      status: 409,
      error: { code: 'sold_out' },
    });
    // a buyer cancelling gives the unit back within the new quantity
    const mine = await db
      .selectFrom('orders')
      .select('id')
      .where('offer_id', '=', offerId)
      .where('quantity', '=', 1)
      .executeTakeFirstOrThrow();
    expect((await buyers[1]!.post(`/api/orders/${mine.id}/cancel`)).status).toBe(200);
    expect(await offerRow(offerId)).toMatchObject({ quantity: 4, remaining: 1 });
  });

  it('group terms change only while nobody has ordered (409 offer_has_orders after)', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, {
      quantity: 20,
      groupMin: 10,
      groupDeadline: inHours(24),
    });
    const deadline = inHours(48).toISOString();
    expect(
      await edit(shop.owner, shop.streamId, offerId, { groupMin: 5, groupDeadline: deadline }),
    ).toMatchObject({ status: 200, offer: { groupMin: 5, groupDeadline: deadline } });
    // no longer a group buy, then a group buy again
    expect(
      await edit(shop.owner, shop.streamId, offerId, { groupMin: null, groupDeadline: null }),
    ).toMatchObject({ status: 200, offer: { groupMin: null, groupDeadline: null } });
    expect(
      await edit(shop.owner, shop.streamId, offerId, { groupMin: 4, groupDeadline: deadline }),
    ).toMatchObject({ status: 200, offer: { groupMin: 4 } });
    // half a group: refused, nothing changed
    expect(await edit(shop.owner, shop.streamId, offerId, { groupMin: null })).toMatchObject({
      status: 400,
      error: { code: 'bad_request' },
    });
    expect(
      await edit(shop.owner, shop.streamId, offerId, {
        groupDeadline: new Date(Date.now() - 60_000).toISOString(),
      }),
    ).toMatchObject({ status: 400, error: { code: 'bad_request' } });
    expect(await edit(shop.owner, shop.streamId, offerId, { groupMin: 21 })).toMatchObject({
      status: 400,
      error: { code: 'bad_request' },
    });

    const [buyer] = await makeBuyers(app, 1);
    expect(await order(buyer!, shop.streamId, { offerId, quantity: 1 })).toMatchObject({
      status: 201,
      order: { status: 'pending_group' },
    });
    expect(await edit(shop.owner, shop.streamId, offerId, { groupMin: 2 })).toMatchObject({
      status: 409,
      error: { code: 'offer_has_orders' },
    });
    // price and quantity still can; the quantity not below the threshold
    expect(
      await edit(shop.owner, shop.streamId, offerId, { priceCents: 900, quantity: 8 }),
    ).toMatchObject({
      status: 200,
      offer: { priceCents: 900, quantity: 8, remaining: 7, groupMin: 4 },
    });
    expect(await edit(shop.owner, shop.streamId, offerId, { quantity: 3 })).toMatchObject({
      status: 400,
      error: { code: 'bad_request' },
    });
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 10, priceCents: 1000 });
    for (const body of [
      {},
      { priceCents: -1 },
      { priceCents: 12.5 },
      { priceCents: '1250' },
      { quantity: 0 },
      { quantity: 100_001 },
      { perBuyerLimit: 0 },
      { groupMin: 1 },
      { groupDeadline: 'soon' },
      { remaining: 100 },
      { productId: offerId },
      { priceCents: null },
      { quantity: null },
    ]) {
      const res = await edit(shop.owner, shop.streamId, offerId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.error?.code).toBe('validation_failed');
    }
    // more than the shop has of the product (makeOffer's product has 10,000)
    expect(await edit(shop.owner, shop.streamId, offerId, { quantity: 10_001 })).toMatchObject({
      status: 400,
      error: { code: 'bad_request' },
    });
    expect(await offerRow(offerId)).toMatchObject({
      quantity: 10,
      remaining: 10,
      price_cents: 1000,
      per_buyer_limit: null,
    });
  });

  it('is for the shop owner only: 401, 403, 404', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 10 });
    const other = await makeShop(app, db);
    const otherOffer = await makeOffer(db, other, { quantity: 10 });
    expect((await edit(new Client(app), shop.streamId, offerId, { priceCents: 1 })).status).toBe(
      401,
    );
    expect(await edit(other.owner, shop.streamId, offerId, { priceCents: 1 })).toMatchObject({
      status: 403,
      error: { code: 'forbidden' },
    });
    const [guest] = await makeBuyers(app, 1);
    expect((await edit(guest!, shop.streamId, offerId, { priceCents: 1 })).status).toBe(403);
    // an offer of another stream, even the owner's own, is not in this one
    expect(await edit(shop.owner, shop.streamId, otherOffer, { priceCents: 1 })).toMatchObject({
      status: 404,
      error: { code: 'not_found' },
    });
    expect(
      await edit(shop.owner, shop.streamId, '00000000-0000-4000-8000-000000000000', {
        priceCents: 1,
      }),
    ).toMatchObject({ status: 404 });
    expect((await edit(shop.owner, shop.streamId, 'nope', { priceCents: 1 })).status).toBe(400);
    expect((await offerRow(offerId)).price_cents).toBe(1000);
  });

  it('closed offers and ended streams are 409', async () => {
    const shop = await makeShop(app, db);
    const closed = await makeOffer(db, shop, { quantity: 10 });
    const open = await makeOffer(db, shop, { quantity: 10 });
    expect(
      (await shop.owner.post(`/api/streams/${shop.streamId}/offers/${closed}/close`)).status,
    ).toBe(200);
    expect(await edit(shop.owner, shop.streamId, closed, { priceCents: 1 })).toMatchObject({
      status: 409,
      error: { code: 'offer_closed' },
    });
    expect((await shop.owner.post(`/api/streams/${shop.streamId}/end`)).status).toBe(200);
    expect(await edit(shop.owner, shop.streamId, open, { quantity: 20 })).toMatchObject({
      status: 409,
      error: { code: 'stream_ended' },
    });
    expect(await offerRow(open)).toMatchObject({ quantity: 10, remaining: 10 });
  });
});

describe('changing the quantity while orders pour in', () => {
  for (const kind of ['simple', 'with a per-buyer limit'] as const) {
    it(`never oversells, keeps sold + remaining = quantity, refuses below sold (${kind})`, async () => {
      const shop = await makeShop(app, db);
      // with and without a per-buyer limit: the order service checks a limit before it
      // takes stock, so the two take different paths to the offer's row
      const offerId = await makeOffer(db, shop, {
        quantity: 60,
        perBuyerLimit: kind === 'simple' ? null : 3,
      });
      const buyers = await makeBuyers(app, 250);

      // the owner changes their mind again and again, one request at a time, each time in
      // the middle of a wave of orders
      const plan = [40, 90, 30, 130, 100, 180, 150, 230, 200, 280];
      const edits: { quantity: number; answer: OfferAnswer }[] = [];
      const answers: Awaited<ReturnType<typeof order>>[] = [];
      const wave = buyers.length / plan.length;
      for (const [round, quantity] of plan.entries()) {
        const batch = buyers.slice(round * wave, (round + 1) * wave);
        const [answer, ...placed] = await Promise.all([
          edit(shop.owner, shop.streamId, offerId, { quantity }),
          ...batch.map((b, j) =>
            order(b, shop.streamId, { offerId, quantity: 1 + ((round * wave + j) % 2) }),
          ),
        ]);
        edits.push({ quantity, answer });
        answers.push(...placed);
      }

      for (const a of answers) {
        if (a.status !== 201) {
          expect(a.status).toBe(409);
          expect(a.error?.code).toBe('sold_out');
        }
      }
      const row = await offerRow(offerId);
      const held = await unitsHeld(offerId);
      expect(row.remaining).toBeGreaterThanOrEqual(0);
      expect(held + row.remaining).toBe(row.quantity);
      // every unit held is an order answered 201, and the other way round
      expect(held).toBe(answers.reduce((n, a, i) => n + (a.status === 201 ? 1 + (i % 2) : 0), 0));
      // the owner's requests were one after another: the last accepted one is the quantity
      const accepted = edits.filter((e) => e.answer.status === 200);
      expect(accepted.length).toBeGreaterThan(0);
      expect(row.quantity).toBe(accepted.at(-1)?.quantity);
      for (const e of edits) {
        if (e.answer.status === 200) {
          expect(e.answer.offer?.quantity).toBe(e.quantity);
          expect(e.answer.offer?.remaining).toBeGreaterThanOrEqual(0);
        } else {
          // refused only when it really was below what was sold then (sold never shrinks
          // here: nobody cancels), so below what is sold now
          expect(e.answer).toMatchObject({ status: 409, error: { code: 'quantity_below_sold' } });
          expect(e.quantity).toBeLessThan(held);
        }
      }

      // and once the rush is over, exactly at the line
      expect(await edit(shop.owner, shop.streamId, offerId, { quantity: held - 1 })).toMatchObject({
        status: 409,
        error: { code: 'quantity_below_sold' },
      });
      expect(await edit(shop.owner, shop.streamId, offerId, { quantity: held })).toMatchObject({
        status: 200,
        offer: { quantity: held, remaining: 0 },
      });
    });
  }
});
