import type { Page } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { DB } from '../../db/schema';
import { join } from 'node:path';
import { PHONE, readQr, SCREENSHOT_DIR, screenshot, watchForTrouble } from '../helpers/browser';
import { apiAs, hoursFromNow, liveShop, signUp, useBrowser } from '../helpers/browser-setup';
import { kyselyFor } from '../setup/services';

// Sharing (issue 10, part 5): the leader centre lists each stream a leader can share, with
// the leader's link, a copy button and a poster; the watch and shop pages have a share
// button that copies the link where the phone has no share sheet.

const baseUrl = inject('baseUrl');
const browser = useBrowser();
const db = kyselyFor<DB>(inject('databaseUrl'));
afterAll(async () => {
  await db.destroy();
});

const CLIPBOARD = ['clipboard-read', 'clipboard-write'];

/** The poster's pixels, decoded as a QR code. */
const posterQr = (page: Page) => readQr(page.getByTestId('share-stream-poster-image').first());

describe('sharing a stream', () => {
  it("the leader centre on a phone: each shareable stream with the leader's link, copy and a poster; the share button copies where there is no share sheet", async () => {
    // the owner: a live stream with a cover and one offer, a planned one, a replay still
    // selling, and an ended one whose sale has closed
    const ownerContext = await browser().newContext(PHONE);
    const owner = apiAs(ownerContext);
    const shop = await liveShop(owner, {
      tag: 'share',
      owner: '黄老板',
      shop: { name: '黄记果园', address: '康健新村 12 号' },
      product: { name: '奉化水蜜桃', priceCents: 3900, stock: 200, imageUrl: '/demo/oranges.svg' },
      stream: { title: '水蜜桃现摘直播', coverUrl: '/demo/strawberries.svg' },
      offer: { priceCents: 3900, quantity: 50 },
      pin: true,
      start: true,
    });
    const planned = await owner.post<{ stream: { id: string } }>(
      `/api/shops/${shop.shopId}/streams`,
      { title: '周末水果开箱', scheduledAt: hoursFromNow(26) },
      201,
    );
    const replay = await owner.post<{ stream: { id: string } }>(
      `/api/shops/${shop.shopId}/streams`,
      { title: '昨晚的葡萄专场' },
      201,
    );
    const closed = await owner.post<{ stream: { id: string } }>(
      `/api/shops/${shop.shopId}/streams`,
      { title: '上周的橘子专场' },
      201,
    );
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    await db
      .updateTable('streams')
      .set({ status: 'ended', started_at: hoursAgo(6), ended_at: hoursAgo(5) })
      .set({ sale_ends_at: new Date(Date.now() + 19 * 3_600_000) })
      .where('id', '=', replay.stream.id)
      .execute();
    await db
      .updateTable('streams')
      .set({ status: 'ended', started_at: hoursAgo(80), ended_at: hoursAgo(79) })
      .set({ sale_ends_at: hoursAgo(55) })
      .where('id', '=', closed.stream.id)
      .execute();

    // a resident leads for the shop, approved by the owner
    const leaderContext = await browser().newContext({ ...PHONE, permissions: CLIPBOARD });
    const leaderTrouble = watchForTrouble(leaderContext);
    const leaderApi = apiAs(leaderContext);
    await signUp(leaderApi, '李姐', 'share-leader');
    const applied = await leaderApi.post<{ leader: { id: string } }>(
      `/api/shops/${shop.shopId}/leaders/apply`,
      { displayName: '康健新村·李姐' },
      201,
    );
    const approved = await owner.post<{ leader: { code: string } }>(
      `/api/shops/${shop.shopId}/leaders/${applied.leader.id}/approve`,
      { commissionRate: 0.1 },
    );
    const code = approved.leader.code;

    const leader = await leaderContext.newPage();
    await leader.goto(`${baseUrl}/leader`);
    await leader.getByTestId('share-streams').waitFor();
    await leader.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    const rows = leader.getByTestId('share-stream');
    // live first, then the planned one, then the replay; the closed sale is not offered
    expect(
      await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-stream-id'))),
    ).toEqual([shop.streamId, planned.stream.id, replay.stream.id]);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual([
      'live',
      'scheduled',
      'ended',
    ]);
    const links = await leader
      .getByTestId('share-stream-link')
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(links).toEqual(
      [shop.streamId, planned.stream.id, replay.stream.id].map(
        (id) => `${baseUrl}/live/${id}?ref=${code}`,
      ),
    );
    expect(await rows.nth(2).getByTestId('share-stream-when').textContent()).toContain('可下单至');

    // copy: the link on the clipboard, and 已复制 where the finger is
    await rows.nth(1).getByTestId('share-stream-copy').click();
    await rows.nth(1).locator('[data-testid="share-stream-copy"][data-copied="true"]').waitFor();
    expect(await rows.nth(1).getByTestId('share-stream-copy').textContent()).toContain('已复制');
    expect(await leader.evaluate(() => navigator.clipboard.readText())).toBe(links[1]);
    await screenshot(leader, 'share-leader-streams-phone');

    // the live stream's poster: a phone-shaped PNG whose QR code is the leader's link
    await rows.nth(0).getByTestId('share-stream-poster').click();
    await rows.nth(0).getByTestId('share-stream-poster-image').waitFor();
    const qr = await posterQr(leader);
    expect(qr).toEqual({ text: links[0], width: 750, height: 1334 });
    const downloading = leader.waitForEvent('download');
    await rows.nth(0).getByTestId('share-stream-poster-save').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^linli-[0-9a-f]{8}\.png$/);
    // the poster itself, as the leader saves it, beside the screenshots
    await download.saveAs(join(SCREENSHOT_DIR, 'share-poster-live.png'));
    await screenshot(leader, 'share-leader-poster-phone');

    // a neighbour opens the leader's link on a phone with no share sheet: the button copies
    const residentContext = await browser().newContext({ ...PHONE, permissions: CLIPBOARD });
    const residentTrouble = watchForTrouble(residentContext);
    await residentContext.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'share', { value: undefined, configurable: true });
    });
    const resident = await residentContext.newPage();
    await resident.goto(links[0]!);
    await resident.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await resident.getByTestId('share-button').click();
    await resident.getByTestId('share-copied').waitFor();
    expect(await resident.getByTestId('share-copied').textContent()).toBe('已复制');
    expect(await resident.evaluate(() => navigator.clipboard.readText())).toBe(links[0]);
    await screenshot(resident, 'share-watch-copied-phone');

    // the shop page has one too, with the shop's address and the ref carried on
    const slug = (
      await owner.get<{ shops: { shop: { id: string; slug: string } }[] }>('/api/me/shops')
    ).shops.find((s) => s.shop.id === shop.shopId)!.shop.slug;
    await resident.goto(`${baseUrl}/shop/${slug}?ref=${code}`);
    await resident.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await resident.getByTestId('share-button').click();
    await resident.getByTestId('share-copied').waitFor();
    expect(await resident.evaluate(() => navigator.clipboard.readText())).toBe(
      `${baseUrl}/shop/${slug}?ref=${code}`,
    );
    await screenshot(resident, 'share-shop-copied-phone');

    // where there is a share sheet, it gets the title, the text and the leader's link
    const sheetContext = await browser().newContext(PHONE);
    const sheetTrouble = watchForTrouble(sheetContext);
    await sheetContext.addInitScript(() => {
      const shared: ShareData[] = [];
      Object.defineProperty(window, '__shared', { value: shared });
      Object.defineProperty(Navigator.prototype, 'share', {
        configurable: true,
        value: (data: ShareData) => {
          shared.push(data);
          return Promise.resolve();
        },
      });
    });
    const sheet = await sheetContext.newPage();
    await sheet.goto(links[2]!);
    await sheet.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await sheet.getByTestId('share-button').click();
    await expect
      .poll(() => sheet.evaluate(() => (window as unknown as { __shared: ShareData[] }).__shared))
      .toEqual([
        {
          title: '【回放】昨晚的葡萄专场',
          text: expect.stringContaining('黄记果园'),
          url: links[2],
        },
      ]);
    expect(await sheet.getByTestId('share-copied').count()).toBe(0);

    expect([...leaderTrouble, ...residentTrouble, ...sheetTrouble]).toEqual([]);
    await Promise.all([
      ownerContext.close(),
      leaderContext.close(),
      residentContext.close(),
      sheetContext.close(),
    ]);
  });
});
