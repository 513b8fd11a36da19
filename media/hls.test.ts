import { describe, expect, it } from 'vitest';
import { closedPlaylist, hlsSegments, totalDurationMs } from './hls';

// as egress v1.8 writes it while recording: no #EXT-X-ENDLIST yet
const LIVE = `#EXTM3U
#EXT-X-VERSION:4
#EXT-X-PLAYLIST-TYPE:EVENT
#EXT-X-ALLOW-CACHE:NO
#EXT-X-TARGETDURATION:4
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PROGRAM-DATE-TIME:2026-11-26T16:42:17.684Z
#EXTINF:4.000,
seg_00000.ts
#EXT-X-PROGRAM-DATE-TIME:2026-11-26T16:42:21.684Z
#EXTINF:4.021,
seg_00001.ts
#EXTINF:3.5,
seg_00002.ts
`;

describe('HLS playlists', () => {
  it('reads each segment with its duration and, where given, its wall-clock start', () => {
    const segments = hlsSegments(LIVE);
    expect(segments.map((s) => [s.uri, s.startsAt?.toISOString() ?? null])).toEqual([
      ['seg_00000.ts', '2026-11-26T16:42:17.684Z'],
      ['seg_00001.ts', '2026-11-26T16:42:21.684Z'],
      ['seg_00002.ts', null],
    ]);
    expect(totalDurationMs(segments)).toBe(11_521);
  });

  it('closes a cut of a live playlist as a finished one that reads back the same', () => {
    const kept = hlsSegments(LIVE).slice(0, 2);
    const closed = closedPlaylist(kept);
    expect(closed).toMatch(/#EXT-X-PLAYLIST-TYPE:VOD\n/);
    expect(closed).toMatch(/#EXT-X-TARGETDURATION:5\n/);
    expect(closed.endsWith('#EXT-X-ENDLIST\n')).toBe(true);
    expect(hlsSegments(closed)).toEqual(kept);
  });
});
