import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import { apiAs, liveShop, useBrowser } from '../helpers/browser-setup';
import { uniquePhone } from '../helpers/phones';

// 接龙 on two phones: each resident ordered once through the sheet (so the shop knows their
// phone and pickup point), then both type "+1" on the last unit at the same moment.

const baseUrl = inject('baseUrl');
const browser = useBrowser();

async function orderOnceThroughTheSheet(page: Page, nickname: string) {
  await page.getByTestId('offer-buy').click();
  await page.getByTestId('order-sheet').waitFor();
  await page.getByTestId('order-nickname').fill(nickname);
  await page.getByTestId('order-phone').fill(uniquePhone());
  await page.getByTestId('order-confirm').click();
  await page.getByTestId('order-done').waitFor();
  await page.getByRole('button', { name: '关闭' }).click();
  // signed in as a guest by the sheet: the chat's composer and the (re)joined room
  await page.getByTestId('comment-input').waitFor();
  await expect
    .poll(() => page.getByTestId('watch-page').getAttribute('data-realtime'))
    .toBe('joined');
}

describe('接龙 on phones', () => {
  it('two residents "+1" the last unit: one gets the pickup code, the other a private sold out', async () => {
    const ownerContext = await browser().newContext(PHONE);
    const { streamId } = await liveShop(apiAs(ownerContext), {
      tag: 'jielong',
      owner: '周老板',
      password: 'long-enough-pass',
      shop: { name: '周记蔬果', address: '康健路 6 号', pickupHours: '每天 8:00–20:00' },
      product: {
        name: '崇明金瓜 2 个',
        priceCents: 1800,
        stock: 50,
        imageUrl: '/demo/strawberries.svg',
      },
      stream: { title: '金瓜接龙' },
      offer: { priceCents: 1500, quantity: 3 },
      pin: true,
      start: true,
    });

    const phones = await Promise.all(
      ['王阿姨', '李大爷'].map(async (name) => {
        const context = await browser().newContext(PHONE);
        const trouble = watchForTrouble(context);
        const page = await context.newPage();
        await page.goto(`${baseUrl}/live/${streamId}`);
        await page.getByTestId('offer-card').waitFor();
        return { name, context, trouble, page };
      }),
    );
    // one after the other: each takes a unit through the sheet, leaving one
    for (const p of phones) await orderOnceThroughTheSheet(p.page, p.name);
    for (const { page } of phones) {
      await expect.poll(() => page.getByTestId('offer-remaining').textContent()).toContain('1');
      // the card's 接龙 already lists both sheet orders
      await expect.poll(() => page.getByTestId('jielong-entry').count()).toBe(2);
    }

    // both type "+1" and send at the same moment
    for (const { page } of phones) await page.getByTestId('comment-input').fill('+1');
    await Promise.all(phones.map(({ page }) => page.getByTestId('comment-send').click()));

    const outcome = async (page: Page) => {
      const toast = page.getByTestId('jielong-toast');
      const notice = page.getByTestId('comment-notice');
      await expect.poll(async () => (await toast.count()) + (await notice.count())).toBe(1);
      return (await toast.count()) === 1 ? 'won' : 'lost';
    };
    const results = await Promise.all(phones.map(({ page }) => outcome(page)));
    expect([...results].sort()).toEqual(['lost', 'won']);
    const winner = phones[results.indexOf('won')]!;
    const loser = phones[results.indexOf('lost')]!;

    // the winner's private confirmation carries the pickup code
    expect(await winner.page.getByTestId('jielong-code').textContent()).toMatch(/^\d{6}$/);
    expect(await winner.page.getByTestId('jielong-toast').textContent()).toContain('接龙成功');
    // the loser is told privately, and the "+1" they typed is cleared, not posted
    expect(await loser.page.getByTestId('comment-notice').textContent()).toBe(
      '手慢了，已经抢光啦（你的 +1 没有下单）',
    );
    expect(await loser.page.getByTestId('comment-input').inputValue()).toBe('');

    // everyone's 接龙 list ends with the winner's +1, and the room saw one "+1" line
    const winnerMasked = `${[...winner.name][0]}** +1`;
    for (const { page } of phones) {
      await expect.poll(() => page.getByTestId('jielong-entry').count()).toBe(3);
      await expect
        .poll(() => page.getByTestId('jielong-entry').last().textContent())
        .toContain(winnerMasked);
      await expect.poll(() => page.getByTestId('offer-remaining').textContent()).toContain('抢光');
      await expect
        .poll(() => page.getByTestId('overlays').getByText('+1', { exact: true }).count())
        .toBe(1);
    }
    await screenshot(winner.page, 'jielong-winner-phone');
    await screenshot(loser.page, 'jielong-sold-out-phone');

    for (const p of phones) {
      expect(p.trouble).toEqual([]);
      await p.context.close();
    }
    await ownerContext.close();
  });
});
