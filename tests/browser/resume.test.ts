import { describe, expect, inject, it } from 'vitest';
import { LAPTOP, PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import {
  apiAs,
  goLiveInStudio,
  liveShop,
  useBrowser,
  waitForFrames,
  waitForPlaying,
} from '../helpers/browser-setup';

// Issue 15: an owner who ended by mistake resumes within 2 hours; a phone that kept the watch
// page open plays again by itself, without a reload.

const baseUrl = inject('baseUrl');
const browser = useBrowser();

const framesGrow = (page: Parameters<typeof waitForFrames>[0]) => waitForFrames(page, 15, 20_000);

describe('resuming a stream', () => {
  it('owner ends, then resumes from the studio; the open phone page plays again without reload', async () => {
    const ownerContext = await browser().newContext({
      ...LAPTOP,
      locale: 'zh-CN',
      permissions: ['camera', 'microphone'],
    });
    const ownerTrouble = watchForTrouble(ownerContext);
    const api = ownerContext.request;
    const { streamId } = await liveShop(apiAs(ownerContext), {
      tag: 'resume',
      shop: { name: '王记鲜果' },
      stream: { title: '收摊前的最后一筐' },
    });
    const studio = await goLiveInStudio(ownerContext, streamId);

    const viewerContext = await browser().newContext({ ...PHONE, locale: 'zh-CN' });
    const viewerTrouble = watchForTrouble(viewerContext);
    const viewer = await viewerContext.newPage();
    await viewer.goto(`${baseUrl}/live/${streamId}`);
    await waitForPlaying(viewer);
    await framesGrow(viewer);
    // a mark on this very document: a reload would lose it
    await viewer.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });

    // End by mistake: the phone is told.
    await studio.getByTestId('studio-end').click();
    await studio.getByTestId('studio-end-confirm').click();
    await studio.getByTestId('studio-ended').waitFor();
    await viewer.getByTestId('live-ended').waitFor({ timeout: 15_000 });
    await screenshot(studio, 'resume-studio-ended-laptop');

    // Resume: same room, the studio publishes again, the phone plays again by itself.
    await studio.getByTestId('studio-resume').click();
    await expect
      .poll(() => studio.getByTestId('studio-page').getAttribute('data-link'), { timeout: 20_000 })
      .toBe('connected');
    expect(await studio.getByTestId('studio-status').textContent()).toContain('直播中');
    await waitForPlaying(viewer, 30_000);
    await framesGrow(viewer);
    expect(await viewer.getByTestId('watch-page').getAttribute('data-status')).toBe('live');
    expect(
      await viewer.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument),
    ).toBe(true);
    await screenshot(viewer, 'resume-phone-playing-again');
    await screenshot(studio, 'resume-studio-live-again-laptop');

    // the dashboard's ended list offered the way back while it was ended; now it is live
    const view = (await (await api.get(`${baseUrl}/api/streams/${streamId}`)).json()) as {
      stream: { status: string };
    };
    expect(view.stream.status).toBe('live');

    await studio.getByTestId('studio-end').click();
    await studio.getByTestId('studio-end-confirm').click();
    await viewer.getByTestId('live-ended').waitFor({ timeout: 15_000 });
    expect(ownerTrouble).toEqual([]);
    expect(viewerTrouble).toEqual([]);
    await viewerContext.close();
    await ownerContext.close();
  });
});
