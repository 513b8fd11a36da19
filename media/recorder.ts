import { join } from 'node:path';
import {
  EgressClient,
  EgressStatus,
  EncodingOptions,
  RoomServiceClient,
  S3Upload,
  SegmentedFileOutput,
  SegmentedFileProtocol,
  TrackSource,
  type EgressInfo,
} from 'livekit-server-sdk';
import { isNotFound } from './media.service';

// The recorder's side of LiveKit (issue 10): a participant egress of the owner's camera and
// microphone into HLS. It needs no Chromium, Xvfb or PulseAudio (room composite does), which
// matters on two cores, and records the owner's own tracks, so a camera switch (same track,
// new device) is in the recording and co-hosts are not. Unlike a track composite it is given
// the owner's identity, not track ids: it can start as soon as the owner joins the room,
// while the studio is still publishing, and takes each track as it is published, so the
// recording begins with the owner's first frame instead of a second or two after it.

/** An egress as the app follows it. */
export interface EgressSnapshot {
  egressId: string;
  status: 'starting' | 'active' | 'ending' | 'complete' | 'failed';
  error: string | null;
  /** when the first frame was recorded */
  startedAt: Date | null;
  endedAt: Date | null;
  durationMs: number | null;
  /** where the playlist ended up: a local path, or an upload's URL */
  playlist: string | null;
}

export interface Recorder {
  /** Absolute directory recordings are written under (DATA_DIR/recordings). */
  readonly directory: string;
  /**
   * The participant in the room (`null` when not there), and their published camera and
   * microphone by track id. Throws when livekit-server does not answer.
   */
  participant(room: string, identity: string): Promise<{ video?: string; audio?: string } | null>;
  /** Starts recording the participant's camera and microphone into `<directory>/<folder>/index.m3u8`. */
  start(room: string, identity: string, folder: string): Promise<EgressSnapshot>;
  stop(egressId: string): Promise<EgressSnapshot>;
  /** The egress as livekit-server knows it now; null when it knows none by that id. */
  get(egressId: string): Promise<EgressSnapshot | null>;
}

export const PLAYLIST_NAME = 'index.m3u8';

/**
 * S3-compatible storage for recordings (.env.example), sent with each egress request: the
 * files go to the bucket under `<streamId>/<recordingId>/`, and the replay plays them from
 * the playlist's URL there, so the bucket (or a CDN at that address) must be readable.
 */
export interface EgressS3 {
  accessKey: string;
  secret: string;
  bucket: string;
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
}

export class RecorderConfigError extends Error {
  override name = 'RecorderConfigError';
}

/** EGRESS_S3_* (bucket, access key and secret together, or none): none writes to disk. */
export function egressS3FromEnv(env: NodeJS.ProcessEnv = process.env): EgressS3 | undefined {
  const bucket = env.EGRESS_S3_BUCKET;
  if (!bucket) return undefined;
  const accessKey = env.EGRESS_S3_ACCESS_KEY;
  const secret = env.EGRESS_S3_SECRET;
  if (!accessKey || !secret) {
    throw new RecorderConfigError(
      'EGRESS_S3_BUCKET needs EGRESS_S3_ACCESS_KEY and EGRESS_S3_SECRET',
    );
  }
  return {
    bucket,
    accessKey,
    secret,
    ...(env.EGRESS_S3_REGION ? { region: env.EGRESS_S3_REGION } : {}),
    ...(env.EGRESS_S3_ENDPOINT ? { endpoint: env.EGRESS_S3_ENDPOINT } : {}),
    ...(env.EGRESS_S3_FORCE_PATH_STYLE === 'true' ? { forcePathStyle: true } : {}),
  };
}

const nsToDate = (ns: bigint): Date | null => (ns > 0n ? new Date(Number(ns / 1_000_000n)) : null);

