import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { uniqueEmail } from '../helpers/app';
import { LAPTOP, PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import { useBrowser } from '../helpers/browser-setup';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

async function signUp(page: Page, name: string) {
  const res = await page.request.post(`${baseUrl}/api/auth/signup`, {
    data: { email: uniqueEmail('chain'), password: 'long-enough-pass', name },
    headers: { origin: baseUrl },
  });
  expect(res.status()).toBe(201);
}

describe('a leader brings a neighbour who orders', () => {
  it('link → order → the leader sees it live → pickup → commission earned', async () => {
    // the owner, with a live stream and a pinned offer, set up through the API
    const ownerContext = await browser().newContext({
      ...LAPTOP,
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const ownerTrouble = watchForTrouble(ownerContext);
    const owner = await ownerContext.newPage();
    await signUp(owner, '陈老板');
    const post = async (path: string, data?: object) => {
      const res = await owner.request.post(`${baseUrl}${path}`, {
        data: data ?? {},
        headers: { origin: baseUrl },
      });
      expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300);
      return (await res.json()) as Record<string, { id: string }>;
    };
    const { shop } = await post('/api/shops', {
      name: '陈记水果',
      slug: `chen-${Date.now().toString(36)}`,
    });
    const { product } = await post(`/api/shops/${shop!.id}/products`, {
      name: '砂糖橘',
      priceCents: 1250,
      stock: 100,
    });
    const { stream } = await post(`/api/shops/${shop!.id}/streams`, { title: '砂糖橘开箱' });
    const { offer } = await post(`/api/streams/${stream!.id}/offers`, {
      productId: product!.id,
      priceCents: 1250,
      quantity: 30,
    });
    await post(`/api/streams/${stream!.id}/start`);
    await post(`/api/streams/${stream!.id}/offers/${offer!.id}/pin`);

    // a resident applies to lead, on a phone
    const leaderContext = await browser().newContext({
      ...PHONE,
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const leaderTrouble = watchForTrouble(leaderContext);
    const leader = await leaderContext.newPage();
    await signUp(leader, '刘阿姨');
    const shopPage = await owner.request.get(`${baseUrl}/api/shops/${shop!.id}/products`);
    expect(shopPage.status()).toBe(200);
    const slug = (
      (await (await owner.request.get(`${baseUrl}/api/me/shops`)).json()) as {
        shops: { shop: { slug: string } }[];
      }
    ).shops[0]!.shop.slug;
    await leader.goto(`${baseUrl}/shop/${slug}`);
    await leader.getByTestId('become-leader').click();
    await leader.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await leader.getByTestId('apply-name').fill('幸福里 刘阿姨');
    await leader.getByTestId('apply-community').fill('幸福里小区');
    await leader.getByTestId('apply-address').fill('幸福里 3 号楼门卫室');
    await leader.getByTestId('apply-hours').fill('每天 17:00–20:00');
    await leader.getByTestId('apply-submit').click();
    await leader.getByTestId('leader-dashboard').waitFor();
    expect(await leader.getByTestId('membership').getAttribute('data-shop-id')).toBe(shop!.id);

    // the owner approves at 10% on the leader board
    await owner.goto(`${baseUrl}/dashboard/leaders/${shop!.id}`);
    await owner.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await owner.getByTestId('board-rate').fill('10');
    await owner.getByTestId('board-approve').click();
    await expect
      .poll(() => owner.getByTestId('board-leader').getAttribute('data-status'))
      .toBe('approved');

    // the leader copies the link (the dashboard refreshes by itself)
    await leader.getByTestId('copy-link').waitFor({ timeout: 15_000 });
    await leader.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    const link = await leader.getByTestId('leader-link').inputValue();
    expect(link).toMatch(new RegExp(`^${baseUrl}/s/[a-z2-7]{8}$`));
    await leader.getByTestId('copy-link').click();
    await leader.getByTestId('make-poster').click();
    await leader.getByTestId('poster-image').waitFor();
    const posterSize = await leader
      .getByTestId('poster-image')
      .evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    expect(posterSize).toEqual([750, 1200]);
    await screenshot(leader, 'leader-dashboard-phone');

    // a neighbour taps the link in the group chat, on their phone
    const residentContext = await browser().newContext(PHONE);
    const residentTrouble = watchForTrouble(residentContext);
    const resident = await residentContext.newPage();
    await resident.goto(link);
    await resident.waitForURL(`**/live/${stream!.id}?ref=*`);
    await resident.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await resident.getByTestId('offer-buy').click();
    await resident.getByTestId('order-sheet').waitFor();
    if (await resident.getByTestId('order-nickname').count()) {
      await resident.getByTestId('order-nickname').fill('王小妹');
    }
    // pick up at the leader's point rather than the shop
    const leaderId = (
      (await (await leader.request.get(`${baseUrl}/api/leader/me`)).json()) as {
        memberships: { leaderId: string }[];
      }
    ).memberships[0]!.leaderId;
    await resident.locator(`input[name="pickup"][value="${leaderId}"]`).check();
    await resident.getByTestId('order-phone').fill('13912345678');
    await resident.getByTestId('order-confirm').click();
    await resident.getByTestId('order-done').waitFor();
    const code = (await resident.getByTestId('pickup-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^\d{6}$/);

    // the leader's dashboard shows the order without a reload
    await expect
      .poll(() => leader.getByTestId('stat-orders').first().textContent(), { timeout: 15_000 })
      .toBe('1');
    expect(await leader.getByTestId('leader-order').first().textContent()).toContain('王**');
    expect(await leader.getByTestId('stat-pending').first().textContent()).toBe('¥1.25');
    expect(await leader.getByTestId('stat-earned').first().textContent()).toBe('¥0.00');

    // the leader's packing list for their point shows it; the leader hands it over there
    const centre = leader.url();
    await leader.getByTestId('leader-prepare').click();
    // the list loads after the page: wait for its row, not for text the centre also shows
    await leader.getByTestId('prepare-buyer').first().waitFor();
    expect(await leader.getByTestId('prepare-buyer').first().textContent()).toContain('砂糖橘');
    await screenshot(leader, 'leader-prepare-phone');
    await leader.goto(`${baseUrl}/shop-admin/${shop!.id}/pickup`);
    await leader.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    // a leader is shown the pickup screen and their point's after-sales (they approve small
    // claims there), not the owner's orders or products
    expect(await leader.locator('nav.tabs a').allTextContents()).toEqual(['核销', '售后']);
    await leader.getByTestId('pickup-input').fill(code);
    await leader.getByTestId('pickup-submit').click();
    await leader.getByTestId('pickup-done').waitFor();
    await leader.goto(centre);
    await leader.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await expect
      .poll(() => leader.getByTestId('stat-earned').first().textContent(), { timeout: 15_000 })
      .toBe('¥1.25');
    expect(await leader.getByTestId('stat-pending').first().textContent()).toBe('¥0.00');
    await screenshot(leader, 'leader-dashboard-earned-phone');

    await owner.goto(`${baseUrl}/dashboard/leaders/${shop!.id}`);
    await expect.poll(() => owner.getByTestId('board-orders').textContent()).toBe('1');
    await screenshot(owner, 'leader-board-laptop');

    for (const trouble of [ownerTrouble, leaderTrouble, residentTrouble]) {
      expect(trouble.filter((t) => t.startsWith('dialog') || t.startsWith('page error'))).toEqual(
        [],
      );
    }
    await Promise.all([ownerContext.close(), leaderContext.close(), residentContext.close()]);
  });
});
