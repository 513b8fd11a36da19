import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { LAPTOP, PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import { useBrowser } from '../helpers/browser-setup';
import { uniqueEmail } from '../helpers/app';

// The shop's private domain (issue 17): a members-only live stream is refused to a stranger,
// who joins through a leader's link and then watches without a reload; the owner's member
// list credits that leader.

const baseUrl = inject('baseUrl');
const browser = useBrowser();

/** Same-origin API calls from a context (its cookies travel with them). */
function apiOf(context: BrowserContext) {
  return async <T>(method: 'GET' | 'POST' | 'PATCH', path: string, data?: unknown) => {
    const res = await context.request.fetch(`${baseUrl}${path}`, {
      method,
      headers: { origin: baseUrl },
      ...(data === undefined ? {} : { data }),
    });
    expect(res.status(), `${method} ${path}: ${await res.text()}`).toBeLessThan(300);
    return (await res.json()) as T;
  };
}

function framesDecoded(page: Page): Promise<number> {
  return page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="live-video"]');
    return video?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
  });
}

describe('a members-only stream', () => {
  it('a stranger is offered to join, joins through a leader link, watches; the owner sees the member', async () => {
    // the owner plans a stream and makes it members-only on the plan page
    const ownerContext = await browser().newContext({
      ...LAPTOP,
      permissions: ['camera', 'microphone'],
    });
    const ownerTrouble = watchForTrouble(ownerContext);
    const owner = apiOf(ownerContext);
    const ownerLogin = { email: uniqueEmail('members'), password: 'long-enough-pass' };
    await owner('POST', '/api/auth/signup', { ...ownerLogin, name: '王老板' });
    const { shop } = await owner<{ shop: { id: string; slug: string } }>('POST', '/api/shops', {
      name: '王记鲜果',
      slug: `members-${Date.now().toString(36)}`,
      address: '康健路 88 号',
    });
    const { stream } = await owner<{ stream: { id: string } }>(
      'POST',
      `/api/shops/${shop.id}/streams`,
      {
        title: '会员专场：阳光玫瑰试吃',
        scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    );
    const plan = await ownerContext.newPage();
    await plan.goto(`${baseUrl}/dashboard/streams/${stream.id}`);
    await plan.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await plan.getByTestId('visibility-members').click();
    await expect
      .poll(() => plan.getByTestId('plan-visibility').getAttribute('data-visibility'))
      .toBe('members');

    // a leader of the shop, approved
    const leaderContext = await browser().newContext(PHONE);
    const leaderApi = apiOf(leaderContext);
    await leaderApi('POST', '/api/auth/signup', {
      email: uniqueEmail('leader'),
      password: 'long-enough-pass',
      name: '李姐',
    });
    const applied = await leaderApi<{ leader: { id: string } }>(
      'POST',
      `/api/shops/${shop.id}/leaders/apply`,
      { displayName: '李姐', community: '康健新村' },
    );
    const approved = await owner<{ leader: { code: string } }>(
      'POST',
      `/api/shops/${shop.id}/leaders/${applied.leader.id}/approve`,
      { commissionRate: 0.1 },
    );
    await leaderContext.close();

    // live from the studio with the fake camera
    const studio = await ownerContext.newPage();
    await studio.goto(`${baseUrl}/studio/${stream.id}`);
    await studio.getByTestId('studio-preview').waitFor();
    await studio.getByTestId('studio-go-live').click();
    await expect
      .poll(() => studio.getByTestId('studio-page').getAttribute('data-link'), { timeout: 20_000 })
      .toBe('connected');

    // a stranger on a phone: the shop page does not list it, the watch page offers to join
    const strangerContext = await browser().newContext(PHONE);
    const trouble = watchForTrouble(strangerContext);
    const phone = await strangerContext.newPage();
    await phone.goto(`${baseUrl}/shop/${shop.slug}`);
    await phone.getByTestId('join-shop').waitFor();
    expect(await phone.getByTestId('shop-live-now').count()).toBe(0);
    await phone.goto(`${baseUrl}/live/${stream.id}`);
    await phone.getByTestId('members-only').waitFor({ timeout: 20_000 });
    expect(await phone.getByTestId('watch-page').getAttribute('data-phase')).toBe('members');
    expect(await phone.locator('[data-testid="live-video"]').count()).toBe(0);
    const membersOnlyShot = await screenshot(phone, 'members-only-phone');

    // the leader's link lands on the same page; joining plays the stream without a reload
    await phone.goto(`${baseUrl}/s/${approved.leader.code}`);
    await phone.waitForURL(`**/live/${stream.id}?ref=${approved.leader.code}`);
    await phone.getByTestId('members-only').waitFor({ timeout: 20_000 });
    await phone.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await phone.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await phone.getByTestId('join-nickname').fill('楼下陈阿姨');
    await phone.getByTestId('join-shop-button').click();
    await expect
      .poll(() => phone.getByTestId('watch-page').getAttribute('data-phase'), { timeout: 20_000 })
      .toBe('playing');
    const start = await framesDecoded(phone);
    await expect
      .poll(() => framesDecoded(phone), { timeout: 15_000, interval: 250 })
      .toBeGreaterThan(start + 15);
    expect(
      await phone.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true);
    await screenshot(phone, 'members-joined-watching-phone');

    // the owner's member list, on a phone: the member, credited to 李姐
    const ownerPhone = await browser().newContext(PHONE);
    const ownerPhoneTrouble = watchForTrouble(ownerPhone);
    await apiOf(ownerPhone)('POST', '/api/auth/login', ownerLogin);
    const admin = await ownerPhone.newPage();
    await admin.goto(`${baseUrl}/shop-admin/${shop.id}/members`);
    const card = admin.getByTestId('member-card');
    await card.first().waitFor();
    expect(await card.count()).toBe(1);
    expect(await admin.getByTestId('member-name').textContent()).toBe('楼下陈阿姨');
    expect(await admin.getByTestId('member-leader').textContent()).toContain('李姐');
    expect(await admin.getByTestId('member-orders').textContent()).toBe('0');
    expect(await admin.locator('nav.tabs a[aria-current="page"]').textContent()).toBe('会员');
    const listShot = await screenshot(admin, 'members-owner-list-phone');

    expect(membersOnlyShot).toContain('members-only-phone');
    expect(listShot).toContain('members-owner-list-phone');
    expect(trouble).toEqual([]);
    expect(ownerPhoneTrouble).toEqual([]);
    expect(ownerTrouble).toEqual([]);
    await studio.getByTestId('studio-end').click();
    await studio.getByTestId('studio-end-confirm').click();
    await studio.getByTestId('studio-ended').waitFor();
    await Promise.all([ownerContext.close(), strangerContext.close(), ownerPhone.close()]);
  });
});
