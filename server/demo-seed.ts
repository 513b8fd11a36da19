import type { Database } from '../db/database';
import { insertUser } from '../db/repositories/user.repository';
import { hashPassword } from './services/auth.service';
import { createShop } from './services/shop.service';
import { userRowToUser } from './services/auth.service';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema';

export const DEMO_LOGINS = {
  owner: { email: 'owner@demo.linli.live', password: 'demo-owner-pass' },
  leader: { email: 'leader@demo.linli.live', password: 'demo-leader-pass' },
} as const;

export const DEMO_SHOP_SLUG = 'wangji-fruit';
export const DEMO_LEADER_CODE = 'kangjian8';

/** Next day at 19:30 China time, at least a day away, so the demo always has a countdown. */
function nextEvening(now: Date): Date {
  const shanghaiOffsetMs = 8 * 3_600_000;
  const local = new Date(now.getTime() + shanghaiOffsetMs);
  local.setUTCDate(local.getUTCDate() + 2);
  local.setUTCHours(19, 30, 0, 0);
  return new Date(local.getTime() - shanghaiOffsetMs);
}

/**
 * On an empty database (no users yet) writes a demo shop with products, a scheduled
 * stream with offers and an approved leader, in one transaction. Returns false when the
 * database already had data.
 */
export async function seedDemoIfEmpty(db: Database, now = new Date()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    // One seeder at a time, even with two processes starting together.
    await sql`select pg_advisory_xact_lock(7261001)`.execute(trx);
    const existing = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (existing) return false;

    const owner = await insertUser(trx, {
      email: DEMO_LOGINS.owner.email,
      name: '王老板',
      password_hash: await hashPassword(DEMO_LOGINS.owner.password),
    });
    const leaderUser = await insertUser(trx, {
      email: DEMO_LOGINS.leader.email,
      name: '李姐',
      password_hash: await hashPassword(DEMO_LOGINS.leader.password),
    });
    const shop = await createShop(trx, userRowToUser(owner), {
      name: '王记鲜果',
      slug: DEMO_SHOP_SLUG,
      address: '上海市徐汇区康健路 88 号',
      pickupHours: '每天 9:00–21:00',
      story:
        '开了十二年的社区水果店。王老板每周三次凌晨四点去批发市场挑货，坏果包赔。 A neighbourhood fruit shop for twelve years; Mr Wang picks the fruit at the 4 a.m. wholesale market three times a week.',
    });

    const [strawberries, oranges, apples] = await insertDemoProducts(trx, shop.id);
    if (!strawberries || !oranges || !apples) throw new Error('demo products were not written');
    await insertDemoStream(
      trx,
      shop.id,
      [strawberries.id, oranges.id, apples.id],
      nextEvening(now),
    );

    await trx
      .insertInto('leaders')
      .values({
        shop_id: shop.id,
        user_id: leaderUser.id,
        display_name: '康健新村 李姐',
        community: '康健新村',
        status: 'approved',
        code: DEMO_LEADER_CODE,
        commission_rate: '0.0800',
        pickup_address: '康健新村 12 号楼门卫室',
        pickup_hours: '每天 17:00–20:00',
        approved_at: now,
      })
      .execute();
    return true;
  });
}

function insertDemoProducts(trx: Transaction<DB>, shopId: string) {
  return trx
    .insertInto('products')
    .values([
      {
        shop_id: shopId,
        name: '丹东红颜草莓 500g',
        description: '个大汁多，当天到店。 Big, juicy, in the shop the same day.',
        story:
          '丹东东港的李家大棚，种了二十年草莓。王老板每周去一次，现场挑最红的一批。 From the Li family greenhouses in Donggang, Dandong.',
        image_url: '/demo/strawberries.svg',
        price_cents: 3990,
        stock: 80,
      },
      {
        shop_id: shopId,
        name: '赣南脐橙 5 斤装',
        description: '皮薄无籽，甜度 13 度以上。 Thin-skinned, seedless, sweet.',
        story:
          '江西信丰的果园直发，树上熟透再摘。 Straight from an orchard in Xinfeng, Jiangxi, picked ripe.',
        image_url: '/demo/oranges.svg',
        price_cents: 2990,
        stock: 120,
      },
      {
        shop_id: shopId,
        name: '烟台红富士苹果 3 斤',
        description: '脆甜，适合带饭。 Crisp and sweet, good for lunch boxes.',
        story: '山东烟台栖霞的老果农，冷库恒温保存。 From old growers in Qixia, Yantai.',
        image_url: '/demo/apples.svg',
        price_cents: 2500,
        stock: 60,
      },
    ])
    .returning(['id', 'price_cents'])
    .execute();
}

/** The demo's scheduled stream and its offers: one with a limit, one group buy, one plain. */
async function insertDemoStream(
  trx: Transaction<DB>,
  shopId: string,
  [strawberriesId, orangesId, applesId]: [string, string, string],
  scheduledAt: Date,
): Promise<void> {
  const stream = await trx
    .insertInto('streams')
    .values({
      shop_id: shopId,
      title: '凌晨四点的批发市场：跟王老板挑草莓',
      cover_url: '/demo/strawberries.svg',
      scheduled_at: scheduledAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('offers')
    .values([
      {
        stream_id: stream.id,
        product_id: strawberriesId,
        price_cents: 3290,
        quantity: 50,
        remaining: 50,
        per_buyer_limit: 3,
      },
      {
        stream_id: stream.id,
        product_id: orangesId,
        price_cents: 2490,
        quantity: 60,
        remaining: 60,
        group_min: 10,
        group_deadline: new Date(scheduledAt.getTime() + 3 * 3_600_000),
      },
      {
        stream_id: stream.id,
        product_id: applesId,
        price_cents: 1990,
        quantity: 40,
        remaining: 40,
      },
    ])
    .execute();
}
