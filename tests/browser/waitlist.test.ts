import { describe, expect, inject, it } from 'vitest';
import { PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import { apiAs, liveShop, useBrowser } from '../helpers/browser-setup';
import { uniquePhone } from '../helpers/phones';

// A waitlist on phones: the last unit sells, a second resident joins the line from the sold-out
// card, the buyer cancels, and the unit is held for the resident, who confirms it on the card
// before the hold runs out and gets a pickup code.

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('a waitlist on phones', () => {
  it('a cancelled unit is held for the first in line, who confirms it from the card', async () => {
    const ownerContext = await browser().newContext(PHONE);
    const { streamId } = await liveShop(apiAs(ownerContext), {
      tag: 'waitlist',
      owner: '吴老板',
      password: 'long-enough-pass',
      shop: { name: '吴记鲜果', address: '康健路 9 号', pickupHours: '每天 8:00–20:00' },
      product: {
        name: '阳光玫瑰 1 串',
        priceCents: 3900,
        stock: 20,
        imageUrl: '/demo/strawberries.svg',
      },
      stream: { title: '葡萄到货' },
      offer: { priceCents: 2900, quantity: 1 },
      pin: true,
      start: true,
    });

    const open = async () => {
      const context = await browser().newContext(PHONE);
      const trouble = watchForTrouble(context);
      const page = await context.newPage();
      await page.goto(`${baseUrl}/live/${streamId}`);
      await page.getByTestId('offer-card').waitFor();
      return { context, trouble, page };
    };

    // the buyer takes the only unit through the sheet
    const buyer = await open();
    await buyer.page.getByTestId('offer-buy').click();
    await buyer.page.getByTestId('order-nickname').fill('郑阿姨');
    await buyer.page.getByTestId('order-phone').fill(uniquePhone());
    await buyer.page.getByTestId('order-confirm').click();
    await buyer.page.getByTestId('order-done').waitFor();

    // a second resident sees it sold out, names themselves in the chat, and joins the line
    const waiter = await open();
    const { page } = waiter;
    await expect.poll(() => page.getByTestId('offer-remaining').textContent()).toContain('抢光');
    await page.getByTestId('waitlist-join').click();
    // not signed in yet: the card points to the chat's nickname field
    await expect.poll(() => page.getByTestId('waitlist').textContent()).toContain('昵称');
    await page.getByTestId('nickname-input').fill('孙大爷');
    await page.getByTestId('nickname-submit').click();
    await page.getByTestId('comment-input').waitFor();
    await page.getByTestId('waitlist-join').click();
    await expect
      .poll(() => page.getByTestId('waitlist-position').textContent())
      .toContain('候补第 1 位');
    await screenshot(page, 'waitlist-in-line-phone');

    // the buyer cancels: the unit comes back and is held for the resident, who is told live
    const buyerApi = apiAs(buyer.context);
    const { orders } = await buyerApi.get<{ orders: { id: string }[] }>('/api/me/orders');
    await buyerApi.post(`/api/orders/${orders[0]!.id}/cancel`);
    const held = page.getByTestId('waitlist-held');
    await held.waitFor();
    expect(await held.textContent()).toMatch(/已为你保留 1 件 · (10:00|9:[0-5]\d) 内确认/);
    // everyone else still sees it sold out: the unit is not for sale to them
    await expect
      .poll(() => buyer.page.getByTestId('offer-remaining').textContent())
      .toContain('抢光');
    await screenshot(page, 'waitlist-held-phone');

    // the resident confirms: one unit, with phone and pickup point, and gets the pickup code
    await page.getByTestId('waitlist-claim').click();
    await page.getByTestId('order-sheet').waitFor();
    expect(await page.getByTestId('order-quantity').count()).toBe(0);
    await page.getByTestId('order-phone').fill(uniquePhone());
    await page.getByTestId('order-confirm').click();
    await page.getByTestId('order-done').waitFor();
    expect(await page.getByTestId('order-done').textContent()).toContain('阳光玫瑰 1 串 × 1');
    await screenshot(page, 'waitlist-claimed-phone');

    const mine = await apiAs(waiter.context).get<{ orders: { status: string }[] }>(
      '/api/me/orders',
    );
    expect(mine.orders.map((o) => o.status)).toEqual(['confirmed']);

    for (const p of [buyer, waiter]) {
      expect(p.trouble).toEqual([]);
      await p.context.close();
    }
    await ownerContext.close();
  });
});
