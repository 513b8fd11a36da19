import type { BrowserContext } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { LAPTOP, PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import {
  apiAs,
  goLiveInStudio,
  hoursFromNow,
  liveShop,
  signUp as signUpAs,
  useBrowser,
  waitForPlaying,
} from '../helpers/browser-setup';

// Issue 15: the owner appoints a moderator by tapping their name in the studio; on their
// phone the moderator deletes a comment and mutes a guest, but has no pin control and the
// API refuses them a pin. A blocked word added in the studio refuses the very next comment.

const baseUrl = inject('baseUrl');
const browser = useBrowser();

const signUp = (context: BrowserContext, name: string) => signUpAs(apiAs(context), name, 'mod');
const playing = waitForPlaying;

describe('moderators and blocked words', () => {
  it('a moderator appointed from the studio deletes and mutes but cannot pin; a blocked word added live refuses the next comment', async () => {
    const ownerContext = await browser().newContext({
      ...LAPTOP,
      permissions: ['camera', 'microphone'],
    });
    const ownerTrouble = watchForTrouble(ownerContext);
    const { shopId, streamId, offerId } = await liveShop(apiAs(ownerContext), {
      tag: 'mod',
      shop: { name: '王记鲜果', address: '康健路 88 号' },
      stream: { title: '草莓专场', scheduledAt: hoursFromNow(1) },
      product: { name: '丹东草莓', priceCents: 3900, stock: 50 },
      offer: { priceCents: 2990, quantity: 20 },
    });

    // The blocked-word list before the stream, on the shop-admin moderation page.
    const admin = await ownerContext.newPage();
    await admin.goto(`${baseUrl}/shop-admin/${shopId}/moderation`);
    await expect
      .poll(() => admin.getByTestId('shop-moderation').getAttribute('data-loaded'))
      .toBe('true');
    await admin.getByTestId('blocked-words-input').fill('加微信');
    await admin.getByTestId('blocked-words-save').click();
    await admin.getByTestId('blocked-words-saved').waitFor();
    await admin.close();

    const studio = await goLiveInStudio(ownerContext, streamId);
    // the list saved before the stream is there
    expect(await studio.getByTestId('blocked-words-input').inputValue()).toContain('加微信');

    // The future moderator, a resident with an account, comments from the phone.
    const modContext = await browser().newContext(PHONE);
    const modTrouble = watchForTrouble(modContext);
    const modUser = await signUp(modContext, '李姐');
    const modPage = await modContext.newPage();
    await modPage.goto(`${baseUrl}/live/${streamId}`);
    await playing(modPage);
    await modPage.getByTestId('comment-input').fill('我来帮忙看评论');
    await modPage.getByTestId('comment-send').click();

    // The owner taps the name → 设为管理员.
    const modComment = studio.locator(`[data-testid="comment"][data-user-id="${modUser.id}"]`);
    await modComment.waitFor({ timeout: 10_000 });
    await modComment.getByTestId('comment-author').click();
    await studio.getByTestId('menu-appoint').click();
    await studio
      .locator(`[data-testid="moderator"][data-user-id="${modUser.id}"]`)
      .waitFor({ timeout: 10_000 });

    // A guest with a nickname comments; the moderator's phone can act on it at once.
    const guestContext = await browser().newContext(PHONE);
    const guestTrouble = watchForTrouble(guestContext);
    const guest = await guestContext.newPage();
    await guest.goto(`${baseUrl}/live/${streamId}`);
    await playing(guest);
    await guest.getByTestId('nickname-input').fill('王老板');
    await guest.getByTestId('nickname-submit').click();
    await guest.getByTestId('comment-input').fill('便宜货看这里');
    await guest.getByTestId('comment-send').click();

    // The guest who called themselves 王老板 has no badge; the real owner's comment does.
    await studio.getByTestId('comment-input').fill('欢迎大家');
    await studio.getByTestId('comment-send').click();
    const spam = modPage.locator('[data-testid="comment"]', { hasText: '便宜货看这里' });
    await spam.waitFor({ timeout: 10_000 });
    expect(await spam.getByTestId('comment-badge').count()).toBe(0);
    await modPage
      .locator('[data-testid="comment"]', { hasText: '欢迎大家' })
      .locator('[data-testid="comment-badge"][data-role="owner"]')
      .waitFor({ timeout: 10_000 });

    // The moderator taps the guest's name: delete, mute, remove; no invite, no appoint.
    await spam.getByTestId('comment-author').click({ timeout: 10_000 });
    const menu = modPage.getByTestId('comment-menu');
    await menu.waitFor();
    expect(await menu.getByTestId('menu-invite').count()).toBe(0);
    expect(await menu.getByTestId('menu-appoint').count()).toBe(0);
    expect(await menu.getByTestId('comment-delete').isVisible()).toBe(true);
    // and the moderator's page has no pin control anywhere
    expect(await modPage.getByTestId('studio-pin').count()).toBe(0);
    await screenshot(modPage, 'moderators-moderator-view-phone');
    await menu.getByTestId('comment-delete').click();
    // gone from every overlay
    for (const page of [modPage, guest, studio]) {
      await expect
        .poll(() => page.locator('[data-testid="comment"]', { hasText: '便宜货看这里' }).count(), {
          timeout: 10_000,
        })
        .toBe(0);
    }

    // The moderator's own comment now carries the moderator badge.
    await modPage.getByTestId('comment-input').fill('请文明发言');
    await modPage.getByTestId('comment-send').click();
    await studio
      .locator('[data-testid="comment"]', { hasText: '请文明发言' })
      .locator('[data-testid="comment-badge"][data-role="moderator"]')
      .waitFor({ timeout: 10_000 });

    // Mute the guest from another of their comments.
    await guest.getByTestId('comment-input').fill('再发一条');
    await guest.getByTestId('comment-send').click();
    const again = modPage.locator('[data-testid="comment"]', { hasText: '再发一条' });
    await again.waitFor({ timeout: 10_000 });
    await again.getByTestId('comment-author').click();
    await modPage.getByTestId('comment-mute').click();
    await modPage.getByTestId('comment-notice').waitFor();
    await guest.waitForTimeout(2100); // the per-user comment rate, so the refusal is the mute
    await guest.getByTestId('comment-input').fill('我被禁言了吗');
    await guest.getByTestId('comment-send').click();
    await expect
      .poll(() => guest.getByTestId('comment-notice').textContent(), { timeout: 10_000 })
      .toContain('禁言');

    // Pinning stays the owner's: the API refuses the moderator.
    const pin = await modContext.request.post(
      `${baseUrl}/api/streams/${streamId}/offers/${offerId}/pin`,
    );
    expect(pin.status()).toBe(403);
    const end = await modContext.request.post(`${baseUrl}/api/streams/${streamId}/end`);
    expect(end.status()).toBe(403);

    // A blocked word added live in the studio refuses the very next comment.
    const viewerContext = await browser().newContext(PHONE);
    const viewerTrouble = watchForTrouble(viewerContext);
    const viewer = await viewerContext.newPage();
    await viewer.goto(`${baseUrl}/live/${streamId}`);
    await playing(viewer);
    await viewer.getByTestId('nickname-input').fill('邻居');
    await viewer.getByTestId('nickname-submit').click();
    await viewer.getByTestId('comment-input').fill('榴莲什么时候到');
    await viewer.getByTestId('comment-send').click();
    await studio
      .locator('[data-testid="comment"]', { hasText: '榴莲什么时候到' })
      .waitFor({ timeout: 10_000 });
    await studio.getByTestId('blocked-words-input').fill('加微信，榴莲');
    await studio.getByTestId('blocked-words-save').click();
    await studio.getByTestId('blocked-words-saved').waitFor();
    await screenshot(studio, 'moderators-studio-laptop');
    await viewer.waitForTimeout(2100);
    await viewer.getByTestId('comment-input').fill('榴莲还有吗');
    await viewer.getByTestId('comment-send').click();
    await expect
      .poll(() => viewer.getByTestId('comment-notice').textContent(), { timeout: 10_000 })
      .toContain('不允许');
    expect(await studio.locator('[data-testid="comment"]', { hasText: '榴莲还有吗' }).count()).toBe(
      0,
    );

    expect(ownerTrouble).toEqual([]);
    expect(modTrouble).toEqual([]);
    expect(guestTrouble).toEqual([]);
    expect(viewerTrouble).toEqual([]);
    await viewerContext.close();
    await guestContext.close();
    await modContext.close();
    await ownerContext.close();
  });
});
