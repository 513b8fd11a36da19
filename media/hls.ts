// The HLS playlists egress writes (media/recorder.ts): while it records, an EVENT playlist
// that gains a segment every few seconds, each with its start as #EXT-X-PROGRAM-DATE-TIME;
// #EXT-X-ENDLIST once its files are finished.

export interface LiveSegment {
  /** the segment's line: its file name, relative to the playlist */
  uri: string;
  durationMs: number;
  /** its first frame's wall-clock time, when the playlist says */
  startsAt: Date | null;
}

/** The segments of a playlist, in order. */
export function hlsSegments(text: string): LiveSegment[] {
  const segments: LiveSegment[] = [];
  let startsAt: Date | null = null;
  let durationMs: number | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) {
      const at = new Date(line.slice('#EXT-X-PROGRAM-DATE-TIME:'.length));
      startsAt = Number.isNaN(at.getTime()) ? null : at;
    } else if (line.startsWith('#EXTINF:')) {
      durationMs = Number.parseFloat(line.slice('#EXTINF:'.length)) * 1000;
    } else if (line && !line.startsWith('#') && durationMs !== null) {
      segments.push({ uri: line, durationMs, startsAt });
      startsAt = null;
      durationMs = null;
    }
  }
  return segments;
}

/** The sum of the segments' durations, in whole ms. */
export function totalDurationMs(segments: readonly LiveSegment[]): number {
  return Math.round(segments.reduce((sum, s) => sum + s.durationMs, 0));
}

/** A finished (VOD) playlist around these lines (segments, discontinuities…). */
export function vodPlaylist(targetDurationS: number, body: readonly string[]): string {
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    `#EXT-X-TARGETDURATION:${targetDurationS}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    ...body,
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');
}

/** A finished (VOD) playlist of these segments. */
export function closedPlaylist(segments: readonly LiveSegment[]): string {
  return vodPlaylist(
    Math.max(1, ...segments.map((s) => Math.ceil(s.durationMs / 1000))),
    segments.flatMap((s) => [
      ...(s.startsAt ? [`#EXT-X-PROGRAM-DATE-TIME:${s.startsAt.toISOString()}`] : []),
      `#EXTINF:${(s.durationMs / 1000).toFixed(3)},`,
      s.uri,
    ]),
  );
}
