import { describe, expect, inject, it } from 'vitest';
import { PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import { apiAs, liveShop, useBrowser } from '../helpers/browser-setup';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('ordering on a phone', () => {
  it('watch page → order from the pinned card → pickup code → the shop marks it picked up', async () => {
    // the shop owner, on a phone too, sets up a live stream with a pinned offer
    const ownerContext = await browser().newContext(PHONE);
    const ownerTrouble = watchForTrouble(ownerContext);
    const api = ownerContext.request;
    const { shopId, streamId } = await liveShop(apiAs(ownerContext), {
      tag: 'order',
      password: 'long-enough-pass',
      shop: { name: '王记鲜果', address: '康健路 88 号', pickupHours: '每天 9:00–21:00' },
      product: {
        name: '丹东红颜草莓 500g',
        priceCents: 3990,
        stock: 50,
        imageUrl: '/demo/strawberries.svg',
      },
      stream: { title: '凌晨四点挑草莓' },
      offer: { priceCents: 3290, quantity: 20, perBuyerLimit: 3 },
      pin: true,
      start: true,
    });

    // a resident opens the stream on a phone and orders from the pinned card
    const residentContext = await browser().newContext(PHONE);
    const trouble = watchForTrouble(residentContext);
    const page = await residentContext.newPage();
    await page.goto(`${baseUrl}/live/${streamId}`);
    const card = page.getByTestId('offer-card');
    await card.waitFor();
    await expect.poll(() => page.getByTestId('offer-price').textContent()).toBe('¥32.90');
    await expect.poll(() => page.getByTestId('offer-remaining').textContent()).toContain('20');
    await screenshot(page, 'order-watch-card-phone');

    await page.getByTestId('offer-buy').click();
    await page.getByTestId('order-sheet').waitFor();
    await page.getByRole('button', { name: '增加一件' }).click();
    await expect.poll(() => page.getByTestId('order-quantity').textContent()).toBe('2');
    await page.getByTestId('order-nickname').fill('陈阿姨');
    await page.getByTestId('order-phone').fill('1380013');
    await page.getByTestId('order-confirm').click();
    await expect.poll(() => page.getByText('请输入正确的手机号').count()).toBe(1);
    await page.getByTestId('order-phone').fill('13800138000');
    await screenshot(page, 'order-sheet-phone');
    await page.getByTestId('order-confirm').click();
    await page.getByTestId('order-done').waitFor();
    const code = (await page.getByTestId('pickup-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^\d{6}$/);
    await page.locator('[data-testid="order-done"] img').waitFor();
    await screenshot(page, 'order-done-phone');
    // everyone's card updates: this one too, after the sheet closes
    await page.getByRole('button', { name: '关闭' }).click();
    await expect.poll(() => page.getByTestId('offer-remaining').textContent()).toContain('18');
    // two more would pass the limit of 3: the sheet says so, with what she already has
    await page.getByTestId('offer-buy').click();
    await page.getByTestId('order-sheet').waitFor();
    await page.getByRole('button', { name: '增加一件' }).click();
    await page.getByTestId('order-confirm').click();
    await expect
      .poll(() => page.getByTestId('order-error').textContent())
      .toBe('每人限购 3 件，你已经买了 2 件');
    await screenshot(page, 'order-sheet-limit-phone');
    await page.getByRole('button', { name: '关闭' }).click();

    // my orders shows the code, the QR and where to pick up
    await page.goto(`${baseUrl}/me/orders`);
    await page.getByTestId('my-order').first().waitFor();
    expect(await page.getByTestId('my-order-status').first().textContent()).toContain('待取货');
    expect(await page.getByTestId('pickup-code').first().textContent()).toBe(code);
    await screenshot(page, 'order-my-orders-phone');

    // the shop's pickup screen takes the typed code
    const owner = await ownerContext.newPage();
    await owner.goto(`${baseUrl}/shop-admin/${shopId}/pickup`);
    // the owner has every tab of the shop's back office
    expect(await owner.locator('nav.tabs a').allTextContents()).toEqual([
      '订单',
      '核销',
      '售后',
      '商品',
      '店铺设置',
      '直播间管理',
      '会员',
    ]);
    await screenshot(owner, 'order-pickup-screen-phone');
    await owner.getByTestId('pickup-input').fill(code);
    await owner.getByTestId('pickup-submit').click();
    await owner.getByTestId('pickup-done').waitFor();
    expect(await owner.getByTestId('pickup-done').textContent()).toContain('陈阿姨');
    await screenshot(owner, 'order-pickup-done-phone');
    // the same code again is a clear message
    await owner.getByTestId('pickup-input').fill(code);
    await owner.getByTestId('pickup-submit').click();
    await expect.poll(() => owner.getByTestId('pickup-error').textContent()).toContain('已经用过');
    await screenshot(owner, 'order-pickup-used-phone');

    await page.reload();
    await expect
      .poll(() => page.getByTestId('my-order-status').first().textContent())
      .toContain('已取货');

    // after-sales: the resident asks for a refund with a photo, the owner approves it
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    await page.getByRole('button', { name: '申请售后' }).click();
    await page.getByTestId('refund-reason').fill('有两颗坏果');
    await page.locator('input[type="file"]').setInputFiles({
      name: 'bad-fruit.png',
      mimeType: 'image/png',
      buffer: png,
    });
    await page.getByRole('button', { name: '提交申请' }).click();
    await expect.poll(() => page.getByText('售后处理中').count()).toBe(1);
    await owner.goto(`${baseUrl}/shop-admin/${shopId}/refunds`);
    await owner.getByText('有两颗坏果').waitFor();
    expect(await owner.locator('[data-testid="shop-refunds"] img').count()).toBe(1);
    await screenshot(owner, 'order-refunds-phone');
    await owner.getByRole('button', { name: '同意退款' }).click();
    await expect.poll(() => owner.getByText('已同意退款').count()).toBe(1);
    await page.reload();
    await expect
      .poll(() => page.getByTestId('my-order-status').first().textContent())
      .toContain('已退款');

    // the owner adds a product with a photo
    await owner.goto(`${baseUrl}/shop-admin/${shopId}/products`);
    await owner.getByLabel('名称').fill('赣南脐橙 5 斤装');
    await owner.getByLabel('价格（元）').fill('29.9');
    await owner.getByLabel('库存').fill('120');
    await owner
      .getByLabel('照片')
      .setInputFiles({ name: 'o.png', mimeType: 'image/png', buffer: png });
    await owner.getByRole('button', { name: '添加商品' }).click();
    await owner.getByText('¥29.90').waitFor();
    await screenshot(owner, 'order-products-phone');

    // the owner's order list and its CSV
    await owner.goto(`${baseUrl}/shop-admin/${shopId}/orders`);
    await owner.getByTestId('shop-order').first().waitFor();
    await screenshot(owner, 'order-shop-orders-phone');
    const csv = await api.get(`${baseUrl}/api/shops/${shopId}/orders?format=csv`);
    expect(await csv.text()).toContain(code);

    expect(trouble).toEqual([]);
    expect(ownerTrouble).toEqual([]);
    await residentContext.close();
    await ownerContext.close();
  });
});
