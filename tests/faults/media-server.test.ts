import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DEV_LIVEKIT_KEY, DEV_LIVEKIT_SECRET } from '../../server/config';
import { uniqueEmail } from '../helpers/app';
import { LAPTOP, PHONE, launchChromium, screenshot, watchForTrouble } from '../helpers/browser';
import { goLiveInStudio, waitForPlaying } from '../helpers/browser-setup';
import { startServerProcess } from '../helpers/server-process';
import { freeLivekitPort, freePort } from '../setup/ports';
import { createTestDatabase } from '../setup/services';

// The app's own livekit-server is killed (`kill -9`) in the middle of a live stream. The app
// must stay up, say "degraded" on /api/health, start livekit-server again on the same
// ports, open the stream's room again with its metadata; the studio must publish again and
// the resident's phone must decode video again by itself, without a reload.

const RECOVERY_BUDGET_MS = 15_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** The livekit-server child of the app process: the one started with --config-body. */
function livekitPid(appPid: number): number | null {
  let out: string;
  try {
    out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(appPid)], { encoding: 'utf8' });
  } catch {
    return null; // ps exits 1 when there is no child
  }
  const line = out.split('\n').find((l) => l.includes('--config-body'));
  return line ? Number(line.trim().split(/\s+/)[0]) : null;
}

function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

/** An owner signed in inside `context`, with a shop and a stream planned for tomorrow. */
async function ownerWithStream(context: BrowserContext, baseUrl: string): Promise<string> {
  const api = context.request;
  const signup = await api.post(`${baseUrl}/api/auth/signup`, {
    data: { email: uniqueEmail('owner'), password: 'longenough-pass', name: '王老板' },
  });
  expect(signup.status()).toBe(201);
  const shop = await api.post(`${baseUrl}/api/shops`, {
    data: { name: '王记鲜果', slug: `fruit-${Date.now().toString(36)}`, address: '康健路 88 号' },
  });
  const { shop: created } = (await shop.json()) as { shop: { id: string } };
  const stream = await api.post(`${baseUrl}/api/shops/${created.id}/streams`, {
    data: {
      title: '凌晨四点的批发市场',
      scheduledAt: new Date(Date.now() + 26 * 3_600_000).toISOString(),
    },
  });
  expect(stream.status()).toBe(201);
  return ((await stream.json()) as { stream: { id: string } }).stream.id;
}

/**
 * Counts the frames the watch page presents, with their times (performance.now()), through
 * requestVideoFrameCallback on the one <video> the page keeps across reconnections.
 */
async function recordFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="live-video"]');
    if (!video) throw new Error('no live video');
    const frames: number[] = [];
    Object.assign(window, { linliFrames: frames, linliSamePage: true });
    const tick = () => {
      frames.push(performance.now());
      video.requestVideoFrameCallback(tick);
    };
    video.requestVideoFrameCallback(tick);
  });
}

/**
 * The page time of the first frame after the picture stopped following `since` (a pause
 * of more than `gapMs`), and how many frames followed it; null while none has.
 */
function framesAgain(page: Page, since: number, gapMs = 500) {
  return page.evaluate(
    ({ since, gapMs }) => {
      const all = (window as unknown as { linliFrames: number[] }).linliFrames;
      const after = all.filter((t) => t > since);
      let previous = since;
      for (let i = 0; i < after.length; i++) {
        const t = after[i] ?? 0;
        if (t - previous > gapMs) return { firstAt: t, count: after.length - i };
        previous = t;
      }
      return null;
    },
    { since, gapMs },
  );
}

