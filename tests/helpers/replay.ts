import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';

// What the replay tests share: the replay as GET /api/streams/:id gives it, and the wait for
// the recorder to record (it starts by itself once the owner is on air).

export interface ReplayView {
  status: 'processing' | 'ready' | 'failed';
  url: string | null;
  durationMs: number | null;
  chapters: { label: string; atMs: number }[];
  pins: { offerId: string | null; atMs: number }[];
}

/**
 * Waits until the stream's recording records (its egress is active); a recording that fails
 * meanwhile fails the wait at once, with its reason.
 */
export async function waitForRecording(db: Kysely<DB>, streamId: string): Promise<void> {
  const recording = () =>
    db
      .selectFrom('stream_recordings')
      .select(['status', 'error'])
      .where('stream_id', '=', streamId)
      .executeTakeFirst();
  // a busy egress may not take the request at once (recording.service.ts,
  // START_RETRY_DELAYS_MS), and a started one may be started again (START_TIMEOUTS_MS)
  const deadline = Date.now() + 120_000;
  for (;;) {
    const row = await recording();
    if (row?.status === 'active') return;
    if (row?.status === 'failed') throw new Error(`the recording failed: ${row.error}`);
    if (Date.now() > deadline) {
      throw new Error(`the recording is still ${row?.status ?? 'missing'} after 120 s`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Waits until the stream's recordings are finished (after the end), and says why any did not
 * complete: the replay itself only says `failed`.
 */
export async function expectRecorded(db: Kysely<DB>, streamId: string): Promise<void> {
  const recordings = () =>
    db
      .selectFrom('stream_recordings')
      .select(['status', 'error'])
      .where('stream_id', '=', streamId)
      .execute();
  await expect
    .poll(
      async () =>
        (await recordings()).every((r) => r.status === 'complete' || r.status === 'failed'),
      // as long as the recorder waits for egress to finish (recording.service.ts, FINISH_TIMEOUT_MS)
      { timeout: 185_000, interval: 500 },
    )
    .toBe(true);
  expect((await recordings()).filter((r) => r.status !== 'complete')).toEqual([]);
}
