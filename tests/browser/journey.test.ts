import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { uniqueEmail } from '../helpers/app';
import { LAPTOP, PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import {
  goLive,
  openStudio,
  useBrowser,
  waitForFrames,
  waitForPlaying,
} from '../helpers/browser-setup';

// The project's spine: SPEC journeys 1 → 10 in order, with an owner (laptop), a leader
// (phone) and two residents (one phone, one laptop), on the real livekit-server, PostgreSQL
// and socket.io; the analytics page is checked against what the test did.

const baseUrl = inject('baseUrl');
const browser = useBrowser();

const hydrated = (page: Page) => page.locator('html[data-hydrated]').waitFor({ state: 'attached' });

async function signUpInBrowser(page: Page, name: string) {
  await page.goto(`${baseUrl}/signup`);
  await hydrated(page);
  await page.getByTestId('signup-name').fill(name);
  await page.getByTestId('signup-email').fill(uniqueEmail('journey'));
  await page.getByTestId('signup-password').fill('journey-password');
  await page.getByTestId('signup-submit').click();
  await page.getByTestId('user-name').waitFor();
}

async function orderFromCard(page: Page, nickname: string, phone: string, quantity: number) {
  await page.getByTestId('offer-buy').click();
  await page.getByTestId('order-sheet').waitFor();
  for (let q = 1; q < quantity; q += 1)
    await page.getByRole('button', { name: '增加一件' }).click();
  await expect.poll(() => page.getByTestId('order-quantity').textContent()).toBe(String(quantity));
  if (await page.getByTestId('order-nickname').count())
    await page.getByTestId('order-nickname').fill(nickname);
  await page.getByTestId('order-phone').fill(phone);
  await page.getByTestId('order-confirm').click();
  await page.getByTestId('order-done').waitFor();
  return (await page.getByTestId('pickup-code').textContent())?.trim() ?? '';
}

describe('the whole story', () => {
  it('walks journeys 1 → 10 and the analytics add up', async () => {
    // 1. Shop setup — the owner signs up, opens a shop, adds a product
    const ownerContext = await browser().newContext({
      ...LAPTOP,
      permissions: ['camera', 'microphone'],
    });
    const ownerTrouble = watchForTrouble(ownerContext);
    const owner = await ownerContext.newPage();
    await signUpInBrowser(owner, '周老板');
    await owner.goto(`${baseUrl}/dashboard`);
    await hydrated(owner);
    const slug = `zhou-${Date.now().toString(36)}`;
    await owner.getByTestId('open-shop-name').fill('周记果园');
    await owner.getByTestId('open-shop-slug').fill(slug);
    await owner.getByTestId('open-shop-address').fill('幸福路 18 号');
    await owner.getByTestId('open-shop-hours').fill('每天 8:00–20:00');
    await owner.getByTestId('open-shop-submit').click();
    const shopCard = owner.getByTestId('dashboard-shop');
    await shopCard.waitFor();
    const shopId = (await shopCard.getAttribute('data-shop-id')) ?? '';
    await owner.goto(`${baseUrl}/shop-admin/${shopId}/products`);
    await hydrated(owner);
    await owner.getByLabel('名称').fill('沃柑 3 斤');
    await owner.getByLabel('价格（元）').fill('15');
    await owner.getByLabel('库存').fill('50');
    await owner.getByRole('button', { name: '添加商品' }).click();
    await owner.getByText('¥15.00').first().waitFor();
    await screenshot(owner, 'journey-1-products-laptop');

    // 2. Plan a stream with a group offer (2 units, ¥12.50 live price)
    await owner.goto(`${baseUrl}/dashboard`);
    await hydrated(owner);
    await owner.getByLabel('直播标题').fill('沃柑开箱试吃');
    await owner.getByRole('button', { name: '创建' }).click();
    await owner.getByTestId('stream-plan-page').waitFor();
    const streamId = owner.url().split('/').at(-1) ?? '';
    await hydrated(owner);
    await owner.getByTestId('offer-product').selectOption({ index: 1 });
    await owner.getByTestId('offer-price').fill('12.5');
    await owner.getByTestId('offer-quantity').fill('20');
    await owner.getByTestId('offer-group-min').fill('4');
    const deadline = new Date(Date.now() + 2 * 24 * 3600_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    await owner
      .getByTestId('offer-group-deadline')
      .fill(
        `${deadline.getFullYear()}-${pad(deadline.getMonth() + 1)}-${pad(deadline.getDate())}T20:00`,
      );
    await owner.getByRole('button', { name: '上架' }).click();
    await expect.poll(() => owner.getByTestId('plan-offer').count()).toBe(1);

    // 3. Leaders — a resident applies, the owner approves at 10%
    const leaderContext = await browser().newContext(PHONE);
    const leaderTrouble = watchForTrouble(leaderContext);
    const leader = await leaderContext.newPage();
    await signUpInBrowser(leader, '孙姐');
    await leader.goto(`${baseUrl}/shop/${slug}/lead`);
    await hydrated(leader);
    await leader.getByTestId('apply-name').fill('幸福里 孙姐');
    await leader.getByTestId('apply-submit').click();
    await leader.getByTestId('leader-dashboard').waitFor();
    await owner.goto(`${baseUrl}/dashboard/leaders/${shopId}`);
    await hydrated(owner);
    await owner.getByTestId('board-rate').fill('10');
    await owner.getByTestId('board-approve').click();
    await expect
      .poll(() => owner.getByTestId('board-leader').getAttribute('data-status'))
      .toBe('approved');
    await leader.getByTestId('leader-link').waitFor({ timeout: 15_000 });
    const link = await leader.getByTestId('leader-link').inputValue();

    // 4. Go live — the studio stays open in its own tab (it warns before closing while live)
    const studio = await openStudio(ownerContext, streamId);
    await hydrated(studio);
    await goLive(studio);
    await studio.getByTestId('studio-segment-tasting').click();
    await studio.getByTestId('studio-pin').click();
    await expect.poll(() => studio.locator('[data-testid=studio-offer].pinned').count()).toBe(1);

    // 5. Watch and order — resident A taps the leader's link on a phone
    const aContext = await browser().newContext(PHONE);
    const aTrouble = watchForTrouble(aContext);
    const a = await aContext.newPage();
    await a.goto(link);
    await a.waitForURL(`**/live/${streamId}?ref=*`);
    await waitForPlaying(a);
    await waitForFrames(a, 10);
    await a.getByTestId('nickname-input').fill('钱阿姨');
    await a.getByTestId('nickname-submit').click();
    await a.getByTestId('comment-input').fill('看着真新鲜！');
    await a.getByTestId('comment-send').click();
    await expect
      .poll(() => studio.locator('[data-testid=comment] .text').allTextContents())
      .toContain('看着真新鲜！');
    const codeA = await orderFromCard(a, '钱阿姨', '13900001111', 2);
    await screenshot(a, 'journey-5-ordered-phone');

    // 6. Attribution — the leader's centre shows it without a reload
    await expect
      .poll(() => leader.getByTestId('stat-orders').first().textContent(), { timeout: 15_000 })
      .toBe('1');

    // 7. Group buy — resident B (laptop, no leader link) completes the group: 2 + 2 ≥ 4
    const bContext = await browser().newContext(LAPTOP);
    const bTrouble = watchForTrouble(bContext);
    const b = await bContext.newPage();
    await b.goto(`${baseUrl}/live/${streamId}`);
    await waitForPlaying(b);
    await b.getByTestId('nickname-input').fill('李先生');
    await b.getByTestId('nickname-submit').click();
    await b.getByTestId('comment-input').waitFor();
    const codeB = await orderFromCard(b, '李先生', '13900002222', 2);
    await a.getByTestId('group-celebration').waitFor({ timeout: 10_000 });
    await screenshot(a, 'journey-7-group-phone');

    // 8. Pickup — the shop types resident A's code
    await owner.goto(`${baseUrl}/shop-admin/${shopId}/pickup`);
    await hydrated(owner);
    await owner.getByTestId('pickup-input').fill(codeA);
    await owner.getByTestId('pickup-submit').click();
    await owner.getByTestId('pickup-done').waitFor();
    await expect
      .poll(() => leader.getByTestId('stat-earned').first().textContent(), { timeout: 15_000 })
      .toBe('¥2.50');

    // 9. After-sales — resident B asks for a refund (bad fruit); the owner approves
    await b.goto(`${baseUrl}/me/orders`);
    await hydrated(b);
    await b.getByRole('button', { name: '申请售后' }).click();
    await b.getByTestId('refund-reason').fill('有一个坏果，坏果包赔');
    await b.getByRole('button', { name: '提交申请' }).click();
    await expect.poll(() => b.getByText('售后处理中').count()).toBe(1);
    await owner.goto(`${baseUrl}/shop-admin/${shopId}/refunds`);
    await hydrated(owner);
    await owner.getByText('有一个坏果，坏果包赔').waitFor();
    await owner.getByRole('button', { name: '同意退款' }).click();
    await expect.poll(() => owner.getByText('已同意退款').count()).toBe(1);
    expect(codeB).toMatch(/^\d{6}$/);

    // the owner ends the stream; the viewers see it end
    await screenshot(studio, 'journey-4-studio-laptop');
    await studio.getByTestId('studio-end').click();
    await studio.getByTestId('studio-end-confirm').click();
    await a.getByTestId('live-ended').waitFor({ timeout: 15_000 });

    // 10. Analytics — against what this test did: 2 watchers (A, B), 1 comment; B's order
    // was refunded, so 1 order of 2 units at ¥12.50 counts: GMV ¥25.00, 1 buyer of 2 → 50%
    await owner.goto(`${baseUrl}/dashboard/streams/${streamId}/analytics`);
    await owner.getByTestId('analytics-page').waitFor();
    const value = (id: string) => owner.getByTestId(`stat-${id}-value`).textContent();
    await expect.poll(() => value('gmv'), { timeout: 15_000 }).toBe('¥25.00');
    expect(await value('units')).toBe('2');
    expect(await value('buyers')).toBe('1');
    expect(await value('unique-viewers')).toBe('2');
    expect(await value('comments')).toBe('1');
    expect(await value('conversion')).toMatch(/^50(\.0)?%$/);
    await screenshot(owner, 'journey-10-analytics-laptop');

    for (const trouble of [ownerTrouble, leaderTrouble, aTrouble, bTrouble]) {
      expect(trouble.filter((t) => t.startsWith('dialog') || t.startsWith('page error'))).toEqual(
        [],
      );
    }
    await Promise.all([
      ownerContext.close(),
      leaderContext.close(),
      aContext.close(),
      bContext.close(),
    ]);
  }, 240_000);
});
