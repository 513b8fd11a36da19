import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { CHROMIUM_ARGS, LAPTOP, PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import {
  apiAs,
  goLiveInStudio,
  hoursFromNow,
  liveShop,
  signUp,
  useBrowser,
  waitForFrames,
  waitForPlaying,
} from '../helpers/browser-setup';

const baseUrl = inject('baseUrl');

// Two fake cameras, so "switch camera" really moves to another device.
const ARGS = CHROMIUM_ARGS.map((arg) =>
  arg === '--use-fake-device-for-media-stream'
    ? '--use-fake-device-for-media-stream=device-count=2'
    : arg,
);

const browser = useBrowser(ARGS);

/** An owner with a shop and a planned stream, signed in inside `context`. */
async function ownerWithStream(context: BrowserContext, scheduledAt: string) {
  const { streamId } = await liveShop(apiAs(context), {
    tag: 'fruit',
    shop: { name: '王记鲜果', address: '康健路 88 号' },
    stream: { title: '凌晨四点的批发市场', scheduledAt },
  });
  return streamId;
}

/** The id of the MediaStreamTrack the watch page is playing: stays the same unless resubscribed. */
function playingTrackId(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="live-video"]');
    const stream = video?.srcObject;
    return stream instanceof MediaStream ? (stream.getVideoTracks()[0]?.id ?? null) : null;
  });
}

const framesGrow = waitForFrames;

