import {
  deleteUnstartedRecording,
  findRecording,
  findRunningRecording,
  hasOtherRecording,
  insertRecording,
  updateUnfinishedRecording,
} from '../../db/repositories/recording.repository';
import type { StreamRecordingRow } from '../../db/recordings.schema';
import type { MediaService } from '../../media/media.service';
import type { EgressSnapshot, Recorder } from '../../media/recorder';
import type { AppDeps } from '../context';
import { closedAtStop, finishedUpdate, liveSegments, type LiveFiles } from './recording-files';

// Recording, always on (issue 10). Going live (or resuming) opens a recording that waits for
// the owner to join the room, then runs a participant egress of the owner's camera and
// microphone to HLS (media/recorder.ts), started while the studio is still publishing so the
// recording begins with the owner's first frame; ending stops it and follows the egress
// until its files are complete. Neither ever fails the stream: a recording that goes wrong is
// marked `failed` with its reason, and logged, so the replay says so instead of silently
// missing.

export type RecordingDeps = Pick<AppDeps, 'db' | 'media' | 'logger'>;

const recorders = new WeakMap<MediaService, Recorder>();

/** The recorder the app records with, beside the media service it goes with (app.ts). */
export function useRecorder(media: MediaService, recorder: Recorder): void {
  recorders.set(media, recorder);
}

export function recorderOf(media: MediaService): Recorder | undefined {
  return recorders.get(media);
}

/** How long a recording waits for the owner to join the room after going live. */
const WAIT_FOR_OWNER_MS = 30 * 60_000;
/**
 * While waiting, the room is asked every BRISK_POLL_MS for the first BRISK_FOR_MS (the studio
 * joins a second or so after go-live, and every moment of that is missing from the
 * recording), then every POLL_MS.
 */
const BRISK_POLL_MS = 100;
const BRISK_FOR_MS = 15_000;
/**
 * How long the egress may take to finish its files after the stop. On two busy cores its
 * encoder can be well behind the live, and egress stays `ending` until it has caught up.
 */
const FINISH_TIMEOUT_MS = 180_000;
/**
 * After the stop, how far past it an egress may go on recording before the stop is taken as
 * lost. Egress v1.8 now and then says `ending` and goes on writing segments for as long as
 * the owner publishes (seen on two busy cores): its files would never be finished.
 */
const PAST_STOP_MS = 10_000;
/**
 * While the egress says it records: how long the owner may be gone from the room before the
 * part is ended as if the egress had noticed (it ends with its participant, but on a busy
 * box it was seen to go on saying `active` long after), and how often that is looked at.
 */
const OWNER_GONE_MS = 10_000;
const PRESENCE_POLL_MS = 2_000;
const POLL_MS = 500;
/**
 * How long each started egress may go without recording once the owner's camera is
 * published, before it is started again; the recording fails after the last. The first is
 * short (a stalled egress is usually one that missed its key frame, and a fresh one asks
 * again); the later ones are longer, because on a busy machine the egress's pipeline can take
 * that long to come up, and starting it again only starts that over.
 */
const START_TIMEOUTS_MS = [5_000, 10_000, 20_000, 30_000] as const;
/** Waits before asking egress again to take a recording it did not take (startWithRetries). */
const START_RETRY_DELAYS_MS = [2_000, 5_000, 10_000] as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function fail(deps: RecordingDeps, row: StreamRecordingRow, reason: string) {
  deps.logger.error(
    { streamId: row.stream_id, recordingId: row.id, egressId: row.egress_id, reason },
    'recording failed',
  );
  await updateUnfinishedRecording(deps.db, row.id, {
    status: 'failed',
    error: reason.slice(0, 1000),
    ended_at: new Date(),
  });
}

/**
 * Going live or resuming: opens the stream's recording and, in the background, starts the
 * egress once `ownerId` publishes a camera. Never throws; a second call while a recording is
 * in progress does nothing.
 */
