import type { BrowserContext } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { PHONE, screenshot, troubleAfterRemoval, watchForTrouble } from '../helpers/browser';
import {
  apiAs,
  goLiveInStudio,
  hoursFromNow,
  liveShop,
  signUp as signUpAs,
  useBrowser,
  waitForPlaying,
} from '../helpers/browser-setup';

// Issue 15: the owner puts a viewer on stage by tapping their name in the comments (no user
// ids to paste), the viewer accepts on their phone and their camera shows in the studio; the
// stage is taken back, and someone removed is told why.

const baseUrl = inject('baseUrl');
const browser = useBrowser();

const signUp = (context: BrowserContext, name: string) => signUpAs(apiAs(context), name, 'tap');

/** An owner with a shop and a stream, live from the studio (Chromium's fake camera). */
async function liveStudio(context: BrowserContext) {
  const { shopId, streamId } = await liveShop(apiAs(context), {
    tag: 'tap',
    shop: { name: '王记鲜果', address: '康健路 88 号' },
    stream: { title: '连麦试吃', scheduledAt: hoursFromNow(1) },
  });
  const studio = await goLiveInStudio(context, streamId);
  return { studio, streamId, shopId };
}

describe('co-host by tapping a name', () => {
  it('owner taps a commenter → invite; the phone accepts and publishes; the stage is taken back; a removed viewer is told why', async () => {
    // The owner's studio on a phone-sized screen: the menu must fit there.
    const ownerContext = await browser().newContext({
      ...PHONE,
      permissions: ['camera', 'microphone'],
    });
    const ownerTrouble = watchForTrouble(ownerContext);
    const { studio, streamId } = await liveStudio(ownerContext);

    const guestContext = await browser().newContext({
      ...PHONE,
      permissions: ['camera', 'microphone'],
    });
    const guestTrouble = watchForTrouble(guestContext);
    const guestUser = await signUp(guestContext, '李姐');
    const guest = await guestContext.newPage();
    await guest.goto(`${baseUrl}/live/${streamId}`);
    await waitForPlaying(guest);
    await guest.getByTestId('comment-input').fill('我家的草莓也想上镜！');
    await guest.getByTestId('comment-send').click();

    // The studio: the comment arrives with its author's id; the owner taps the name.
    const comment = studio.locator(`[data-testid="comment"][data-user-id="${guestUser.id}"]`);
    await comment.waitFor({ timeout: 10_000 });
    // the owner's own comments carry the owner badge, on the studio and on the phone
    await studio.getByTestId('comment-input').fill('欢迎李姐！');
    await studio.getByTestId('comment-send').click();
    await studio.locator('[data-testid="comment-badge"][data-role="owner"]').waitFor();
    await guest.locator('[data-testid="comment-badge"][data-role="owner"]').waitFor();

    await comment.getByTestId('comment-author').click();
    const menu = studio.getByTestId('comment-menu');
    await menu.waitFor();
    for (const item of [
      'menu-invite',
      'menu-appoint',
      'comment-delete',
      'comment-mute',
      'menu-remove',
    ]) {
      expect(await menu.getByTestId(item).isVisible()).toBe(true);
    }
    await menu.scrollIntoViewIfNeeded();
    await screenshot(studio, 'cohost-tap-studio-menu-phone');
    expect(await studio.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await menu.getByTestId('menu-invite').click();
    await expect.poll(() => studio.getByTestId('comment-menu').count()).toBe(0);
    const stageRow = studio.getByTestId('studio-guest');
    await expect.poll(() => stageRow.textContent(), { timeout: 10_000 }).toContain('李姐');

    // The phone accepts: its fake camera publishes, the studio decodes it.
    await guest.getByTestId('cohost-invite').waitFor({ timeout: 10_000 });
    await guest.getByTestId('cohost-invite').getByRole('button').click();
    await guest.getByTestId('on-stage').waitFor({ timeout: 15_000 });
    await guest.getByTestId('self-view').waitFor();
    const guestFrames = () =>
      studio.evaluate(() => {
        const video = document.querySelector<HTMLVideoElement>('.guest-tiles video');
        return video?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
      });
    // adaptive streaming pauses video nobody can see: bring the guest's tile into view
    await studio.locator('.guest-tiles video').first().waitFor({ timeout: 15_000 });
    await studio.locator('.guest-tiles video').first().scrollIntoViewIfNeeded();
    await expect.poll(guestFrames, { timeout: 20_000 }).toBeGreaterThan(10);
    await expect.poll(() => stageRow.getAttribute('data-state')).toBe('onStage');
    await screenshot(studio, 'cohost-tap-studio-on-stage-phone');
    await screenshot(guest, 'cohost-tap-guest-on-stage-phone');

    // The co-host's comments now carry the co-host badge.
    await guest.getByTestId('comment-input').fill('大家好，我是李姐');
    await guest.getByTestId('comment-send').click();
    await studio
      .locator('[data-testid="comment-badge"][data-role="cohost"]')
      .waitFor({ timeout: 10_000 });

    // Take the stage back from the stage list.
    await stageRow.getByTestId('studio-guest-take-back').click();
    await expect
      .poll(() => studio.locator('.guest-tiles video').count(), { timeout: 15_000 })
      .toBe(0);
    await expect.poll(() => guest.getByTestId('on-stage').count(), { timeout: 15_000 }).toBe(0);
    expect(await guest.getByTestId('watch-page').getAttribute('data-phase')).toBe('playing');

    // A second viewer is invited from the comments and then removed from the stage list:
    // their phone says who removed them and what it means.
    const otherContext = await browser().newContext(PHONE);
    const otherTrouble = watchForTrouble(otherContext);
    const other = await signUp(otherContext, '捣乱的');
    const otherPage = await otherContext.newPage();
    await otherPage.goto(`${baseUrl}/live/${streamId}`);
    await waitForPlaying(otherPage);
    await otherPage.getByTestId('comment-input').fill('让我上去');
    await otherPage.getByTestId('comment-send').click();
    const otherComment = studio.locator(`[data-testid="comment"][data-user-id="${other.id}"]`);
    await otherComment.waitFor({ timeout: 10_000 });
    await otherComment.getByTestId('comment-author').click();
    await studio.getByTestId('menu-invite').click();
    const otherRow = studio.locator('[data-testid="studio-guest"]', { hasText: '捣乱的' });
    await otherRow.waitFor();
    await otherRow.getByTestId('studio-guest-remove').click();
    await otherRow.getByTestId('studio-guest-remove-confirm').click();
    await otherPage.getByTestId('live-removed').waitFor({ timeout: 15_000 });
    expect(await otherPage.getByTestId('live-removed').textContent()).toContain('移出');
    expect(await otherPage.getByTestId('live-removed').textContent()).toContain('王记鲜果');
    await screenshot(otherPage, 'cohost-tap-removed-phone');
    // and stays out after a reload
    await otherPage.reload();
    await otherPage.getByTestId('live-removed').waitFor({ timeout: 15_000 });

    expect(ownerTrouble).toEqual([]);
    expect(guestTrouble).toEqual([]);
    // the server removed this phone from the room: livekit-client may log its channels closing
    expect(troubleAfterRemoval(otherTrouble)).toEqual([]);
    await otherContext.close();
    await guestContext.close();
    await ownerContext.close();
  });
});
