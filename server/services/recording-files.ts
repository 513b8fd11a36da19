import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { StreamRecordingRow, StreamRecordingUpdate } from '../../db/recordings.schema';
import { closedPlaylist, hlsSegments, totalDurationMs, type LiveSegment } from '../../media/hls';
import { PLAYLIST_NAME, type EgressSnapshot, type Recorder } from '../../media/recorder';

// A recording's files on disk (recording.service.ts): the playlist egress writes, what it
// measures, and, when egress does not finish after its stop, the playlist the app closes
// from the segments written before it.

/** The playlist the app writes beside egress's own when it closes a recording itself. */
const CLOSED_PLAYLIST = 'closed.m3u8';

/** An egress's live playlist on disk, and its segments so far. */
export interface LiveFiles {
  playlist: string;
  segments: LiveSegment[];
}

/** The sum of a local HLS playlist's segment durations, in ms; null when unreadable. */
async function playlistDurationMs(path: string): Promise<number | null> {
  const text = await readFile(path, 'utf8').catch(() => null);
  return text === null ? null : totalDurationMs(hlsSegments(text));
}

/** Where the playlist is, as stored: relative to the recordings directory when local. */
function storedPlaylist(recorder: Recorder, playlist: string | null): string | null {
  if (!playlist) return null;
  if (/^https?:\/\//.test(playlist) || !isAbsolute(playlist)) return playlist;
  return relative(recorder.directory, playlist);
}

/**
 * The recording as egress completed it: where its playlist is and how long it lasts (measured
 * from the playlist when local), or failed when it holds nothing. (A failed egress is closed
 * from its files instead: closedAtStop.)
 */
export async function finishedUpdate(
  recorder: Recorder,
  snapshot: EgressSnapshot,
): Promise<StreamRecordingUpdate> {
  const playlist = storedPlaylist(recorder, snapshot.playlist);
  const measured =
    playlist && !/^https?:/.test(playlist)
      ? await playlistDurationMs(join(recorder.directory, playlist))
      : null;
  const durationMs = measured ?? snapshot.durationMs;
  if (!durationMs) {
    return { status: 'failed', error: 'the recording is empty', ended_at: new Date() };
  }
  return {
    status: 'complete',
    error: null,
    playlist,
    duration_ms: durationMs,
    ...(snapshot.startedAt ? { started_at: snapshot.startedAt } : {}),
    ended_at: snapshot.endedAt ?? new Date(),
  };
}

/**
 * The segments egress has written so far for this recording, from its live playlist on disk:
 * where the egress says, else the newest of the recording's folders (`<recordingId>`,
 * `<recordingId>-2`…). Null for an upload (nothing on disk) or before any segment.
 */
export async function liveSegments(
  recorder: Recorder,
  row: StreamRecordingRow,
  snapshot: EgressSnapshot | null,
): Promise<LiveFiles | null> {
  let playlist = snapshot?.playlist && isAbsolute(snapshot.playlist) ? snapshot.playlist : null;
  if (!playlist) {
    const streamDir = join(recorder.directory, row.stream_id);
    let newest = -1;
    for (const name of await readdir(streamDir).catch(() => [])) {
      if (name !== row.id && !name.startsWith(`${row.id}-`)) continue;
      const path = join(streamDir, name, PLAYLIST_NAME);
      const modified = (await stat(path).catch(() => null))?.mtimeMs ?? -1;
      if (modified > newest) [playlist, newest] = [path, modified];
    }
  }
  const text = playlist ? await readFile(playlist, 'utf8').catch(() => null) : null;
  const segments = text ? hlsSegments(text) : [];
  return playlist && segments.length ? { playlist, segments } : null;
}

/**
 * What egress wrote before the stop, closed as a playlist of its own beside egress's
 * (CLOSED_PLAYLIST): the recording's update, complete; null when nothing began before it.
 */
export async function closedAtStop(
  recorder: Recorder,
  live: LiveFiles,
  stoppedAt: Date,
): Promise<{ update: StreamRecordingUpdate; segments: number } | null> {
  const kept = live.segments.filter((s) => !s.startsAt || s.startsAt < stoppedAt);
  if (kept.length === 0) return null;
  const closed = join(dirname(live.playlist), CLOSED_PLAYLIST);
  await writeFile(closed, closedPlaylist(kept));
  return {
    segments: kept.length,
    update: {
      status: 'complete',
      error: null,
      playlist: storedPlaylist(recorder, closed),
      duration_ms: totalDurationMs(kept),
      ended_at: new Date(),
    },
  };
}
