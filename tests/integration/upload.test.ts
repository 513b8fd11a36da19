import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, Client } from '../helpers/app';
import { makeBuyer, makeOffer, makeShop, order } from '../helpers/factories';

const dataDir = mkdtempSync(join(tmpdir(), 'linli-uploads-'));
const { app, db } = buildTestApp({ DATA_DIR: dataDir });
afterAll(() => db.destroy());

// The smallest valid PNG: a 1×1 transparent pixel.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

async function upload(client: Client, body: Buffer | string, type: string) {
  return client.request('POST', '/api/uploads', {
    body: typeof body === 'string' ? body : body.toString('latin1'),
    headers: { 'content-type': type },
  });
}

describe('photo uploads', () => {
  it('stores a PNG under DATA_DIR and serves it back with its type', async () => {
    const buyer = await makeBuyer(app);
    const res = await app.request('/api/uploads', {
      method: 'POST',
      headers: {
        origin: 'http://localhost',
        'content-type': 'image/png',
        cookie: [...buyer.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: PNG,
    });
    expect(res.status).toBe(201);
    const { url } = (await res.json()) as { url: string };
    expect(url).toMatch(/^\/api\/uploads\/[a-f0-9-]{36}\.png$/);
    const got = await app.request(url);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await got.arrayBuffer()).equals(PNG)).toBe(true);

    // and a refund request can carry it
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 3 });
    const placed = await order(buyer, shop.streamId, { offerId });
    const refund = await buyer.post(`/api/orders/${placed.order!.id}/refund-requests`, {
      reason: '坏果',
      photoUrl: url,
    });
    expect(refund.status).toBe(201);
  });

  it('refuses what is not an image, too large, unsigned, cross-origin or a path trick', async () => {
    const buyer = await makeBuyer(app);
    expect((await upload(buyer, 'hello', 'image/png')).status).toBe(415);
    expect((await upload(buyer, 'hello', 'text/plain')).status).toBe(415);
    const html = await upload(buyer, '<script>alert(1)</script>', 'image/jpeg');
    expect(html.status).toBe(415);
    expect(await html.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    const big = await upload(buyer, 'x'.repeat(5 * 1024 * 1024 + 10), 'image/png');
    expect(big.status).toBe(413);
    const anon = new Client(app);
    expect((await upload(anon, PNG, 'image/png')).status).toBe(401);
    const cross = await buyer.request('POST', '/api/uploads', {
      body: 'x',
      headers: { 'content-type': 'image/png', origin: 'https://evil.example' },
    });
    expect(cross.status).toBe(403);
    expect((await app.request('/api/uploads/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
    expect(
      (await app.request('/api/uploads/00000000-0000-0000-0000-000000000000.png')).status,
    ).toBe(404);
    // every other route still refuses non-JSON bodies and large ones
    const other = await buyer.request('POST', '/api/auth/guest', {
      body: 'x',
      headers: { 'content-type': 'image/png' },
    });
    expect(other.status).toBe(415);
    // a photo URL must be one of ours
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 3 });
    const placed = await order(buyer, shop.streamId, { offerId });
    const bad = await buyer.post(`/api/orders/${placed.order!.id}/refund-requests`, {
      reason: 'x',
      photoUrl: 'https://evil.example/a.png',
    });
    expect(bad.status).toBe(400);
  });
});
