import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHousekeeping } from '../../server/jobs/housekeeping.jobs';
import { UPLOAD_QUOTA } from '../../server/services/upload.service';
import { buildTestApp, ORIGIN, serveTestApp, sessionCookie, type Client } from '../helpers/app';
import {
  makeAccount,
  makeBuyer,
  makeOffer,
  makeShop,
  makeShopWithStream,
  order,
  resident,
} from '../helpers/factories';
import { ask, connected, openSocket, until } from '../helpers/sockets';

// Issue 12, "hard on abusers": totals that cannot be stored, pictures from elsewhere, a disk
// filled through uploads, and a signed-out session still talking on its socket.

const dataDir = await mkdtemp(join(tmpdir(), 'linli-hardening-'));
// the sign-up and guest limits are not what this file tests
const GENEROUS_LIMITS = {
  GUESTS_PER_IP_PER_MINUTE: '100000',
  GUESTS_PER_DEVICE_PER_HOUR: '100000',
  SIGNUPS_PER_IP_PER_HOUR: '100000',
  LOGIN_FAILURES_PER_IP_PER_DAY: '100000',
};
const { app, db } = buildTestApp({ DATA_DIR: dataDir, ...GENEROUS_LIMITS });
afterAll(() => db.destroy());

// The smallest valid PNG: a 1×1 transparent pixel.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

async function upload(client: Client): Promise<Response> {
  return app.request('/api/uploads', {
    method: 'POST',
    headers: {
      origin: ORIGIN,
      'content-type': 'image/png',
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
    body: PNG,
  });
}

async function uploaded(client: Client): Promise<string> {
  const res = await upload(client);
  expect(res.status).toBe(201);
  return ((await res.json()) as { url: string }).url;
}

const fileOf = (url: string) => join(dataDir, 'uploads', url.replace('/api/uploads/', ''));

describe('order totals', () => {
  it('refuses an order whose total would not fit, and writes nothing', async () => {
    const shop = await makeShop(app, db);
    // priced before prices were bounded: 99 × ¥300,000 passes 2^31 cents
    const offerId = await makeOffer(db, shop, { quantity: 500, priceCents: 30_000_000 });
    const buyer = await makeBuyer(app);
    const placed = await order(buyer, shop.streamId, { offerId, quantity: 99 });
    expect(placed.status).toBe(400);
    expect(placed.error?.code).toBe('validation_failed');
    expect(placed.error?.message).toMatch(/too large/);
    const orders = await db
      .selectFrom('orders')
      .select('id')
      .where('offer_id', '=', offerId)
      .execute();
    expect(orders).toEqual([]);
    const offer = await db
      .selectFrom('offers')
      .select('remaining')
      .where('id', '=', offerId)
      .executeTakeFirstOrThrow();
    expect(offer.remaining).toBe(500);
    // a quantity whose total fits is taken
    expect((await order(buyer, shop.streamId, { offerId, quantity: 2 })).status).toBe(201);
  });

  it('bounds prices and quantities so that no new offer can overflow', async () => {
    const shop = await makeShop(app, db);
    const product = await shop.owner.post(`/api/shops/${shop.shopId}/products`, {
      name: '金条',
      priceCents: 30_000_000,
      stock: 1,
    });
    expect(product.status).toBe(400);
    const ok = await shop.owner.post(`/api/shops/${shop.shopId}/products`, {
      name: '榴莲',
      priceCents: 20_000_000,
      stock: 100,
    });
    expect(ok.status).toBe(201);
    const { product: made } = (await ok.json()) as { product: { id: string } };
    const offer = await shop.owner.post(`/api/streams/${shop.streamId}/offers`, {
      productId: made.id,
      priceCents: 2 ** 31,
      quantity: 10,
    });
    expect(offer.status).toBe(400);
    const buyer = await makeBuyer(app);
    const offerId = await makeOffer(db, shop, { quantity: 10 });
    const tooMany = await order(buyer, shop.streamId, { offerId, quantity: 100 });
    expect(tooMany.status).toBe(400);
  });
});

describe('pictures come from this app', () => {
  it('refuses a stream cover or product picture from anywhere else', async () => {
    const shop = await makeShop(app, db);
    const cover = await uploaded(shop.owner);
    for (const coverUrl of [
      'https://evil.example/cover.jpg',
      '//evil.example/cover.jpg',
      '/api/uploads/../../etc/passwd',
      `${ORIGIN}${cover}`,
      'data:image/png;base64,AAAA',
    ]) {
      const created = await shop.owner.post(`/api/shops/${shop.shopId}/streams`, {
        title: '外链封面',
        coverUrl,
      });
      expect(created.status, coverUrl).toBe(400);
      const edited = await shop.owner.request('PATCH', `/api/streams/${shop.streamId}`, {
        json: { coverUrl },
      });
      expect(edited.status, coverUrl).toBeGreaterThanOrEqual(400);
      expect(edited.status, coverUrl).toBeLessThan(500);
      const product = await shop.owner.post(`/api/shops/${shop.shopId}/products`, {
        name: '外链图片',
        priceCents: 100,
        stock: 1,
        imageUrl: coverUrl,
      });
      expect(product.status, coverUrl).toBe(400);
    }
    for (const coverUrl of [cover, '/demo/strawberries.svg']) {
      const created = await shop.owner.post(`/api/shops/${shop.shopId}/streams`, {
        title: '自己的封面',
        coverUrl,
      });
      expect(created.status, coverUrl).toBe(201);
    }
  });
});

describe('upload quota', () => {
  it('refuses uploads past the count or the bytes an account may keep', async () => {
    const full = await resident(app, '囤图的人');
    await uploaded(full.client);
    // fill the rest of the quota as earlier uploads would have
    const uploads = join(dataDir, 'uploads');
    const markers = join(uploads, 'owners', full.userId);
    await mkdir(markers, { recursive: true });
    for (let i = 1; i < UPLOAD_QUOTA.files; i += 1) {
      const name = `${randomUUID()}.png`;
      await writeFile(join(uploads, name), PNG);
      await writeFile(join(markers, name), '');
    }
    const refused = await upload(full.client);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'quota_exceeded',
    );
    expect((await readdir(markers)).length).toBe(UPLOAD_QUOTA.files);

    // bytes: one (sparse) file as large as the whole quota
    const big = await resident(app, '大图的人');
    const bigUrl = await uploaded(big.client);
    await truncate(fileOf(bigUrl), UPLOAD_QUOTA.bytes);
    const tooBig = await upload(big.client);
    expect(tooBig.status).toBe(403);

    // everyone else is unaffected
    const other = await resident(app, '邻居');
    expect((await upload(other.client)).status).toBe(201);
  });
});

