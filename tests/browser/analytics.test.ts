import { describe, expect, inject, it } from 'vitest';
import { LAPTOP, PHONE, screenshot } from '../helpers/browser';
import { signedInContext, useBrowser, useSeededShop } from '../helpers/browser-setup';

const baseUrl = inject('baseUrl');
const browser = useBrowser();
const { seed } = useSeededShop();

async function signedInOwner(size: typeof PHONE | typeof LAPTOP) {
  const { context, trouble } = await signedInContext(browser(), seed().owner, {
    ...size,
    locale: 'zh-CN',
  });
  return { context, trouble, page: await context.newPage() };
}

describe('stream analytics page', () => {
  for (const [name, size] of [
    ['phone', PHONE],
    ['laptop', LAPTOP],
  ] as const) {
    it(`shows the numbers, the timeline and the tables on a ${name}`, async () => {
      const { context, trouble, page } = await signedInOwner(size);
      await page.goto(`${baseUrl}/dashboard/streams/${seed().streamId}/analytics`);
      await page.getByTestId('analytics-page').waitFor();
      const value = (id: string) => page.getByTestId(`stat-${id}-value`).textContent();
      expect(await value('gmv')).toBe('¥75.00');
      expect(await value('orders')).toBe('3');
      expect(await value('units')).toBe('6');
      expect(await value('unique-viewers')).toBe('3');
      expect(await value('peak-viewers')).toBe('3');
      expect(await value('conversion')).toBe('66.7%');
      expect(await value('comments')).toBe('6');
      await expect
        .poll(() => page.getByTestId('segment-mark').allTextContents())
        .toEqual([expect.stringContaining('源头'), expect.stringContaining('后厨')]);
      // the chart drew on its canvas (its library loads after the page, and draws once it
      // has: on a busy machine that can be a moment after the figures show)
      await expect
        .poll(() =>
          page
            .getByTestId('timeline-chart')
            .locator('canvas')
            .evaluate((c: HTMLCanvasElement) => c.width > 0 && c.toDataURL().length > 5000),
        )
        .toBe(true);
      await page.getByText('查看每分钟数据').click();
      expect(await page.getByTestId('timeline-table').locator('tbody tr').count()).toBe(12);
      expect(await page.getByTestId('offer-row').count()).toBe(1);
      expect(await page.getByTestId('offer-gmv').textContent()).toBe('¥75.00');
      expect(await page.getByTestId('leader-gmv').allTextContents()).toEqual(['¥75.00']);
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      ).toBe(true);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `analytics-${name}`);

      const download = page.waitForEvent('download');
      await page.getByTestId('export-csv').click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/^orders-.+\.csv$/);
      expect(trouble).toEqual([]);
      await context.close();
    });
  }

  it('refuses another account', async () => {
    const context = await browser().newContext(LAPTOP);
    await context.request.post(`${baseUrl}/api/auth/signup`, {
      data: { email: `other-${Date.now()}@example.cn`, password: 'longenough-pass', name: '别人' },
    });
    const page = await context.newPage();
    const res = await page.goto(`${baseUrl}/dashboard/streams/${seed().streamId}/analytics`);
    expect(res?.status()).toBe(403);
    await context.close();
  });
});