export async function startRecording(
  deps: RecordingDeps,
  streamId: string,
  ownerId: string,
): Promise<void> {
  try {
    const row = await insertRecording(deps.db, streamId);
    if (!row) return;
    const recorder = recorderOf(deps.media);
    if (!recorder) return await fail(deps, row, 'no recorder is configured');
    void runRecording(deps, recorder, row, ownerId).catch((err: unknown) =>
      deps.logger.error({ err, streamId }, 'recording task crashed'),
    );
  } catch (err) {
    deps.logger.error({ err, streamId }, 'could not open the recording');
  }
}

async function runRecording(
  deps: RecordingDeps,
  recorder: Recorder,
  row: StreamRecordingRow,
  ownerId: string,
): Promise<void> {
  const room = row.stream_id;
  const since = Date.now();
  for (;;) {
    const current = await findRecording(deps.db, row.id);
    if (current?.status !== 'waiting') return; // the stream ended meanwhile
    if (await recorder.participant(room, ownerId).catch(() => null)) break;
    if (Date.now() - since > WAIT_FOR_OWNER_MS) {
      return fail(deps, row, 'the owner never came on air');
    }
    await sleep(Date.now() - since < BRISK_FOR_MS ? BRISK_POLL_MS : POLL_MS);
  }
  for (let attempt = 1; ; attempt++) {
    const snapshot = await startWithRetries(deps, recorder, row, ownerId, attempt);
    if (!snapshot) return;
    const started = await updateUnfinishedRecording(deps.db, row.id, {
      egress_id: snapshot.egressId,
      status: 'starting',
    });
    if (!started) {
      // the stream ended while the egress was starting (the recording is failed by then)
      await recorder.stop(snapshot.egressId).catch(() => undefined);
      return;
    }
    deps.logger.info(
      { streamId: row.stream_id, egressId: snapshot.egressId, attempt },
      'recording started',
    );
    const startTimeoutMs = START_TIMEOUTS_MS[attempt - 1] ?? START_TIMEOUTS_MS.at(-1)!;
    const outcome = await followWhileLive(
      deps,
      recorder,
      row,
      snapshot.egressId,
      ownerId,
      startTimeoutMs,
    );
    if (outcome === 'left' || outcome === 'crashed') {
      return continueInNewPart(deps, recorder, row, ownerId, outcome);
    }
    if (outcome !== 'stalled') return;
    // Egress v1.8 now and then subscribes and never writes a frame (it waits for a key frame
    // that does not come): a fresh egress subscribes afresh, which asks for one again.
    await recorder.stop(snapshot.egressId).catch(() => undefined);
    deps.logger.warn(
      { streamId: row.stream_id, egressId: snapshot.egressId, attempt, startTimeoutMs },
      'the recorder wrote nothing; starting it again',
    );
    if (attempt >= START_TIMEOUTS_MS.length) {
      const current = await findRecording(deps.db, row.id);
      if (current?.status === 'starting') {
        return fail(
          deps,
          current,
          `the recorder wrote nothing in ${START_TIMEOUTS_MS.length} attempts`,
        );
      }
      return;
    }
  }
}

/**
 * The egress ended by itself while the stream is live. `left`: a participant egress ends with
 * its participant, so the owner left the room (the studio reloaded, the connection was lost).
 * `crashed`: it failed while recording (seen: its handler process died, and egress says
 * "internal error"; media/egress-process.ts replaces an egress that stops taking recordings
 * after such a death). This part is finished as it is (finishRecording; a failed one is
 * closed from its files), and a new one waits for the owner and an egress; the replay plays
 * the parts one after another.
 */
async function continueInNewPart(
  deps: RecordingDeps,
  recorder: Recorder,
  row: StreamRecordingRow,
  ownerId: string,
  why: 'left' | 'crashed',
): Promise<void> {
  // only from active: an end under way (stopRecording) has already moved it on
  const ending = await updateUnfinishedRecording(deps.db, row.id, { status: 'ending' }, ['active']);
  if (!ending) return;
  deps.logger.warn(
    { streamId: row.stream_id, egressId: ending.egress_id },
    why === 'left'
      ? 'the owner left the room while live; recording again once they are back'
      : 'the recorder failed while live; keeping what it wrote and recording again',
  );
  await startRecording(deps, row.stream_id, ownerId);
  await finishRecording(deps, recorder, ending);
}