describe('unused uploads', () => {
  it('housekeeping deletes old uploads nothing uses, file and quota entry, and keeps the rest', async () => {
    const shop = await makeShop(app, db);
    const used = await uploaded(shop.owner);
    const unused = await uploaded(shop.owner);
    const recent = await uploaded(shop.owner);
    const cover = await uploaded(shop.owner);
    const product = await shop.owner.post(`/api/shops/${shop.shopId}/products`, {
      name: '有图的草莓',
      priceCents: 1000,
      stock: 5,
      imageUrl: used,
    });
    expect(product.status).toBe(201);
    const stream = await shop.owner.post(`/api/shops/${shop.shopId}/streams`, {
      title: '有封面的直播',
      coverUrl: cover,
    });
    expect(stream.status).toBe(201);
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
    for (const url of [used, unused, cover]) {
      await utimes(fileOf(url), eightDaysAgo, eightDaysAgo);
    }

    const result = await runHousekeeping(db, { dataDir });
    expect(result.uploads).toBeGreaterThanOrEqual(1);
    expect((await app.request(unused)).status).toBe(404);
    for (const url of [used, recent, cover]) {
      expect((await app.request(url)).status, url).toBe(200);
    }
    const ownerId = (
      await db
        .selectFrom('shops')
        .select('owner_id')
        .where('id', '=', shop.shopId)
        .executeTakeFirstOrThrow()
    ).owner_id;
    const markers = await readdir(join(dataDir, 'uploads', 'owners', ownerId));
    expect(markers.sort()).toEqual(
      [used, recent, cover].map((u) => u.replace('/api/uploads/', '')).sort(),
    );
    // twice is harmless
    await runHousekeeping(db, { dataDir });
    expect((await app.request(used)).status).toBe(200);
  });
});

describe('signing out', () => {
  it("closes the session's sockets: they can no longer post", async () => {
    const served = await serveTestApp();
    try {
      const owner = await makeAccount(served.db, '店主');
      const { stream } = await makeShopWithStream(served.db, owner.id, 'live');
      const viewer = await makeAccount(served.db, '观众');
      const cookie = await sessionCookie(served.url, viewer);
      const other = await sessionCookie(served.url, viewer); // a second device
      const socket = openSocket(served.url, { cookie });
      const otherSocket = openSocket(served.url, { cookie: other });
      await Promise.all([connected(socket), connected(otherSocket)]);
      for (const s of [socket, otherSocket]) {
        expect(await ask(s, 'stream:join', { streamId: stream.id })).toMatchObject({ ok: true });
      }
      expect(await ask(socket, 'comment:send', { text: '还在吗' })).toMatchObject({ ok: true });
      let reason = '';
      socket.on('disconnect', (r) => (reason = r));

      const out = await fetch(`${served.url}/api/auth/logout`, {
        method: 'POST',
        headers: { origin: served.url, cookie, 'content-type': 'application/json' },
      });
      expect(out.status).toBe(204);
      await until(() => reason !== '', 5000, 'the socket to be closed');
      expect(reason).toBe('io server disconnect');
      // the other device's session is its own, and stays
      expect(otherSocket.connected).toBe(true);

      // connecting again with the old cookie: a visitor, who cannot post
      const again = openSocket(served.url, { cookie });
      await connected(again);
      expect(await ask(again, 'stream:join', { streamId: stream.id })).toMatchObject({ ok: true });
      expect(await ask(again, 'comment:send', { text: '我又来了' })).toMatchObject({
        error: { code: 'unauthenticated' },
      });
      for (const s of [socket, otherSocket, again]) s.disconnect();
    } finally {
      await served.close();
    }
  });
});
