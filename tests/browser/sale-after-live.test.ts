import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import { apiAs, liveShop, useBrowser } from '../helpers/browser-setup';
import { uniquePhone } from '../helpers/phones';

// The 小黄车 and the sale after the live: a resident buys an offer that is not pinned from the
// bag during the live, and buys again from it after the owner has ended the stream.

const baseUrl = inject('baseUrl');
const browser = useBrowser();

async function buyFromTheBag(page: Page, productName: string, nickname?: string) {
  await page.getByTestId('bag-open').click();
  await page.getByTestId('bag').waitFor();
  const item = page.getByTestId('bag-item').filter({ hasText: productName });
  await item.getByTestId('bag-buy').click();
  await page.getByTestId('order-sheet').waitFor();
  expect(await page.getByTestId('order-sheet').textContent()).toContain(productName);
  if (nickname) await page.getByTestId('order-nickname').fill(nickname);
  await page.getByTestId('order-phone').fill(uniquePhone());
  await page.getByTestId('order-confirm').click();
  await page.getByTestId('order-done').waitFor();
  await page.getByRole('button', { name: '关闭' }).click();
}

/** A time as a datetime-local input takes it, in the browser's (and this process's) zone. */
function dateTimeInput(at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
}

describe('the 小黄车, live and after', () => {
  it('every open offer is buyable from the bag, and still after the live has ended', async () => {
    const ownerContext = await browser().newContext(PHONE);
    const owner = apiAs(ownerContext);
    const { shopId, streamId } = await liveShop(owner, {
      tag: 'bag',
      owner: '冯老板',
      password: 'long-enough-pass',
      shop: { name: '冯记果园', address: '康健路 12 号', pickupHours: '每天 8:00–20:00' },
      product: {
        name: '赣南脐橙 5 斤',
        priceCents: 3500,
        stock: 100,
        imageUrl: '/demo/oranges.svg',
      },
      stream: { title: '果园直发' },
      offer: { priceCents: 2990, quantity: 30 },
      pin: true,
    });
    // a second offer, never pinned
    const { product } = await owner.post<{ product: { id: string } }>(
      `/api/shops/${shopId}/products`,
      { name: '丑橘 3 斤', priceCents: 2500, stock: 50, imageUrl: '/demo/strawberries.svg' },
      201,
    );
    await owner.post(
      `/api/streams/${streamId}/offers`,
      { productId: product.id, priceCents: 1990, quantity: 20 },
      201,
    );
    await owner.post(`/api/streams/${streamId}/start`);
    /** Whether the stream's sale end, as the API has it, is `at` (the input keeps minutes). */
    const saleEndsWithinAMinuteOf = async (at: Date) => {
      const { stream } = await owner.get<{ stream: { saleEndsAt: string } }>(
        `/api/streams/${streamId}`,
      );
      return Math.abs(Date.parse(stream.saleEndsAt) - at.getTime()) < 60_000;
    };

    // live, the owner gives the sale until the day after tomorrow from the studio
    const studio = await ownerContext.newPage();
    await studio.goto(`${baseUrl}/studio/${streamId}`);
    const inTwoDays = new Date(Date.now() + 48 * 3600_000);
    await studio.getByTestId('sale-end-input').fill(dateTimeInput(inTwoDays));
    await studio.getByTestId('sale-end-save').click();
    await expect.poll(() => saleEndsWithinAMinuteOf(inTwoDays)).toBe(true);
    await studio.getByTestId('sale-end').scrollIntoViewIfNeeded();
    await screenshot(studio, 'sale-end-studio-phone');
    await studio.close();

    const context = await browser().newContext(PHONE);
    const trouble = watchForTrouble(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/live/${streamId}`);
    await page.getByTestId('offer-card').waitFor();
    expect(await page.getByTestId('bag-open').textContent()).toContain('商品 2');

    // the bag lists both, the pinned one marked; the other is bought from it
    await page.getByTestId('bag-open').click();
    await expect.poll(() => page.getByTestId('bag-item').count()).toBe(2);
    expect(await page.getByTestId('bag-item').first().textContent()).toContain('正在讲解');
    await screenshot(page, 'bag-live-phone');
    await page.getByRole('button', { name: '关闭' }).click();
    await buyFromTheBag(page, '丑橘 3 斤', '褚阿姨');
    await page.getByTestId('bag-open').click();
    await expect
      .poll(() =>
        page
          .getByTestId('bag-item')
          .filter({ hasText: '丑橘' })
          .getByTestId('bag-stock')
          .textContent(),
      )
      .toContain('剩 19 件');
    await page.getByRole('button', { name: '关闭' }).click();

    // the owner ends the live: the page says so and the sale goes on from the bag
    await owner.post(`/api/streams/${streamId}/end`);
    await expect
      .poll(() => page.getByTestId('watch-page').getAttribute('data-status'))
      .toBe('ended');
    const bag = page.getByTestId('bag-open');
    await expect.poll(() => bag.textContent()).toContain('直播已结束');
    expect(await bag.textContent()).toContain('售卖至');
    await screenshot(page, 'bag-after-live-phone');
    await buyFromTheBag(page, '赣南脐橙 5 斤');

    const mine = await apiAs(context).get<{ orders: { productName: string; status: string }[] }>(
      '/api/me/orders',
    );
    expect(mine.orders.map((o) => o.productName).sort()).toEqual(['丑橘 3 斤', '赣南脐橙 5 斤']);
    expect(trouble).toEqual([]);
    await context.close();

    // after the end the owner sees until when, and gives the sale one more day from the plan page
    const plan = await ownerContext.newPage();
    await plan.goto(`${baseUrl}/dashboard/streams/${streamId}`);
    await expect.poll(() => plan.getByTestId('sale-end-now').textContent()).toContain('售卖至');
    const later = new Date(Date.now() + 72 * 3600_000);
    await plan.getByTestId('sale-end-input').fill(dateTimeInput(later));
    await plan.getByTestId('sale-end-save').click();
    await expect.poll(() => saleEndsWithinAMinuteOf(later)).toBe(true);
    await screenshot(plan, 'sale-end-owner-phone');
    await ownerContext.close();
  });
});
