import { describe, expect, inject, it } from 'vitest';
import type { DB } from '../../db/schema';
import { kyselyFor } from '../setup/services';
import { expectRecorded, waitForRecording, type ReplayView } from '../helpers/replay';
import { LAPTOP, PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import { apiAs, goLiveInStudio, liveShop, useBrowser } from '../helpers/browser-setup';

// Issue 10, recording always on: the app records every live with LiveKit Egress (started
// beside livekit-server by the test setup, as `npm start` does), with no action by the owner.
// After the end the watch page plays the recording, with the segment labels set live as
// chapters.

const baseUrl = inject('baseUrl');
const browser = useBrowser();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The sum of a playlist's #EXTINF durations, in ms, and its media URIs. */
function parsePlaylist(text: string): { durationMs: number; uris: string[] } {
  let total = 0;
  for (const m of text.matchAll(/^#EXTINF:([\d.]+)/gm)) total += Number(m[1]);
  const uris = text.split('\n').filter((l) => l && !l.startsWith('#'));
  return { durationMs: Math.round(total * 1000), uris };
}

describe('replay', () => {
  it('records the live from go-live to end; a phone plays it and a chapter seeks to its mark', async () => {
    const db = kyselyFor<DB>(inject('databaseUrl'));
    const ownerContext = await browser().newContext({
      ...LAPTOP,
      permissions: ['camera', 'microphone'],
    });
    const ownerTrouble = watchForTrouble(ownerContext);
    const api = apiAs(ownerContext);
    const { streamId } = await liveShop(api, {
      tag: 'replay',
      shop: { name: '陈家豆腐坊', address: '长乐路 12 号' },
      stream: { title: '凌晨三点磨豆浆' },
    });

    const studio = await goLiveInStudio(ownerContext, streamId);
    // the recording starts by itself once the owner's camera is published
    await waitForRecording(db, streamId);
    await sleep(3_000);
    await api.post(`/api/streams/${streamId}/segment`, { segment: 'sourcing' });
    await sleep(6_000);
    await api.post(`/api/streams/${streamId}/segment`, { segment: 'tasting' });
    await sleep(6_000);
    await studio.getByTestId('studio-end').click();
    await studio.getByTestId('studio-end-confirm').click();
    await studio.getByTestId('studio-ended').waitFor();

    // processing, then ready
    const replayNow = async () =>
      (await api.get<{ stream: { replay: ReplayView | null } }>(`/api/streams/${streamId}`)).stream
        .replay;
    await expectRecorded(db, streamId);
    expect((await replayNow())?.status).toBe('ready');
    const ready = (await replayNow())!;

    const stream = await db
      .selectFrom('streams')
      .select(['started_at', 'ended_at'])
      .where('id', '=', streamId)
      .executeTakeFirstOrThrow();
    const recording = await db
      .selectFrom('stream_recordings')
      .selectAll()
      .where('stream_id', '=', streamId)
      .executeTakeFirstOrThrow();
    const liveMs = stream.ended_at!.getTime() - stream.started_at!.getTime();
    const fromFirstFrameMs = stream.ended_at!.getTime() - recording.started_at!.getTime();
    const startDelayMs = recording.started_at!.getTime() - stream.started_at!.getTime();
    console.log(
      `replay figures: live ${liveMs} ms, recording ${ready.durationMs} ms, first frame ${startDelayMs} ms after go-live, recorded/first-frame-to-end ${ready.durationMs! - fromFirstFrameMs} ms`,
    );

    // the playlist is real: its segments add up to the recording, which spans the live from
    // its first frame to the end
    expect(ready.url).toBe(`/api/streams/${streamId}/replay/index.m3u8`);
    const playlistRes = await ownerContext.request.get(`${baseUrl}${ready.url}`);
    expect(playlistRes.status()).toBe(200);
    expect(playlistRes.headers()['content-type']).toBe('application/vnd.apple.mpegurl');
    const playlist = parsePlaylist(await playlistRes.text());
    expect(playlist.uris.length).toBeGreaterThanOrEqual(3);
    expect(Math.abs(playlist.durationMs - ready.durationMs!)).toBeLessThan(100);
    expect(Math.abs(ready.durationMs! - fromFirstFrameMs)).toBeLessThan(2_000);
    // it starts with the owner's camera (about 2 s after go-live), or 7-8 s later when egress
    // had to be started again (recording.service.ts, START_TIMEOUTS_MS)
    expect(liveMs - ready.durationMs!).toBeLessThan(15_000);
    const segmentUrl = new URL(playlist.uris[0]!, `${baseUrl}${ready.url}`).href;
    const segment = await ownerContext.request.get(segmentUrl);
    expect(segment.status()).toBe(200);
    expect(segment.headers()['content-type']).toBe('video/mp2t');
    const size = Number(segment.headers()['content-length']);
    expect(size).toBeGreaterThan(10_000);
    const ranged = await ownerContext.request.get(segmentUrl, {
      headers: { range: 'bytes=188-375' },
    });
    expect(ranged.status()).toBe(206);
    expect(ranged.headers()['content-range']).toBe(`bytes 188-375/${size}`);
    expect((await ranged.body()).length).toBe(188);

    // chapters: the two labels, 6 s apart as set, relative to the recording's first frame
    expect(ready.chapters.map((c) => c.label)).toEqual(['sourcing', 'tasting']);
    const marks = await db
      .selectFrom('stream_segments')
      .select('started_at')
      .where('stream_id', '=', streamId)
      .orderBy('started_at')
      .execute();
    ready.chapters.forEach((chapter, i) => {
      expect(
        Math.abs(chapter.atMs - (marks[i]!.started_at.getTime() - recording.started_at!.getTime())),
      ).toBeLessThanOrEqual(1);
    });

    // a resident on a phone: the replay plays by itself, muted; the second chapter seeks
    const phoneContext = await browser().newContext(PHONE);
    const phoneTrouble = watchForTrouble(phoneContext);
    const phone = await phoneContext.newPage();
    await phone.goto(`${baseUrl}/live/${streamId}`);
    const video = phone.getByTestId('replay-video');
    await video.waitFor();
    const currentTime = () =>
      phone.evaluate(
        () => document.querySelector<HTMLVideoElement>('[data-testid="replay-video"]')!.currentTime,
      );
    await expect.poll(currentTime, { timeout: 20_000 }).toBeGreaterThan(1);
    expect(
      await phone.evaluate(
        () => document.querySelector<HTMLVideoElement>('[data-testid="replay-video"]')!.muted,
      ),
    ).toBe(true);
    const frames = await phone.evaluate(
      () =>
        document
          .querySelector<HTMLVideoElement>('[data-testid="replay-video"]')!
          .getVideoPlaybackQuality().totalVideoFrames,
    );
    expect(frames).toBeGreaterThan(10);
    await phone.getByTestId('replay-unmute').click();
    const second = phone.getByTestId('replay-chapter').nth(1);
    await second.click();
    const target = ready.chapters[1]!.atMs / 1000;
    await expect.poll(currentTime, { timeout: 10_000 }).toBeGreaterThanOrEqual(target);
    expect((await currentTime()) - target).toBeLessThan(1.5);
    await screenshot(phone, 'replay-phone');

    expect(ownerTrouble).toEqual([]);
    expect(phoneTrouble).toEqual([]);
    await phoneContext.close();
    await ownerContext.close();
    await db.destroy();
  }, 360_000);
});