describe('going live and watching', () => {
  it('owner goes live from the studio; a phone decodes frames, through a camera switch, until the end', async () => {
    const ownerContext = await browser().newContext({
      ...LAPTOP,
      permissions: ['camera', 'microphone'],
    });
    const ownerTrouble = watchForTrouble(ownerContext);
    const tomorrow = new Date(Date.now() + 26 * 3_600_000).toISOString();
    const streamId = await ownerWithStream(ownerContext, tomorrow);

    const viewerContext = await browser().newContext(PHONE);
    const viewerTrouble = watchForTrouble(viewerContext);
    const viewer = await viewerContext.newPage();

    // Before the start: schedule, countdown and a calendar file.
    await viewer.goto(`${baseUrl}/live/${streamId}`);
    await viewer.getByTestId('live-countdown').waitFor();
    expect(await viewer.getByTestId('live-scheduled').textContent()).toContain(
      '凌晨四点的批发市场',
    );
    const ics = await viewer.request.get(
      `${baseUrl}${await viewer.getByTestId('live-ics').getAttribute('href')}`,
    );
    expect(ics.headers()['content-type']).toMatch(/text\/calendar/);
    await screenshot(viewer, 'live-scheduled-phone');
    expect(await viewer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );

    // The studio: preview from the fake camera, two cameras to pick from.
    // The owner reaches the studio from their name in the header → my shops.
    const studio = await ownerContext.newPage();
    await studio.goto(`${baseUrl}/`);
    await studio.getByTestId('user-name').click();
    await studio.getByTestId('dashboard').waitFor();
    await screenshot(studio, 'dashboard-laptop');
    await studio
      .locator(`[data-testid="dashboard-stream"][data-stream-id="${streamId}"]`)
      .getByRole('link')
      .first()
      .click();
    await studio.waitForURL(`**/studio/${streamId}`);
    await studio.getByTestId('studio-preview').waitFor();
    await expect
      .poll(() => studio.getByTestId('studio-camera-select').locator('option').count())
      .toBe(2);
    await studio.getByTestId('studio-go-live').click();
    await expect
      .poll(() => studio.getByTestId('studio-page').getAttribute('data-link'), { timeout: 20_000 })
      .toBe('connected');
    expect(await studio.getByTestId('studio-status').textContent()).toContain('直播中');

    // The phone opens the watch page and decodes frames.
    await viewer.goto(`${baseUrl}/live/${streamId}`);
    await waitForPlaying(viewer);
    await framesGrow(viewer);
    expect(await viewer.getByTestId('unmute').isVisible()).toBe(true);
    // The real livekit-server's signed webhooks reach us: the viewer is counted, once. (The
    // scheduled page this phone left had joined when the stream went live; should its leave
    // not reach LiveKit as the page unloaded, LiveKit drops it after its ping timeout, up to
    // about 20 s, and only then says it left.)
    await expect
      .poll(
        async () => {
          const res = await viewer.request.get(`${baseUrl}/api/streams/${streamId}`);
          return ((await res.json()) as { stream: { viewerCount: number } }).stream.viewerCount;
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    const trackBefore = await playingTrackId(viewer);
    expect(trackBefore).not.toBeNull();

    // Segment label reaches the viewer through the room metadata.
    await studio.getByTestId('studio-segment-tasting').click();
    await expect
      .poll(
        () =>
          viewer
            .getByTestId('live-segment')
            .textContent()
            .catch(() => null),
        { timeout: 10_000 },
      )
      .toBe('试吃');

    // Switch camera: the device changes, the viewer's track stays the same and keeps decoding.
    const cameraBefore = await studio.getByTestId('studio-page').getAttribute('data-camera');
    await studio.getByTestId('studio-switch-camera').click();
    await expect
      .poll(() => studio.getByTestId('studio-page').getAttribute('data-camera'))
      .not.toBe(cameraBefore);
    await framesGrow(viewer, 30);
    expect(await playingTrackId(viewer)).toBe(trackBefore);
    expect(await viewer.getByTestId('watch-page').getAttribute('data-phase')).toBe('playing');

    await viewer.getByTestId('unmute').click();
    await expect.poll(() => viewer.getByTestId('unmute').count()).toBe(0);

    await screenshot(studio, 'studio-live-laptop');
    await screenshot(viewer, 'live-watch-phone');
    expect(await viewer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );

    // End: the viewer is told, without reloading.
    await studio.getByTestId('studio-end').click();
    await studio.getByTestId('studio-end-confirm').click();
    await studio.getByTestId('studio-ended').waitFor();
    await viewer.getByTestId('live-ended').waitFor({ timeout: 15_000 });
    await screenshot(viewer, 'live-ended-phone');
    await screenshot(studio, 'studio-ended-laptop');

    expect(ownerTrouble).toEqual([]);
    expect(viewerTrouble).toEqual([]);
    await viewerContext.close();
    await ownerContext.close();
  });

  it('owner invites a signed-in viewer on stage, sees their camera, and takes the stage back', async () => {
    const ownerContext = await browser().newContext({
      ...LAPTOP,
      permissions: ['camera', 'microphone'],
    });
    const ownerTrouble = watchForTrouble(ownerContext);
    const streamId = await ownerWithStream(ownerContext, hoursFromNow(1));
    const studio = await goLiveInStudio(ownerContext, streamId);

    const guestContext = await browser().newContext({
      ...PHONE,
      permissions: ['camera', 'microphone'],
    });
    const guestTrouble = watchForTrouble(guestContext);
    const user = await signUp(apiAs(guestContext), '李姐', 'leader');
    const guest = await guestContext.newPage();
    await guest.goto(`${baseUrl}/live/${streamId}`);
    await waitForPlaying(guest);

    await studio.getByTestId('studio-invite-by-id').click();
    await studio.getByTestId('studio-invite-id').fill(user.id);
    await studio.getByTestId('studio-invite-id').press('Enter');
    await guest.getByTestId('cohost-invite').waitFor({ timeout: 10_000 });
    await guest.getByTestId('cohost-invite').getByRole('button').click();
    await guest.getByTestId('on-stage').waitFor({ timeout: 15_000 });
    await guest.getByTestId('self-view').waitFor();

    // The owner's studio shows the guest's camera, decoding.
    const guestFrames = () =>
      studio.evaluate(() => {
        const video = document.querySelector<HTMLVideoElement>('.guest-tiles video');
        return video?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
      });
    await expect.poll(guestFrames, { timeout: 15_000 }).toBeGreaterThan(10);
    await screenshot(studio, 'studio-cohost-laptop');
    await screenshot(guest, 'live-on-stage-phone');

    // Take the stage back: the guest's tracks are unpublished, the tile goes away.
    await studio.getByTestId('studio-guest-take-back').click();
    await expect
      .poll(() => studio.locator('.guest-tiles video').count(), { timeout: 15_000 })
      .toBe(0);
    await expect.poll(() => guest.getByTestId('on-stage').count(), { timeout: 15_000 }).toBe(0);
    expect(await guest.getByTestId('watch-page').getAttribute('data-phase')).toBe('playing');

    // The studio on the owner's phone: same controls, one column.
    const phoneStudio = await browser().newContext({
      ...PHONE,
      permissions: ['camera', 'microphone'],
      storageState: await ownerContext.storageState(),
    });
    const phonePage = await phoneStudio.newPage();
    await phonePage.goto(`${baseUrl}/studio/${streamId}`);
    await phonePage.getByTestId('studio-preview').waitFor();
    await screenshot(phonePage, 'studio-phone');
    // nothing wider than the phone
    expect(
      await phonePage.evaluate(() => document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(390);
    await phoneStudio.close();

    expect(ownerTrouble).toEqual([]);
    expect(guestTrouble).toEqual([]);
    await guestContext.close();
    await ownerContext.close();
  });
});
