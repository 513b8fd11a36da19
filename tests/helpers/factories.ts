import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { hashPassword } from '../../server/services/auth.service';
import { Client, signUp, type TestApp } from './app';
import { phoneOf } from './phones';

export { phoneOf, uniquePhone } from './phones';

// The one factory module: each test builds its own accounts, shops, streams, offers and
// leaders. Through the public API where the test is about what a user does; straight into
// the database where the row is only the setting.

const suffix = () => randomBytes(4).toString('hex');

// --- rows written straight to the database ---

/** An account with a known password, written straight to the database. */
export async function makeAccount(db: Kysely<DB>, name = '店主') {
  const email = `acct-${suffix()}@example.cn`;
  const password = 'factory-password';
  const user = await db
    .insertInto('users')
    .values({ email, name, password_hash: await hashPassword(password) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...user, email, password };
}

/** A shop owned by `ownerId` with one stream in the given status. */
export async function makeShopWithStream(
  db: Kysely<DB>,
  ownerId: string,
  status: 'scheduled' | 'live' | 'ended' = 'live',
) {
  const shop = await db
    .insertInto('shops')
    .values({ owner_id: ownerId, name: '测试小店', slug: `shop-${suffix()}` })
    .returningAll()
    .executeTakeFirstOrThrow();
  const stream = await db
    .insertInto('streams')
    .values({
      shop_id: shop.id,
      title: '测试直播',
      status,
      ...(status !== 'scheduled' ? { started_at: new Date() } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { shop, stream };
}

// --- through the API of an in-process app (tests/helpers/app.ts) ---

/** An owner signed up through the API, with a shop of their own. */
export async function ownerWithShop(
  app: TestApp,
  opts: { ownerName?: string; name?: string; address?: string } = {},
) {
  const client = new Client(app);
  await signUp(client, opts.ownerName ?? '王老板');
  const me = (await (await client.get('/api/me')).json()) as { user: { id: string } };
  const slug = `shop-${suffix()}${suffix()}`;
  const res = await client.post('/api/shops', {
    name: opts.name ?? '王记鲜果',
    slug,
    address: opts.address ?? '康健路 88 号',
  });
  if (res.status !== 201) throw new Error(`shop: ${res.status} ${await res.text()}`);
  const { shop } = (await res.json()) as { shop: { id: string; slug: string } };
  return { client, userId: me.user.id, shop };
}

export async function resident(app: TestApp, name = '陈阿姨') {
  const client = new Client(app);
  await signUp(client, name);
  const me = (await (await client.get('/api/me')).json()) as { user: { id: string } };
  return { client, userId: me.user.id };
}

export async function plannedStream(
  owner: Client,
  shopId: string,
  body: Record<string, unknown> = { title: '凌晨四点去批发市场' },
): Promise<string> {
  const res = await owner.post(`/api/shops/${shopId}/streams`, body);
  if (res.status !== 201) throw new Error(`stream: ${res.status} ${await res.text()}`);
  const { stream } = (await res.json()) as { stream: { id: string } };
  return stream.id;
}

export async function liveStream(owner: Client, shopId: string): Promise<string> {
  const id = await plannedStream(owner, shopId);
  const res = await owner.post(`/api/streams/${id}/start`);
  if (res.status !== 200) throw new Error(`start: ${res.status} ${await res.text()}`);
  return id;
}

export interface OfferOptions {
  quantity: number;
  priceCents?: number;
  perBuyerLimit?: number | null;
  groupMin?: number | null;
  groupDeadline?: Date | null;
}

/** An owner's shop (through the API) with a live stream written straight to the database. */
export async function makeShop(app: TestApp, db: Kysely<DB>) {
  const { client: owner, shop } = await ownerWithShop(app, {
    ownerName: '店主',
    name: '测试鲜果',
    address: '康健路 1 号',
  });
  const stream = await db
    .insertInto('streams')
    .values({ shop_id: shop.id, title: '测试直播', status: 'live' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { owner, shopId: shop.id, slug: shop.slug, streamId: stream.id };
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
    { phone: phoneOf(buyer), quantity: 1, ...body },
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
    error?: { code: string; message: string; limit?: { perBuyer: number; held: number } };
  };
  return { status: res.status, ...json };
}
