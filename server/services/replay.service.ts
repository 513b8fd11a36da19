import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Database } from '../../db/database';
import type { StreamRecordingRow } from '../../db/recordings.schema';
import { listRecordings } from '../../db/repositories/recording.repository';
import { findStreamForRealtime } from '../../db/repositories/comment.repository';
import { listPins, listStreamComments } from '../../db/repositories/replay.repository';
import { listSegments } from '../../db/repositories/stream.repository';
import type { Segment } from '../../db/media.schema';
import { vodPlaylist } from '../../media/hls';
import type { StreamRow } from '../../db/schema';
import type { ReplayComment } from '../contracts/replay';
import type { Replay, ReplayChapter, ReplayPin } from '../contracts/stream';
import { AppError } from '../errors';
import type { User } from './auth.service';
import { streamRole } from './comment.service';
import { mayWatchMembersOnly } from './member.service';

// The replay of an ended stream (issue 10): its recordings (one per go-live or resume,
// played one after the other) and its chapters, the segment labels the owner set live.

/** The replay's playlist, joining the stream's recordings (replay.routes.ts serves it). */
export const replayPlaylistUrl = (streamId: string) => `/api/streams/${streamId}/replay/index.m3u8`;

interface Span {
  startMs: number;
  durationMs: number;
  /** where it begins in the replay */
  offsetMs: number;
}

function spansOf(recordings: StreamRecordingRow[]): Span[] {
  const spans: Span[] = [];
  let offsetMs = 0;
  for (const r of recordings) {
    if (r.status !== 'complete' || !r.started_at || !r.duration_ms) continue;
    spans.push({ startMs: r.started_at.getTime(), durationMs: r.duration_ms, offsetMs });
    offsetMs += r.duration_ms;
  }
  return spans;
}

/** Where a moment of the live falls in the replay; null when after the last recording's end. */
function replayTime(at: Date, spans: Span[]): number | null {
  const t = at.getTime();
  const span = spans.find((s) => t < s.startMs + s.durationMs);
  if (!span) return null;
  return Math.max(0, Math.round(span.offsetMs + Math.max(0, t - span.startMs)));
}

/**
 * Changes of a state set live (a segment label, the pinned offer) as moments of the replay:
 * one set before a recording began (or during a pause) starts where that recording starts;
 * one set after the last ends is dropped; of changes at the same moment the last one counts.
 */
function placeChanges<T>(
  changes: { value: T; at: Date }[],
  recordings: StreamRecordingRow[],
): { value: T; atMs: number }[] {
  const spans = spansOf(recordings);
  const placed: { value: T; atMs: number }[] = [];
  for (const change of changes) {
    const atMs = replayTime(change.at, spans);
    if (atMs === null) continue;
    while (placed.length && placed[placed.length - 1]!.atMs >= atMs) placed.pop();
    placed.push({ value: change.value, atMs });
  }
  return placed;
}

/**
 * The labels set live, as chapters of the replay (placeChanges). Cleared labels are no
 * chapter, and a label that repeats the one before adds nothing.
 */
export function chaptersOf(
  marks: { segment: Segment | null; at: Date }[],
  recordings: StreamRecordingRow[],
): ReplayChapter[] {
  const chapters: ReplayChapter[] = [];
  for (const p of placeChanges(
    marks.map((m) => ({ value: m.segment, at: m.at })),
    recordings,
  )) {
    if (p.value === null || chapters[chapters.length - 1]?.label === p.value) continue;
    chapters.push({ label: p.value, atMs: p.atMs });
  }
  return chapters;
}

/**
 * The offers pinned live, as moments of the replay (placeChanges): from each pin on, the
 * replay shows that offer; an unpin (null) takes it away. A pin that repeats the state
 * before adds nothing, nor does an unpin before any pin.
 */
export function pinsOf(
  pins: { offerId: string | null; at: Date }[],
  recordings: StreamRecordingRow[],
): ReplayPin[] {
  const placed: ReplayPin[] = [];
  for (const p of placeChanges(
    pins.map((pin) => ({ value: pin.offerId, at: pin.at })),
    recordings,
  )) {
    if ((placed[placed.length - 1]?.offerId ?? null) === p.value) continue;
    placed.push({ offerId: p.value, atMs: p.atMs });
  }
  return placed;
}

/**
 * Comments at their moments in the replay: those before the first frame at 0, those after
 * the last recording's end at its end, so every one stays readable.
 */
