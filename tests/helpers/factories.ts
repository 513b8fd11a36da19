import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { hashPassword } from '../../server/services/auth.service';

const suffix = () => randomBytes(4).toString('hex');

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