describe('the media server is killed during a live stream', () => {
  it('the app restarts it; the studio publishes again and the phone decodes video again without a reload', async () => {
    const database = await createTestDatabase('fault_media');
    cleanups.push(() => database.drop());
    const livekitPort = await freeLivekitPort();
    const app = await startServerProcess(database.url, await freePort(), {
      LIVEKIT_URL: '', // the app runs its own supervised livekit-server…
      LIVEKIT_PORT: String(livekitPort), // …on ports of its own
      API_ONLY: '', // and serves the built pages
    });
    const appPid = app.pid;
    if (appPid === undefined) throw new Error('the app has no pid');
    const livekitPids: number[] = [];
    cleanups.push(async () => {
      await app.kill('SIGTERM');
      // whatever livekit-server an aborted run left behind
      for (const pid of livekitPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    });
    const { baseUrl } = app;
    const health = async () => {
      const res = await fetch(`${baseUrl}/api/health`);
      return { code: res.status, ...((await res.json()) as { status: string }) };
    };
    expect(await health()).toMatchObject({ code: 200, status: 'ok' });

    const browser: Browser = await launchChromium();
    cleanups.push(() => browser.close());
    const ownerContext = await browser.newContext({
      ...LAPTOP,
      permissions: ['camera', 'microphone'],
    });
    const ownerTrouble = watchForTrouble(ownerContext);
    const streamId = await ownerWithStream(ownerContext, baseUrl);

    // The owner goes live from the studio, and says they are tasting.
    const studio = await goLiveInStudio(ownerContext, streamId, baseUrl);
    await studio.getByTestId('studio-segment-tasting').click();

    // A resident watches on a phone.
    const viewerContext = await browser.newContext(PHONE);
    const viewerTrouble = watchForTrouble(viewerContext);
    const viewer = await viewerContext.newPage();
    await viewer.goto(`${baseUrl}/live/${streamId}`);
    await waitForPlaying(viewer);
    await recordFrames(viewer);
    await expect
      .poll(() => framesAgain(viewer, 0).then((f) => f?.count ?? 0), { timeout: 10_000 })
      .toBeGreaterThan(15);

    const rooms = new RoomServiceClient(
      `http://127.0.0.1:${livekitPort}`,
      DEV_LIVEKIT_KEY,
      DEV_LIVEKIT_SECRET,
    );
    const roomMetadata = async () => {
      const [room] = await rooms.listRooms([streamId]).catch(() => []);
      return room?.metadata ? (JSON.parse(room.metadata) as Record<string, unknown>) : null;
    };
    await expect.poll(roomMetadata, { timeout: 10_000 }).toMatchObject({ segment: 'tasting' });

    // kill -9 the app's livekit-server.
    const firstPid = livekitPid(appPid);
    if (firstPid === null)
      throw new Error(`the app runs no livekit-server:\n${app.output.join('')}`);
    livekitPids.push(firstPid);
    const killedAt = await viewer.evaluate(() => performance.now());
    process.kill(firstPid, 'SIGKILL');
    const killedAtMs = Date.now();

    // Meanwhile: /api/health, and the phone's and the studio's 'reconnecting' states.
    const healthSeen: string[] = [];
    let watching = true;
    const healthWatch = (async () => {
      while (watching) {
        const h = await health().catch(() => ({ code: 0, status: 'unreachable' }));
        if (healthSeen.at(-1) !== `${h.code} ${h.status}`) healthSeen.push(`${h.code} ${h.status}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    let screenshotPath: string | null = null;
    const studioReconnecting = studio
      .getByTestId('studio-reconnecting')
      .waitFor({ timeout: RECOVERY_BUDGET_MS })
      .then(
        () => true,
        () => false,
      );
    const phoneReconnecting = expect
      .poll(() => viewer.getByTestId('watch-page').getAttribute('data-phase'), {
        timeout: RECOVERY_BUDGET_MS,
        interval: 50,
      })
      .toBe('reconnecting')
      .then(
        async () => {
          screenshotPath = await screenshot(viewer, 'media-restart-reconnecting-phone');
          return (await viewer.getByTestId('live-phase').textContent())?.trim() ?? '';
        },
        () => null,
      );

    // The phone decodes video again, by itself, within the budget.
    await expect
      .poll(() => framesAgain(viewer, killedAt).then((f) => f?.count ?? 0), {
        timeout: RECOVERY_BUDGET_MS,
        interval: 100,
      })
      .toBeGreaterThanOrEqual(15);
    const again = await framesAgain(viewer, killedAt);
    const recoveredInMs = Math.round((again?.firstAt ?? NaN) - killedAt);
    const decodingAgainAfterMs = Date.now() - killedAtMs;

    await expect.poll(() => health().then((h) => h.status), { timeout: 10_000 }).toBe('ok');
    watching = false;
    await healthWatch;

    // The app process lived through it, with a new livekit-server on the same port.
    expect(app.child.exitCode).toBeNull();
    const secondPid = livekitPid(appPid);
    expect(secondPid).not.toBeNull();
    expect(secondPid).not.toBe(firstPid);
    if (secondPid !== null) livekitPids.push(secondPid);
    expect(app.output.join('')).toContain('livekit-server exited unexpectedly');
    // The room is back with its metadata; the page was not reloaded.
    expect(await roomMetadata()).toMatchObject({ streamId, segment: 'tasting' });
    expect(await viewer.evaluate(() => 'linliSamePage' in window)).toBe(true);
    await expect
      .poll(() => studio.getByTestId('studio-page').getAttribute('data-link'), { timeout: 10_000 })
      .toBe('connected');
    expect(await viewer.getByTestId('watch-page').getAttribute('data-phase')).toBe('playing');

    const reconnectingText = await phoneReconnecting;
    const studioSaidReconnecting = await studioReconnecting;
    console.info(
      [
        `media server killed: first new frame on the phone ${recoveredInMs} ms after the kill`,
        `(15 frames decoded again ${decodingAgainAfterMs} ms after it);`,
        `health ${healthSeen.join(' → ')};`,
        `phone said ${JSON.stringify(reconnectingText)}, studio reconnecting shown: ${studioSaidReconnecting};`,
        `screenshot ${screenshotPath ?? 'none'}`,
      ].join(' '),
    );
    expect(recoveredInMs).toBeLessThan(RECOVERY_BUDGET_MS);
    expect(healthSeen).toContain('200 degraded');
    expect(healthSeen.every((h) => h === '200 ok' || h === '200 degraded')).toBe(true);
    expect(reconnectingText).toBe('画面连接中断，正在自动恢复…');
    expect(studioSaidReconnecting).toBe(true);
    // Only what a broken connection logs; nothing thrown.
    expect([...ownerTrouble, ...viewerTrouble].filter((t) => t.startsWith('page error'))).toEqual(
      [],
    );
  });
});
