import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { Client, signUp, type TestApp } from './app';

// Factories for commerce tests: each test builds its own shop, stream and offers.

export interface OfferOptions {
  quantity: number;
  priceCents?: number;
  perBuyerLimit?: number | null;
  groupMin?: number | null;
  groupDeadline?: Date | null;
}

export async function makeShop(app: TestApp, db: Kysely<DB>) {
  const owner = new Client(app);
  await signUp(owner, '店主');
  const slug = `shop-${randomBytes(5).toString('hex')}`;
  const res = await owner.post('/api/shops', { name: '测试鲜果', slug, address: '康健路 1 号' });
  if (res.status !== 201) throw new Error(`shop: ${res.status} ${await res.text()}`);
  const shopId = (
    await db.selectFrom('shops').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  ).id;
  const stream = await db
    .insertInto('streams')
    .values({ shop_id: shopId, title: '测试直播', status: 'live' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { owner, shopId, slug, streamId: stream.id };
}

export async function makeOffer(
  db: Kysely<DB>,
  shop: { shopId: string; streamId: string },
  opts: OfferOptions,
) {
  const product = await db
    .insertInto('products')
    .values({
      shop_id: shop.shopId,
      name: '草莓 500g',
      price_cents: opts.priceCents ?? 1000,
      stock: 10_000,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const offer = await db
    .insertInto('offers')
    .values({
      stream_id: shop.streamId,
      product_id: product.id,
      price_cents: opts.priceCents ?? 1000,
      quantity: opts.quantity,
      remaining: opts.quantity,
      per_buyer_limit: opts.perBuyerLimit ?? null,
      group_min: opts.groupMin ?? null,
      group_deadline: opts.groupDeadline ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return offer.id;
}

/** A guest buyer with a session, as a resident opening a link would be. */
export async function makeBuyer(app: TestApp, name = '邻居'): Promise<Client> {
  const c = new Client(app);
  const res = await c.post('/api/auth/guest', { name });
  if (res.status !== 201) throw new Error(`guest: ${res.status} ${await res.text()}`);
  return c;
}

export async function makeBuyers(app: TestApp, n: number): Promise<Client[]> {
  const out: Client[] = [];
  // in batches: signing up is not what these tests measure
  for (let i = 0; i < n; i += 50) {
    out.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(50, n - i) }, (_, j) => makeBuyer(app, `邻居${i + j}`)),
      )),
    );
  }
  return out;
}

export async function makeLeader(
  app: TestApp,
  db: Kysely<DB>,
  shopId: string,
  rate = '0.1000',
  pickup = true,
) {
  const client = new Client(app);
  await signUp(client, '团长');
  const me = await client.get('/api/me');
  const { user } = (await me.json()) as { user: { id: string } };
  const code = `ld${randomBytes(4).toString('hex')}`;
  const leader = await db
    .insertInto('leaders')
    .values({
      shop_id: shopId,
      user_id: user.id,
      display_name: '康健新村 李姐',
      status: 'approved',
      code,
      commission_rate: rate,
      pickup_address: pickup ? '12 号楼门卫室' : null,
      pickup_hours: pickup ? '17:00–20:00' : null,
      approved_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { client, leaderId: leader.id, code, userId: user.id };
}

export const PHONE = '13800138000';

export async function order(
  buyer: Client,
  streamId: string,
  body: Record<string, unknown>,
  key?: string,
) {
  const res = await buyer.post(
    `/api/streams/${streamId}/orders`,
    { phone: PHONE, quantity: 1, ...body },
    key ? { 'idempotency-key': key } : undefined,
  );
  const json = (await res.json()) as {
    order?: {
      id: string;
      status: string;
      pickupCode: string;
      totalCents: number;
      leaderId: string | null;
    };
    error?: { code: string; message: string };
  };
  return { status: res.status, ...json };
}