/**
 * Starts the egress, asking again after START_RETRY_DELAYS_MS when egress does not take the
 * request: on a busy box it refuses while its idle CPU is below a recording's cost, or is
 * too slow to answer ("no response from servers"), or is being replaced after one of its
 * recordings died (media/egress-process.ts), and a moment later takes it. Fails the
 * recording after the last; undefined then, or when the stream ended meanwhile.
 */
async function startWithRetries(
  deps: RecordingDeps,
  recorder: Recorder,
  row: StreamRecordingRow,
  ownerId: string,
  attempt: number,
): Promise<EgressSnapshot | undefined> {
  for (let tried = 0; ; tried++) {
    try {
      return await recorder.start(row.stream_id, ownerId, recordingFolder(row, attempt));
    } catch (err) {
      const delay = START_RETRY_DELAYS_MS[tried];
      if (delay === undefined) {
        await fail(deps, row, `the recorder did not start: ${messageOf(err)}`);
        return undefined;
      }
      deps.logger.warn(
        { streamId: row.stream_id, err: messageOf(err), retryInMs: delay },
        'the recorder did not take the recording; asking again',
      );
      await sleep(delay);
      const current = await findRecording(deps.db, row.id);
      if (current?.status !== 'waiting' && current?.status !== 'starting') return undefined;
    }
  }
}

/** Where an attempt writes: `<streamId>/<recordingId>`, then `<recordingId>-2`, `-3`… */
function recordingFolder(row: StreamRecordingRow, attempt: number): string {
  return `${row.stream_id}/${row.id}${attempt > 1 ? `-${attempt}` : ''}`;
}

/**
 * While the stream is live: marks the recording active once the egress records, and notices
 * an egress that fails by itself. `stalled`: still not recording `startTimeoutMs` after the
 * owner's camera was published. `left`: the egress ended by itself (its participant left).
 * `crashed`: the egress failed while recording.
 */
async function followWhileLive(
  deps: RecordingDeps,
  recorder: Recorder,
  recording: StreamRecordingRow,
  egressId: string,
  ownerId: string,
  startTimeoutMs: number,
): Promise<'stalled' | 'left' | 'crashed' | 'done'> {
  let cameraSince: number | null = null;
  let presenceAt = 0;
  let goneSince: number | null = null;
  for (;;) {
    await sleep(POLL_MS);
    const row = await findRecording(deps.db, recording.id);
    if (!row || row.egress_id !== egressId) return 'done';
    if (row.status !== 'starting' && row.status !== 'active') return 'done';
    const snapshot = await recorder.get(egressId).catch(() => undefined);
    if (snapshot?.status === 'failed') {
      deps.logger.warn(
        { streamId: row.stream_id, egressId, error: snapshot.error, status: row.status },
        'the egress failed',
      );
      // before it recorded, it is started again like one that wrote nothing
      return row.status === 'active' ? 'crashed' : 'stalled';
    }
    if (
      row.status === 'active' &&
      (snapshot?.status === 'ending' || snapshot?.status === 'complete')
    ) {
      return 'left';
    }
    if (row.status === 'active' && Date.now() - presenceAt >= PRESENCE_POLL_MS) {
      presenceAt = Date.now();
      // only "not in the room" counts: a server that did not answer says nothing
      const here = await recorder.participant(row.stream_id, ownerId).then(
        (p) => p !== null,
        () => true,
      );
      goneSince = here ? null : (goneSince ?? Date.now());
      if (goneSince !== null && Date.now() - goneSince >= OWNER_GONE_MS) return 'left';
    }
    if (row.status === 'starting' && snapshot?.status === 'active') {
      await updateUnfinishedRecording(deps.db, row.id, {
        status: 'active',
        ...(snapshot.startedAt ? { started_at: snapshot.startedAt } : {}),
      });
    } else if (row.status === 'starting') {
      const tracks = await recorder.participant(row.stream_id, ownerId).catch(() => null);
      if (tracks?.video) cameraSince ??= Date.now();
      if (cameraSince !== null && Date.now() - cameraSince > startTimeoutMs) return 'stalled';
    }
  }
}

/**
 * Ending: stops the stream's recording and, in the background, follows the egress until its
 * files are complete (or marks it failed). Never throws.
 */
