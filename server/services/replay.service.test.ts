import { describe, expect, it } from 'vitest';
import type { StreamRecordingRow } from '../../db/recordings.schema';
import { chaptersOf, commentTimes, pinsOf } from './replay.service';
import { parseRange } from '../routes/streams/replay.routes';

const t0 = new Date('2026-11-29T10:00:00Z').getTime();
const at = (s: number) => new Date(t0 + s * 1000);

function recording(startS: number, durationS: number): StreamRecordingRow {
  return {
    id: `r${startS}`,
    stream_id: 's',
    egress_id: `EG_${startS}`,
    status: 'complete',
    error: null,
    playlist: `s/r${startS}/index.m3u8`,
    started_at: at(startS),
    ended_at: at(startS + durationS),
    duration_ms: durationS * 1000,
    created_at: at(startS),
  };
}

describe('chaptersOf', () => {
  it('places labels relative to the first frame, across a resume, dropping clears and repeats', () => {
    const recordings = [recording(2, 20), recording(100, 10)];
    const chapters = chaptersOf(
      [
        { segment: 'sourcing', at: at(0) }, // before the first frame: at 0
        { segment: 'kitchen', at: at(8) },
        { segment: null, at: at(12) },
        { segment: 'kitchen', at: at(14) },
        { segment: 'tasting', at: at(50) }, // during the pause: where the resume starts
        { segment: 'qa', at: at(104) },
        { segment: 'sourcing', at: at(200) }, // after the last end: dropped
      ],
      recordings,
    );
    expect(chapters).toEqual([
      { label: 'sourcing', atMs: 0 },
      { label: 'kitchen', atMs: 6_000 }, // cleared and set again: still one chapter
      { label: 'tasting', atMs: 20_000 },
      { label: 'qa', atMs: 24_000 },
    ]);
  });

  it('keeps the last of labels set before the recording began', () => {
    expect(
      chaptersOf(
        [
          { segment: 'sourcing', at: at(0) },
          { segment: 'kitchen', at: at(1) },
        ],
        [recording(5, 10)],
      ),
    ).toEqual([{ label: 'kitchen', atMs: 0 }]);
  });
});

describe('pinsOf', () => {
  it('shows each pin from its moment, keeps unpins, drops repeats and what came after the end', () => {
    const recordings = [recording(2, 20), recording(100, 10)];
    expect(
      pinsOf(
        [
          { offerId: null, at: at(0) }, // an unpin before any pin: nothing
          { offerId: 'a', at: at(1) }, // pinned before the first frame: at 0
          { offerId: 'b', at: at(7) },
          { offerId: 'b', at: at(9) }, // pinned again: no change
          { offerId: null, at: at(15) },
          { offerId: 'a', at: at(60) }, // during the pause: where the resume starts
          { offerId: 'b', at: at(300) }, // after the last end: dropped
        ],
        recordings,
      ),
    ).toEqual([
      { offerId: 'a', atMs: 0 },
      { offerId: 'b', atMs: 5_000 },
      { offerId: null, atMs: 13_000 },
      { offerId: 'a', atMs: 20_000 },
    ]);
  });
});

describe('commentTimes', () => {
  it('places comments in replay time; those before the first frame at 0, after the end at the end', () => {
    const recordings = [recording(2, 20), recording(100, 10)];
    expect(commentTimes([at(1), at(5), at(30), at(101), at(500)], recordings)).toEqual([
      0, 3_000, 20_000, 21_000, 30_000,
    ]);
  });
});

describe('parseRange', () => {
  it('reads the three forms and refuses what it cannot satisfy', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=990-2000', 1000)).toEqual({ start: 990, end: 999 });
    expect(parseRange('bytes=1000-', 1000)).toBeNull();
    expect(parseRange('bytes=0-1,5-6', 1000)).toBeNull();
    expect(parseRange('bytes=-', 1000)).toBeNull();
  });
});