export function egressSnapshot(info: EgressInfo): EgressSnapshot {
  const segments = info.segmentResults[0];
  const status = ((): EgressSnapshot['status'] => {
    switch (info.status) {
      case EgressStatus.EGRESS_STARTING:
        return 'starting';
      case EgressStatus.EGRESS_ACTIVE:
        return 'active';
      case EgressStatus.EGRESS_ENDING:
        return 'ending';
      case EgressStatus.EGRESS_COMPLETE:
        return 'complete';
      case EgressStatus.EGRESS_FAILED:
      case EgressStatus.EGRESS_ABORTED:
      case EgressStatus.EGRESS_LIMIT_REACHED:
        return 'failed';
    }
  })();
  const durationNs = segments?.duration ?? 0n;
  return {
    egressId: info.egressId,
    status,
    error:
      status === 'failed'
        ? info.error || `egress ${EgressStatus[info.status]}`
        : info.error || null,
    startedAt: nsToDate(segments?.startedAt ?? 0n) ?? nsToDate(info.startedAt),
    endedAt: nsToDate(segments?.endedAt ?? 0n) ?? nsToDate(info.endedAt),
    durationMs: durationNs > 0n ? Number(durationNs / 1_000_000n) : null,
    playlist: segments?.playlistLocation || segments?.playlistName || null,
  };
}

/** Recording quality: 720p H.264 at 25 fps, a key frame every 2 s so every segment seeks. */
const ENCODING = new EncodingOptions({
  width: 1280,
  height: 720,
  framerate: 25,
  videoBitrate: 2000,
  keyFrameInterval: 2,
  audioBitrate: 96,
  audioFrequency: 48000,
});

/**
 * How long a start request may take. Egress answers once its handler process has joined the
 * room, which on a busy machine takes longer than the SDK's default 10 s; a request given up
 * too early leaves an egress that starts anyway, unfollowed, and burns a core until the owner
 * leaves (and a busier machine times out the next start too).
 */
const START_REQUEST_SECONDS = 45;

export function createRecorder(opts: {
  url: string;
  apiKey: string;
  apiSecret: string;
  directory: string;
  /** Upload to S3-compatible storage instead of writing to `directory`; default EGRESS_S3_*. */
  s3?: EgressS3 | undefined;
}): Recorder {
  const s3 = 's3' in opts ? opts.s3 : egressS3FromEnv();
  const httpUrl = opts.url.replace(/^ws/, 'http');
  const egress = new EgressClient(httpUrl, opts.apiKey, opts.apiSecret);
  const starter = new EgressClient(httpUrl, opts.apiKey, opts.apiSecret, {
    requestTimeout: START_REQUEST_SECONDS,
  });
  const rooms = new RoomServiceClient(httpUrl, opts.apiKey, opts.apiSecret);
  /** The participant's egress that is running in the room, if one is. */
  const running = async (room: string, identity: string) => {
    const infos = await egress.listEgress({ roomName: room, active: true }).catch(() => []);
    return infos.find(
      (info) => info.request.case === 'participant' && info.request.value.identity === identity,
    );
  };
  return {
    directory: opts.directory,
    async participant(room, identity) {
      const participant = await rooms.getParticipant(room, identity).catch((err: unknown) => {
        // not there (or no such room) is an answer; a server that did not answer is not
        if (isNotFound(err)) return null;
        throw err;
      });
      if (!participant) return null;
      const tracks: { video?: string; audio?: string } = {};
      for (const track of participant.tracks) {
        if (track.source === TrackSource.CAMERA) tracks.video ??= track.sid;
        if (track.source === TrackSource.MICROPHONE) tracks.audio ??= track.sid;
      }
      return tracks;
    },
    async start(room, identity, folder) {
      // With an upload the paths are keys in the bucket; locally, absolute paths.
      const base = s3 ? folder : join(opts.directory, folder);
      const segments = new SegmentedFileOutput({
        protocol: SegmentedFileProtocol.HLS_PROTOCOL,
        filenamePrefix: `${base}/seg`,
        playlistName: `${base}/${PLAYLIST_NAME}`,
        segmentDuration: 4,
        ...(s3 ? { output: { case: 's3', value: new S3Upload(s3) } } : {}),
      });
      try {
        const info = await starter.startParticipantEgress(
          room,
          identity,
          { segments },
          { encodingOptions: ENCODING },
        );
        return egressSnapshot(info);
      } catch (err) {
        // the request may have given up while the egress started anyway: that one is ours
        const started = await running(room, identity);
        if (started) return egressSnapshot(started);
        throw err;
      }
    },
    async stop(egressId) {
      return egressSnapshot(await egress.stopEgress(egressId));
    },
    async get(egressId) {
      const [info] = await egress.listEgress({ egressId });
      return info ? egressSnapshot(info) : null;
    },
  };
}
