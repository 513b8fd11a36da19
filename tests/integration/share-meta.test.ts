import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DB } from '../../db/schema';
import { approvedLeader, json, setUpShop, startServerProcess } from '../helpers/server-process';
import { freePort } from '../setup/ports';

// Links that look right when pasted (issue 10, part 5): a link-preview crawler fetches the
// page as HTML, with no JavaScript and no cookies, and reads its Open Graph tags. The whole
// app runs as `npm start` runs it (API and the built pages, web/build, on one port).

const CRAWLER = 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)';

const db = new Kysely<DB>({
  dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: inject('databaseUrl') }) }),
});
let app: Awaited<ReturnType<typeof startServerProcess>>;

beforeAll(async () => {
  app = await startServerProcess(inject('databaseUrl'), await freePort(), { API_ONLY: '0' });
});
afterAll(async () => {
  await app?.kill('SIGTERM');
  await db.destroy();
});

/** The page as a crawler gets it: following redirects, no cookies, no scripts. */
async function crawl(path: string) {
  const res = await fetch(`${app.baseUrl}${path}`, {
    headers: { 'user-agent': CRAWLER, accept: 'text/html' },
    redirect: 'follow',
  });
  expect(res.status, path).toBe(200);
  return { url: res.url, html: await res.text() };
}

/** The content of each <meta property|name=…> in the HTML, by its key. */
function metaTags(html: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const [tag] of html.matchAll(/<meta\b[^>]*>/g)) {
    const key = /\b(?:property|name)="([^"]+)"/.exec(tag)?.[1];
    const content = /\bcontent="([^"]*)"/.exec(tag)?.[1];
    if (key && content !== undefined) tags.set(key, decode(content));
  }
  return tags;
}

function decode(text: string): string {
  return text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** og:image is absolute, on this origin, and really an image. */
async function expectServedImage(url: string | undefined) {
  expect(url).toMatch(new RegExp(`^${app.baseUrl}/`));
  const res = await fetch(url!, { headers: { 'user-agent': CRAWLER } });
  expect(res.status, url).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^image\//);
}

describe('the HTML a link-preview crawler reads', () => {
  it('/live/<id>: title, description with the price, an absolute picture and the price tags', async () => {
    const { owner, streamId } = await setUpShop(app.baseUrl, { quantity: 50 });
    const { html } = await crawl(`/live/${streamId}`);
    const og = metaTags(html);
    expect(og.get('og:title')).toContain('闪购');
    expect(og.get('og:description')).toContain('草莓 ¥9.90');
    expect(og.get('og:description')).toContain('重启鲜果');
    expect(og.get('og:url')).toBe(`${app.baseUrl}/live/${streamId}`);
    expect(og.get('product:price:amount')).toBe('9.90');
    expect(og.get('product:price:currency')).toBe('CNY');
    expect(og.get('twitter:card')).toBe('summary_large_image');
    // no cover, no product picture, no logo: the default picture, served from web/static
    expect(og.get('og:image')).toBe(`${app.baseUrl}/share/linli-share.jpg`);
    await expectServedImage(og.get('og:image'));

    // with a cover, the cover; with a leader's ref, the ref stays on the canonical link
    const patch = await fetch(`${app.baseUrl}/api/streams/${streamId}`, {
      method: 'PATCH',
      headers: { origin: app.baseUrl, cookie: owner.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ coverUrl: '/demo/strawberries.svg' }),
    });
    expect(patch.status).toBe(200);
    const withCover = metaTags((await crawl(`/live/${streamId}?ref=abc123`)).html);
    expect(withCover.get('og:image')).toBe(`${app.baseUrl}/demo/strawberries.svg`);
    await expectServedImage(withCover.get('og:image'));
    expect(withCover.get('og:url')).toBe(`${app.baseUrl}/live/${streamId}?ref=abc123`);
  });

  it('/shop/<slug>: the shop, its next stream and an absolute picture', async () => {
    const { shopId } = await setUpShop(app.baseUrl, { quantity: 5 });
    const shop = await db
      .selectFrom('shops')
      .select(['slug', 'name'])
      .where('id', '=', shopId)
      .executeTakeFirstOrThrow();
    const og = metaTags((await crawl(`/shop/${shop.slug}`)).html);
    expect(og.get('og:title')).toContain(shop.name);
    expect(og.get('og:description')).toContain('闪购');
    expect(og.get('og:url')).toBe(`${app.baseUrl}/shop/${shop.slug}`);
    expect(og.get('twitter:card')).toBe('summary_large_image');
    await expectServedImage(og.get('og:image'));
  });

  it("/s/<code>: the live stream's tags, the click recorded, and the order credited to the leader", async () => {
    const { owner, shopId, streamId, offerId } = await setUpShop(app.baseUrl, { quantity: 50 });
    const code = await approvedLeader(app.baseUrl, db, shopId);
    expect((await owner.post(`/api/streams/${streamId}/start`, {})).status).toBe(200);

    // the crawler follows the short link to the live stream and reads its tags
    const crawled = await crawl(`/s/${code}`);
    expect(crawled.url).toBe(`${app.baseUrl}/live/${streamId}?ref=${code}`);
    const og = metaTags(crawled.html);
    expect(og.get('og:title')).toContain('闪购');
    expect(og.get('og:description')).toContain('¥9.90');
    expect(og.get('og:url')).toBe(`${app.baseUrl}/live/${streamId}?ref=${code}`);
    expect(og.get('product:price:amount')).toBe('9.90');
    await expectServedImage(og.get('og:image'));

    // a resident taps the link: the redirect is unchanged, the click is theirs, the order too
    const tapped = await fetch(`${app.baseUrl}/s/${code}`, { redirect: 'manual' });
    expect(tapped.status).toBe(302);
    expect(tapped.headers.get('location')).toBe(`/live/${streamId}?ref=${code}`);
    const visitor = tapped.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .find((c) => c?.startsWith('linli_vid='));
    expect(visitor).toBeTruthy();
    const guest = await fetch(`${app.baseUrl}/api/auth/guest`, {
      method: 'POST',
      headers: { origin: app.baseUrl, cookie: visitor!, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '楼下阿姨' }),
    });
    expect(guest.status).toBe(201);
    const session = guest.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .filter((c): c is string => Boolean(c));
    const placed = await fetch(`${app.baseUrl}/api/streams/${streamId}/orders`, {
      method: 'POST',
      headers: {
        origin: app.baseUrl,
        cookie: [visitor!, ...session].join('; '),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ offerId, quantity: 1, phone: '13800138000' }),
    });
    expect(placed.status).toBe(201);
    const { order } = await json<{ order: { id: string; leaderId: string | null } }>(placed);
    const leader = await db
      .selectFrom('leaders')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    expect(order.leaderId).toBe(leader.id);
    const clicks = await db
      .selectFrom('leader_clicks')
      .select(['visitor_key', 'stream_id'])
      .where('leader_id', '=', leader.id)
      .execute();
    // the crawler's visit and the resident's, each against the live stream
    expect(clicks).toHaveLength(2);
    expect(clicks.every((c) => c.stream_id === streamId)).toBe(true);
  });
});
