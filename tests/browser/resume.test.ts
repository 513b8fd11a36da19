import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  LAPTOP,
  PHONE,
  screenshot,
  watchForTrouble,
} from '../helpers/browser';
import { uniqueEmail } from '../helpers/app';

// Issue 15: an owner who ended by mistake resumes within 2 hours; a phone that kept the watch
// page open plays again by itself, without a reload.

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
});
afterAll(async () => {
  await browser.close();
});

function framesDecoded(page: Page): Promise<number> {
  return page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="live-video"]');
    return video?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
  });
}

async function framesGrow(page: Page, by = 15, timeout = 20_000): Promise<void> {
  const start = await framesDecoded(page);
  await expect
    .poll(() => framesDecoded(page), { timeout, interval: 250 })
    .toBeGreaterThan(start + by);
}

describe('resuming a stream', () => {
  it('owner ends, then resumes from the studio; the open phone page plays again without reload', async () => {
    const ownerContext = await browser.newContext({
      ...LAPTOP,
      locale: 'zh-CN',
      permissions: ['camera', 'microphone'],
    });
    const ownerTrouble = watchForTrouble(ownerContext);
    const api = ownerContext.request;
    expect(
      (
        await api.post(`${baseUrl}/api/auth/signup`, {
          data: { email: uniqueEmail('owner'), password: 'longenough-pass', name: '王老板' },
        })
      ).status(),
    ).toBe(201);
    const shop = (await (
      await api.post(`${baseUrl}/api/shops`, {
        data: { name: '王记鲜果', slug: `resume-${Date.now().toString(36)}` },
      })
    ).json()) as { shop: { id: string } };
    const planned = (await (
      await api.post(`${baseUrl}/api/shops/${shop.shop.id}/streams`, {
        data: { title: '收摊前的最后一筐' },
      })
    ).json()) as { stream: { id: string } };
    const streamId = planned.stream.id;

    const studio = await ownerContext.newPage();
    await studio.goto(`${baseUrl}/studio/${streamId}`);
    await studio.getByTestId('studio-preview').waitFor();
    await studio.getByTestId('studio-go-live').click();
    await expect
      .poll(() => studio.getByTestId('studio-page').getAttribute('data-link'), { timeout: 20_000 })
      .toBe('connected');

    const viewerContext = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
    const viewerTrouble = watchForTrouble(viewerContext);
    const viewer = await viewerContext.newPage();
    await viewer.goto(`${baseUrl}/live/${streamId}`);
    await expect
      .poll(() => viewer.getByTestId('watch-page').getAttribute('data-phase'), { timeout: 20_000 })
      .toBe('playing');
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
    await expect
      .poll(() => viewer.getByTestId('watch-page').getAttribute('data-phase'), { timeout: 30_000 })
      .toBe('playing');
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