export async function stopRecording(deps: RecordingDeps, streamId: string): Promise<void> {
  try {
    const row = await findRunningRecording(deps.db, streamId);
    if (!row) return;
    const recorder = recorderOf(deps.media);
    if (!row.egress_id && recorder && (await hasOtherRecording(deps.db, streamId, row.id))) {
      // the owner left mid-way (or resumed) and never published again: the parts recorded
      // before stand, and nothing is missing from this one
      await deleteUnstartedRecording(deps.db, row.id);
      return;
    }
    if (!row.egress_id || !recorder) {
      return await fail(deps, row, 'the stream ended before the owner published a camera');
    }
    const ending = await updateUnfinishedRecording(deps.db, row.id, { status: 'ending' });
    if (!ending) return;
    void finishRecording(deps, recorder, ending).catch((err: unknown) =>
      deps.logger.error({ err, streamId }, 'recording task crashed'),
    );
  } catch (err) {
    deps.logger.error({ err, streamId }, 'could not stop the recording');
  }
}

async function finishRecording(
  deps: RecordingDeps,
  recorder: Recorder,
  row: StreamRecordingRow,
): Promise<void> {
  const egressId = row.egress_id;
  if (!egressId) return;
  let snapshot: EgressSnapshot | null;
  try {
    snapshot = await recorder.stop(egressId);
  } catch (err) {
    // an egress already ending by itself cannot be stopped (the owner left the room as the
    // stream ended, and a participant egress ends with its participant): follow it still
    snapshot = await recorder.get(egressId).catch(() => null);
    if (!snapshot) return fail(deps, row, `the recorder could not be stopped: ${messageOf(err)}`);
  }
  const stoppedAt = new Date();
  const deadline = stoppedAt.getTime() + FINISH_TIMEOUT_MS;
  while (snapshot?.status !== 'complete' && snapshot?.status !== 'failed') {
    const live = await liveSegments(recorder, row, snapshot);
    const last = live?.segments.at(-1)?.startsAt;
    if (live && last && last.getTime() >= stoppedAt.getTime() + PAST_STOP_MS) {
      return closeFromDisk(deps, recorder, row, live, stoppedAt, 'it went on recording');
    }
    if (Date.now() > deadline) {
      const why = `the recorder did not finish its files in ${FINISH_TIMEOUT_MS / 1000} s (egress ${snapshot?.status ?? 'unknown'})`;
      return closeFromDisk(deps, recorder, row, live, stoppedAt, why);
    }
    await sleep(POLL_MS);
    snapshot = await recorder.get(egressId).catch(() => snapshot);
  }
  if (snapshot.status === 'failed') {
    // it died (while live: continueInNewPart; or while finishing): what it wrote until the
    // stop stands
    const live = await liveSegments(recorder, row, snapshot);
    return closeFromDisk(deps, recorder, row, live, stoppedAt, snapshot.error ?? 'egress failed');
  }
  const update = await finishedUpdate(recorder, snapshot);
  if (update.status === 'failed') return fail(deps, row, update.error ?? 'the recording is empty');
  await updateUnfinishedRecording(deps.db, row.id, update);
  deps.logger.info(
    { streamId: row.stream_id, egressId, durationMs: update.duration_ms },
    'recording complete',
  );
}

/**
 * The egress did not finish its files (it went on after its stop, or failed): the recording
 * is what it wrote up to `stoppedAt` (closedAtStop), and the egress is asked to stop once
 * more. Failed, with `why`, only when nothing was written before then.
 */
async function closeFromDisk(
  deps: RecordingDeps,
  recorder: Recorder,
  row: StreamRecordingRow,
  live: LiveFiles | null,
  stoppedAt: Date,
  why: string,
): Promise<void> {
  const closed = live && (await closedAtStop(recorder, live, stoppedAt));
  if (!closed) return fail(deps, row, why);
  if (row.egress_id) await recorder.stop(row.egress_id).catch(() => undefined);
  deps.logger.warn(
    {
      streamId: row.stream_id,
      egressId: row.egress_id,
      why,
      segments: closed.segments,
      durationMs: closed.update.duration_ms,
    },
    'the recorder did not finish its files; closed the recording from them',
  );
  await updateUnfinishedRecording(deps.db, row.id, closed.update);
}