export function commentTimes(times: Date[], recordings: StreamRecordingRow[]): number[] {
  const spans = spansOf(recordings);
  const last = spans[spans.length - 1];
  const end = last ? last.offsetMs + last.durationMs : 0;
  return times.map((at) => replayTime(at, spans) ?? end);
}

/** null while the stream is live or has never been; the recording's state after the end. */
export async function replayOf(db: Database, stream: StreamRow): Promise<Replay | null> {
  if (stream.status !== 'ended') return null;
  const recordings = await listRecordings(db, stream.id);
  const none = { url: null, durationMs: null, chapters: [], pins: [] };
  if (recordings.length === 0) return { status: 'failed', ...none };
  if (recordings.some((r) => r.status === 'failed')) return { status: 'failed', ...none };
  if (recordings.some((r) => r.status !== 'complete')) return { status: 'processing', ...none };
  const [marks, pins] = await Promise.all([listSegments(db, stream.id), listPins(db, stream.id)]);
  return {
    status: 'ready',
    url: replayPlaylistUrl(stream.id),
    durationMs: recordings.reduce((sum, r) => sum + (r.duration_ms ?? 0), 0),
    chapters: chaptersOf(marks, recordings),
    pins: pinsOf(pins, recordings),
  };
}

/**
 * One HLS playlist for the whole replay: each complete recording's segments in turn, with a
 * discontinuity between recordings. Local segments are addressed relative to the replay's
 * playlist (`<recordingId>/<file>`), uploaded ones by their URL.
 */
export async function replayPlaylist(
  db: Database,
  recordingsDir: string,
  streamId: string,
): Promise<string | null> {
  const recordings = (await listRecordings(db, streamId)).filter(
    (r) => r.status === 'complete' && r.playlist,
  );
  if (recordings.length === 0) return null;
  let target = 1;
  const body: string[] = [];
  for (const [i, r] of recordings.entries()) {
    const location = r.playlist!;
    const remote = /^https?:\/\//.test(location);
    let text: string;
    try {
      text = remote
        ? await (await fetch(location, { signal: AbortSignal.timeout(5000) })).text()
        : await readFile(join(recordingsDir, location), 'utf8');
    } catch {
      return null;
    }
    if (i > 0) body.push('#EXT-X-DISCONTINUITY');
    for (const line of text.split('\n').map((l) => l.trim())) {
      const duration = /^#EXT-X-TARGETDURATION:(\d+)/.exec(line);
      if (duration) target = Math.max(target, Number(duration[1]));
      if (line.startsWith('#EXTINF:')) body.push(line);
      else if (line && !line.startsWith('#')) {
        // local: <streamId>/<folder>/index.m3u8, the folder named after the recording
        body.push(remote ? new URL(line, location).href : `${basename(dirname(location))}/${line}`);
      }
    }
  }
  return vodPlaylist(target, body);
}

/** How many comments the replay shows at most (the oldest first). */
export const REPLAY_COMMENTS = 2000;

/**
 * The live's comments for the replay of an ended stream, each at its moment in the
 * recording (commentTimes). A members-only stream's comments are for those who may watch
 * it, as its chat was (comment.service joinStream).
 */
/**
 * An ended stream's replay (its media and its comments) is for whoever could watch it live:
 * anyone for a public stream; for a members-only one, the shop's members and its staff.
 */
export async function assertMayWatchReplay(
  db: Database,
  user: User | null,
  streamId: string,
): Promise<void> {
  const stream = await findStreamForRealtime(db, streamId);
  if (!stream || stream.status !== 'ended') throw new AppError('not_found', 'No replay.');
  if (
    stream.visibility === 'members' &&
    (!user || (await streamRole(db, user, stream)) === null) &&
    !(await mayWatchMembersOnly(db, { id: stream.shopId, owner_id: stream.ownerId }, user))
  ) {
    throw new AppError('members_only', "This stream is for the shop's members: join the shop.");
  }
}

export async function replayComments(
  db: Database,
  user: User | null,
  streamId: string,
): Promise<ReplayComment[]> {
  await assertMayWatchReplay(db, user, streamId);
  const [rows, recordings] = await Promise.all([
    listStreamComments(db, streamId, REPLAY_COMMENTS),
    listRecordings(db, streamId),
  ]);
  const times = commentTimes(
    rows.map((r) => r.created_at),
    recordings,
  );
  return rows.map((r, i) => ({
    id: r.id,
    name: r.author_name,
    text: r.text,
    role: r.author_role,
    atMs: times[i]!,
  }));
}
