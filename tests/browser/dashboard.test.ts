import { describe, expect, inject, it } from 'vitest';
import { formatDateTime } from '../../web/src/lib/datetime';
import { LAPTOP, PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import { signedInContext, useBrowser, useSeededShop } from '../helpers/browser-setup';

const baseUrl = inject('baseUrl');
const browser = useBrowser();
const { seed } = useSeededShop();

const SIZES = [
  ['phone', PHONE],
  ['laptop', LAPTOP],
] as const;

async function context(size: typeof PHONE | typeof LAPTOP, signIn: boolean) {
  const options = { ...size, locale: 'zh-CN' };
  const { context: ctx, trouble } = signIn
    ? await signedInContext(browser(), seed().owner, options)
    : await browser()
        .newContext(options)
        .then((c) => ({ context: c, trouble: watchForTrouble(c) }));
  return { ctx, trouble, page: await ctx.newPage() };
}

const fitsWidth = () => document.documentElement.scrollWidth <= window.innerWidth;

describe('owner dashboard', () => {
  for (const [name, size] of SIZES) {
    it(`shows streams by state, what to prepare, refunds with their age and leaders to approve (${name})`, async () => {
      const { ctx, trouble, page } = await context(size, true);
      await page.goto(`${baseUrl}/dashboard`);
      const shop = page.locator(`[data-testid="dashboard-shop"][data-shop-id="${seed().shopId}"]`);
      await shop.waitFor();
      const stream = (id: string) =>
        shop.locator(`[data-testid="dashboard-stream"][data-stream-id="${id}"]`);
      await expect.poll(() => stream(seed().liveId).textContent()).toContain('直播中');
      expect(await stream(seed().scheduledId).getByTestId('stream-plan').count()).toBe(1);
      expect(await stream(seed().streamId).getByTestId('stream-analytics').count()).toBe(1);
      expect(await shop.getByTestId('prepare-point').textContent()).toContain('3 单 · 6 件');
      const refund = shop.getByTestId('refund-item');
      expect(await refund.textContent()).toMatch(/已等 \d+ 分钟/);
      expect(await shop.getByTestId('pending-leader').textContent()).toContain('刘叔');
      expect(await page.evaluate(fitsWidth)).toBe(true);
      await screenshot(page, `owner-dashboard-${name}`);

      // from a past stream to its numbers
      await stream(seed().streamId).getByTestId('stream-analytics').click();
      await page.getByTestId('analytics-page').waitFor();
      expect(await page.getByTestId('stat-gmv-value').textContent()).toBe('¥75.00');
      expect(trouble).toEqual([]);
      await ctx.close();
    });
  }

  it('plans a stream: adds an offer with a live price, a group threshold and a limit', async () => {
    const { ctx, trouble, page } = await context(PHONE, true);
    await page.goto(`${baseUrl}/dashboard/streams/${seed().scheduledId}`);
    await page.getByTestId('stream-plan-page').waitFor();
    // the price prefill is the page's script: wait until it runs
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await page.getByTestId('offer-product').selectOption({ label: '丹东草莓 500g · ¥15.00' });
    expect(await page.getByTestId('offer-price').inputValue()).toBe('15.00');
    await page.getByTestId('offer-price').fill('12.5');
    await page.getByTestId('offer-quantity').fill('30');
    await page.getByTestId('offer-group-min').fill('10');
    await page.getByTestId('offer-limit').fill('3');
    await page.getByRole('button', { name: '上架' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('成团件数和成团截止时间');
    const deadline = new Date(Date.now() + 3 * 24 * 3600_000);
    await page
      .getByTestId('offer-group-deadline')
      .fill(
        `${deadline.getFullYear()}-${String(deadline.getMonth() + 1).padStart(2, '0')}-${String(deadline.getDate()).padStart(2, '0')}T20:00`,
      );
    await page.getByRole('button', { name: '上架' }).click();
    const offer = page.getByTestId('plan-offer');
    await expect.poll(() => offer.count()).toBe(1);
    expect(await offer.textContent()).toContain('¥12.50');
    expect(await offer.textContent()).toContain('满 10 件成团');
    expect(await page.evaluate(fitsWidth)).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'stream-plan-phone');
    const view = await ctx.request.get(`${baseUrl}/api/streams/${seed().scheduledId}`);
    const body = (await view.json()) as {
      stream: { offers: { priceCents: number; groupMin: number | null }[] };
    };
    expect(body.stream.offers).toEqual([
      expect.objectContaining({ priceCents: 1250, groupMin: 10 }),
    ]);
    expect(trouble).toEqual([]);
    await ctx.close();
  });
});

describe('editing a plan', () => {
  const DAY = 86_400_000;
  /** The value of an <input type="datetime-local"> in this machine's zone (the browser's). */
  const localInput = (d: Date) => {
    const two = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
  };

  for (const [name, size] of SIZES) {
    it(`edits a stream's title and time and an offer's price; watchers see them (${name})`, async () => {
      const { ctx, trouble, page } = await context(size, true);
      const call = async (method: 'post' | 'patch', path: string, data: unknown) => {
        const res = await ctx.request.fetch(`${baseUrl}${path}`, {
          method,
          headers: { origin: baseUrl },
          data,
        });
        expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300);
        return (await res.json()) as Record<string, { id: string }>;
      };
      const products = (await (
        await ctx.request.get(`${baseUrl}/api/shops/${seed().shopId}/products`)
      ).json()) as { products: { id: string }[] };
      const productId = products.products[0]?.id ?? '';
      const scheduledId = (
        await call('post', `/api/shops/${seed().shopId}/streams`, {
          title: '周六试吃会',
          scheduledAt: new Date(Date.now() + 2 * DAY).toISOString(),
        })
      ).stream!.id;
      await call('post', `/api/streams/${scheduledId}/offers`, {
        productId,
        priceCents: 1500,
        quantity: 20,
      });

      // the stream: mistakes are explained next to the field, then the change is saved
      await page.goto(`${baseUrl}/dashboard/streams/${scheduledId}`);
      await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
      await page.getByTestId('stream-edit-open').click();
      const title = page.getByTestId('stream-edit-title');
      const time = page.getByTestId('stream-edit-time');
      await title.fill('  ');
      await page.getByTestId('stream-edit-save').click();
      expect(await page.getByTestId('stream-edit-error').textContent()).toBe('请填写直播标题');
      expect(await title.getAttribute('aria-invalid')).toBe('true');
      await title.fill('周日试吃会：阳光玫瑰');
      await time.fill(localInput(new Date(Date.now() - DAY)));
      await page.getByTestId('stream-edit-save').click();
      expect(await page.getByTestId('stream-edit-error').textContent()).toBe(
        '开播时间不能早于现在',
      );
      expect(await page.evaluate(fitsWidth)).toBe(true);
      await screenshot(page, `plan-edit-stream-${name}`);
      const at = new Date(Date.now() + 3 * DAY);
      at.setHours(19, 30, 0, 0);
      await time.fill(localInput(at));
      await page.getByTestId('stream-edit-save').click();
      await expect
        .poll(() => page.getByTestId('plan-title').textContent())
        .toBe('周日试吃会：阳光玫瑰');
      expect(await page.getByTestId('plan-time').textContent()).toBe(
        formatDateTime(at.toISOString(), 'zh-CN'),
      );

      // the offer: a bad price is explained, a good one saved
      const offer = page.getByTestId('plan-offer');
      await offer.getByTestId('offer-edit-open').click();
      await offer.getByTestId('offer-edit-price').fill('9.999');
      await offer.getByTestId('offer-edit-save').click();
      expect(await offer.getByTestId('offer-edit-error').textContent()).toBe(
        '请输入有效的价格，例如 12.50',
      );
      await offer.getByTestId('offer-edit-price').fill('9.9');
      await offer.getByTestId('offer-edit-quantity').fill('40');
      await offer.getByTestId('offer-edit-limit').fill('2');
      expect(await page.evaluate(fitsWidth)).toBe(true);
      await screenshot(page, `plan-edit-offer-${name}`);
      await offer.getByTestId('offer-edit-save').click();
      await expect.poll(() => offer.getByTestId('plan-offer-price').textContent()).toBe('¥9.90');
      expect(await offer.textContent()).toContain('剩余 40 / 40');
      expect(await offer.textContent()).toContain('每人限 2 件');
      expect(await page.evaluate(fitsWidth)).toBe(true);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `plan-edited-${name}`);

      // a resident opening the watch page sees the new title, time and countdown
      const visitor = await browser().newContext({ ...size, locale: 'zh-CN' });
      const visitorTrouble = watchForTrouble(visitor);
      const watch = await visitor.newPage();
      await watch.goto(`${baseUrl}/live/${scheduledId}`);
      const card = watch.getByTestId('live-scheduled');
      await card.waitFor();
      expect(await card.locator('h1').textContent()).toBe('周日试吃会：阳光玫瑰');
      expect(await watch.getByTestId('live-starts-at').textContent()).toContain(
        formatDateTime(at.toISOString(), 'zh-CN'),
      );
      expect(await watch.getByTestId('live-countdown').count()).toBe(1);
      const ics = await visitor.request.get(`${baseUrl}/api/streams/${scheduledId}/calendar.ics`);
      expect(await ics.text()).toContain(
        `DTSTART:${at
          .toISOString()
          .replace(/[-:]/g, '')
          .replace(/\.\d+Z$/, 'Z')}`,
      );
      await screenshot(watch, `watch-edited-${name}`);
      // an edit made while the page is open reaches it without a reload (signed out too)
      await watch.locator('[data-realtime=joined]').waitFor({ state: 'attached' });
      await call('patch', `/api/streams/${scheduledId}`, { title: '周日试吃会：改到下午' });
      await expect
        .poll(() => card.locator('h1').textContent(), { timeout: 10_000 })
        .toBe('周日试吃会：改到下午');
      expect(await watch.title()).toContain('周日试吃会：改到下午');

      // live: the owner changes the pinned offer's price; the watcher's card follows at once
      const liveId = (
        await call('post', `/api/shops/${seed().shopId}/streams`, { title: '后厨切果盘' })
      ).stream!.id;
      const pinned = (
        await call('post', `/api/streams/${liveId}/offers`, {
          productId,
          priceCents: 1500,
          quantity: 20,
        })
      ).offer!.id;
      await call('post', `/api/streams/${liveId}/offers/${pinned}/pin`, undefined);
      await call('post', `/api/streams/${liveId}/start`, undefined);
      await watch.goto(`${baseUrl}/live/${liveId}`);
      await watch.locator('html[data-hydrated]').waitFor({ state: 'attached' });
      const price = watch.getByTestId('offer-price');
      expect(await price.textContent()).toBe('¥15.00');

      await page.goto(`${baseUrl}/dashboard/streams/${liveId}`);
      await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
      // once live, only the title can change
      await page.getByTestId('stream-edit-open').click();
      expect(await page.getByTestId('stream-edit-time').count()).toBe(0);
      expect(await page.getByTestId('stream-edit').textContent()).toContain(
        '直播进行中，只能修改标题。',
      );
      await page.getByRole('button', { name: '取消' }).click();
      await page.getByTestId('offer-edit-open').click();
      await page.getByTestId('offer-edit-price').fill('12.8');
      await page.getByTestId('offer-edit-save').click();
      await expect.poll(() => price.textContent(), { timeout: 10_000 }).toBe('¥12.80');
      await screenshot(watch, `watch-price-edited-${name}`);
      // the shop page's tests expect one live stream in this shop
      await call('post', `/api/streams/${liveId}/end`, undefined);

      expect(trouble).toEqual([]);
      expect(visitorTrouble).toEqual([]);
      await visitor.close();
      await ctx.close();
    });
  }
});

