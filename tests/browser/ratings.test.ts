import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { LAPTOP, PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import { apiAs, signUp, useBrowser } from '../helpers/browser-setup';
import { uniquePhone } from '../helpers/phones';

// Rating after pickup (issue 14, part 3): a resident on a phone rates a picked-up order with
// one tap, then a tag and a few words; the shop page shows the aggregate and the text; the
// owner answers on the shop page and the answer shows to everyone.

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('rating after pickup', () => {
  it('a resident rates a picked-up order; the shop page shows it; the owner replies', async () => {
    // the owner's shop, a live stream with an offer (over the API: the setting, not the test)
    const ownerContext = await browser().newContext(LAPTOP);
    const ownerTrouble = watchForTrouble(ownerContext);
    const owner = apiAs(ownerContext);
    await signUp(owner, '王老板', 'rating-owner');
    const slug = `rating-${Date.now().toString(36)}`;
    const { shop } = await owner.post<{ shop: { id: string } }>(
      '/api/shops',
      { name: '王记鲜果', slug, address: '康健路 88 号' },
      201,
    );
    const { product } = await owner.post<{ product: { id: string } }>(
      `/api/shops/${shop.id}/products`,
      { name: '丹东草莓 500g', priceCents: 2990, stock: 50 },
      201,
    );
    const { stream } = await owner.post<{ stream: { id: string } }>(
      `/api/shops/${shop.id}/streams`,
      { title: '草莓到货' },
      201,
    );
    const { offer } = await owner.post<{ offer: { id: string } }>(
      `/api/streams/${stream.id}/offers`,
      { productId: product.id, priceCents: 2590, quantity: 20 },
      201,
    );
    await owner.post(`/api/streams/${stream.id}/start`);

    // a resident orders and picks it up
    const phoneContext = await browser().newContext(PHONE);
    const trouble = watchForTrouble(phoneContext);
    const resident = apiAs(phoneContext);
    await signUp(resident, '陈阿姨', 'rating-resident');
    const { order } = await resident.post<{ order: { id: string; pickupCode: string } }>(
      `/api/streams/${stream.id}/orders`,
      { offerId: offer.id, quantity: 1, phone: uniquePhone() },
      201,
    );
    await owner.post(`/api/shops/${shop.id}/pickups`, { code: order.pickupCode });

    // my orders on the phone: one tap on the fourth star rates it
    const phone = await phoneContext.newPage();
    await phone.goto(`${baseUrl}/me/orders`);
    await phone.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    const rate = phone.getByTestId('rate-order');
    await rate.waitFor();
    expect(await rate.getAttribute('data-rated')).toBe('no');
    await phone.getByTestId('rate-star-4').click();
    await expect.poll(() => rate.getAttribute('data-rated')).toBe('yes');
    // then a tag and a few words
    await phone.getByTestId('rate-tag-fresh').check({ force: true });
    await phone.getByTestId('rate-text').fill('草莓很甜，个头大，下次还买');
    await screenshot(phone, 'rating-form-phone');
    await phone.getByTestId('rate-save').click();
    await phone.getByTestId('my-rating').waitFor();
    expect(await phone.getByTestId('my-rating-text').textContent()).toBe(
      '草莓很甜，个头大，下次还买',
    );
    expect(
      await phone.getByTestId('my-rating').getByTestId('stars').getAttribute('data-stars'),
    ).toBe('4');
    await phone.getByTestId('rate-edit').waitFor();
    await screenshot(phone, 'rating-saved-phone');

    // the rating survives a reload
    await phone.reload();
    await phone.getByTestId('my-rating-text').waitFor();

    // the shop page shows the aggregate and the text
    await phone.goto(`${baseUrl}/shop/${slug}`);
    const ratings = phone.getByTestId('shop-ratings');
    await ratings.waitFor();
    expect(await phone.getByTestId('ratings-count').getAttribute('data-count')).toBe('1');
    expect(await phone.getByTestId('ratings-average').getAttribute('data-average')).toBe('4');
    expect(
      await ratings
        .locator('[data-testid="ratings-bar"][data-stars="4"]')
        .getAttribute('data-count'),
    ).toBe('1');
    expect(await ratings.getByTestId('rating-text').textContent()).toBe(
      '草莓很甜，个头大，下次还买',
    );
    expect(await ratings.locator('[data-testid="rating-tag"][data-tag="fresh"]').count()).toBe(2);
    // a visitor sees no reply form
    expect(await ratings.getByTestId('rating-reply-input').count()).toBe(0);
    await screenshot(phone, 'rating-shop-phone');

    // the owner, on the shop page on a laptop, answers once
    const desk = await ownerContext.newPage();
    await desk.goto(`${baseUrl}/shop/${slug}`);
    await desk.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await desk.getByTestId('rating-reply-input').fill('谢谢陈阿姨！明天还有新到的草莓');
    await desk.getByTestId('rating-reply-submit').click();
    await desk.getByTestId('rating-reply').waitFor();
    expect(await desk.getByTestId('rating-reply-input').count()).toBe(0);
    await screenshot(desk, 'rating-reply-laptop');

    // everyone sees the answer, the resident on their order too
    await phone.reload();
    await phone.getByTestId('rating-reply').waitFor();
    expect(await phone.getByTestId('rating-reply').textContent()).toContain(
      '谢谢陈阿姨！明天还有新到的草莓',
    );
    await screenshot(phone, 'rating-reply-phone');
    await phone.goto(`${baseUrl}/me/orders`);
    await phone.getByTestId('my-rating-reply').waitFor();

    expect(trouble).toEqual([]);
    expect(ownerTrouble).toEqual([]);
    await phoneContext.close();
    await ownerContext.close();
  });
});