describe('public shop page', () => {
  for (const [name, size] of SIZES) {
    it(`shows the live stream first, upcoming ones with a calendar reminder, and past ones (${name})`, async () => {
      const { ctx, trouble, page } = await context(size, false);
      await page.goto(`${baseUrl}/shop/${seed().slug}`);
      await page.getByTestId('shop-page').waitFor();
      const live = page.getByTestId('shop-live-now');
      // server-rendered links are relative ('../live/…'); what matters is where they lead
      const href = (await live.getAttribute('href')) ?? '';
      expect(new URL(href, page.url()).pathname).toBe(`/live/${seed().liveId}`);
      const upcoming = page.locator(
        `[data-testid="stream-card"][data-stream-id="${seed().scheduledId}"]`,
      );
      const ics = await upcoming.getByTestId('stream-calendar').getAttribute('href');
      expect(ics).toBe(`/api/streams/${seed().scheduledId}/calendar.ics`);
      const file = await ctx.request.get(`${baseUrl}${ics ?? ''}`);
      expect(file.headers()['content-type']).toMatch(/text\/calendar/);
      expect(
        await page
          .locator(`[data-testid="past-stream"][data-stream-id="${seed().streamId}"]`)
          .count(),
      ).toBe(1);
      expect(await page.getByTestId('shop-story').textContent()).toContain('凌晨四点');
      expect(await page.evaluate(fitsWidth)).toBe(true);
      await screenshot(page, `shop-page-${name}`);
      await live.click();
      await page.waitForURL(`**/live/${seed().liveId}`);
      expect(trouble).toEqual([]);
      await ctx.close();
    });
  }
});
