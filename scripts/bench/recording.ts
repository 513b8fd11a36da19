// The recording section of `npm run bench:media` (issue 10): what recording costs, and how
// many recordings this machine holds at once while a live viewer still sees the stream in
// time. Runs alone too: `npx tsx scripts/bench/recording.ts` (writes its BENCHMARKS.md block).
//
// One livekit-server with LiveKit Egress beside it (a private Redis, as `npm start` runs them)
// and, in this process, one owner publishing a 720p camera (@livekit/rtc-node, simulcast VP8,
// 25 fps) whose frames carry the wall-clock millisecond as a code of 24 luma blocks, and one
// viewer subscribed to it that reads the code back on every decoded frame (glass-to-glass,
// one clock). Recordings are the app's own (media/recorder.ts: a participant egress of the
// owner, H.264 720p HLS), started one more at a time on that owner: each costs egress what a
// recorded stream costs. At each step: egress's CPU (its process and its handlers, from
// /proc), the viewer's glass-to-glass and whether every recording is still recording.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LocalVideoTrack,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoCodec,
  VideoFrame,
  VideoSource,
  VideoStream,
  dispose,
  type RemoteTrack,
} from '@livekit/rtc-node';
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import { ensureEgressBinary, startEgress, startMediaRedis } from '../../media/egress-process';
import { createRecorder } from '../../media/recorder';
import { DEV_LIVEKIT_KEY, DEV_LIVEKIT_SECRET } from '../../server/config';
import { freeLivekitPorts, freePort } from '../../tests/setup/ports';
import { startTestLivekit } from '../../tests/setup/services';
import { machineLine, percentile, treeCpuSeconds, writeBenchmarkSection } from './machine';

/** The live viewer's glass-to-glass goal (BENCHMARKS.md, bench:media). */
export const G2G_GOAL_P95_MS = 200;
const WIDTH = 1280;
const HEIGHT = 720;
const FPS = 25;
const BITS = 24;
const BLOCK = 32;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `ms` (mod 2^24) into the top row of an I420 frame's luma, one block per bit. */
function stamp(frame: Uint8Array, ms: number) {
  for (let bit = 0; bit < BITS; bit++) {
    const on = (ms >> bit) & 1 ? 235 : 16;
    for (let y = 0; y < BLOCK; y++) {
      frame.fill(on, y * WIDTH + bit * BLOCK, y * WIDTH + (bit + 1) * BLOCK);
    }
  }
}

/** Reads the stamp back from a decoded frame (scaled to its width), or null when unreadable. */
function readStamp(frame: VideoFrame): number | null {
  const i420 = frame.type === VideoBufferType.I420 ? frame : frame.convert(VideoBufferType.I420);
  const scale = i420.width / WIDTH;
  const y = Math.floor((BLOCK / 2) * scale);
  let value = 0;
  for (let bit = 0; bit < BITS; bit++) {
    const x = Math.floor((bit * BLOCK + BLOCK / 2) * scale);
    const luma = i420.data[y * i420.width + x]!;
    if (luma > 90 && luma < 160) return null;
    if (luma >= 160) value |= 1 << bit;
  }
  return value;
}

const MASK = 2 ** BITS;

export interface RecordingBenchResult {
  markdown: string;
  /** egress CPU per recorded stream, in cores */
  coresPerRecording: number;
  /** the most recordings at once with every one recording and the viewer within the goal */
  heldRecordings: number;
}

/**
 * Measures recording: CPU per recorded stream, and concurrent recordings while a live
 * viewer's glass-to-glass p95 stays within G2G_GOAL_P95_MS. Returns the BENCHMARKS.md block.
 */
export async function measureRecording(
  opts: { steps?: number[]; stepSeconds?: number; log?: (line: string) => void } = {},
): Promise<RecordingBenchResult> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const steps = opts.steps ?? [1, 2, 3, 4, 6, 8];
  const stepSeconds = opts.stepSeconds ?? 20;
  const load = machineLine();
  const redis = await startMediaRedis(await freePort());
  const livekit = await startTestLivekit(await freeLivekitPorts(), undefined, redis.address);
  const dir = await mkdtemp(join(tmpdir(), 'linli-bench-recording-'));
  const egress = await startEgress({
    binary: ensureEgressBinary(),
    configDir: dir,
    apiKey: DEV_LIVEKIT_KEY,
    apiSecret: DEV_LIVEKIT_SECRET,
    wsUrl: livekit.url,
    redisAddress: redis.address,
    healthPort: await freePort(),
    // (the default admits every recording asked for: what the machine holds is measured,
    // not egress's guess)
  });
  const egressPid = egress.process.pid!;
  const recorder = createRecorder({
    url: livekit.url,
    apiKey: DEV_LIVEKIT_KEY,
    apiSecret: DEV_LIVEKIT_SECRET,
    directory: join(dir, 'recordings'),
    s3: undefined,
  });
  const roomName = 'bench-recording';
  await new RoomServiceClient(
    livekit.url.replace(/^ws/, 'http'),
    DEV_LIVEKIT_KEY,
    DEV_LIVEKIT_SECRET,
  ).createRoom({ name: roomName });
  const token = async (identity: string, publish: boolean) => {
    const at = new AccessToken(DEV_LIVEKIT_KEY, DEV_LIVEKIT_SECRET, { identity });
    at.addGrant({ roomJoin: true, room: roomName, canPublish: publish, canSubscribe: true });
    return at.toJwt();
  };

  // the owner: a 720p camera stamped with the time
  const owner = new Room();
  await owner.connect(livekit.url, await token('owner', true), {
    autoSubscribe: false,
    dynacast: false,
  });
  const source = new VideoSource(WIDTH, HEIGHT);
  await owner.localParticipant!.publishTrack(
    LocalVideoTrack.createVideoTrack('camera', source),
    new TrackPublishOptions({
      source: TrackSource.SOURCE_CAMERA,
      simulcast: true,
      videoCodec: VideoCodec.VP8,
    }),
  );
  const frame = new Uint8Array((WIDTH * HEIGHT * 3) / 2);
  frame.fill(128, WIDTH * HEIGHT);
  let n = 0;
  const camera = setInterval(() => {
    frame.fill(60 + ((n++ * 3) % 120), WIDTH * BLOCK, WIDTH * HEIGHT); // the picture moves
    stamp(frame, Date.now() % MASK);
    source.captureFrame(new VideoFrame(frame, WIDTH, HEIGHT, VideoBufferType.I420));
  }, 1000 / FPS);

  // the live viewer: reads the stamp on each decoded frame
  const samples: number[] = [];
  let unreadable = 0;
  const viewer = new Room();
  viewer.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
    if (track.kind !== TrackKind.KIND_VIDEO) return;
    void (async () => {
      for await (const event of new VideoStream(track)) {
        const at = readStamp(event.frame);
        if (at === null) unreadable++;
        else samples.push((Date.now() % MASK) - at + (Date.now() % MASK < at ? MASK : 0));
      }
    })();
  });
  await viewer.connect(livekit.url, await token('viewer', false), {
    autoSubscribe: true,
    dynacast: false,
  });

  const rows: string[] = [];
  const egressIds: string[] = [];
  let coresPerRecording = 0;
  let heldRecordings = 0;
  try {
    // egress idle, and the viewer alone, first
    const measure = async () => {
      samples.length = 0;
      unreadable = 0;
      const cpu0 = treeCpuSeconds(egressPid);
      const t0 = Date.now();
      await sleep(stepSeconds * 1000);
      const cores = (treeCpuSeconds(egressPid) - cpu0) / ((Date.now() - t0) / 1000);
      const sorted = [...samples].sort((a, b) => a - b);
      return {
        cores,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        frames: sorted.length,
        unreadable,
      };
    };
    await sleep(3000);
    const idle = await measure();
    const idleCores = idle.cores;
    log(`recording: none, egress ${idle.cores.toFixed(2)} cores, g2g p95 ${idle.p95} ms`);
    rows.push(
      `| 0 | ${idle.cores.toFixed(2)} | — | ${idle.p50} ms | ${idle.p95} ms | ${idle.frames} | — |`,
    );
    for (const target of steps) {
      while (egressIds.length < target) {
        const started = await recorder
          .start(roomName, 'owner', `bench/${egressIds.length + 1}`)
          .catch((err: unknown) => {
            log(`recording: recording ${egressIds.length + 1} did not start: ${String(err)}`);
            return null;
          });
        if (!started) break;
        egressIds.push(started.egressId);
      }
      if (egressIds.length < target) break;
      await sleep(6000); // past the start: subscribed, encoding, writing segments
      const m = await measure();
      const states = await Promise.all(egressIds.map((id) => recorder.get(id)));
      const recording = states.filter((s) => s?.status === 'active').length;
      const perRecording = (m.cores - idleCores) / target;
      if (target === 1) coresPerRecording = perRecording;
      const holds = recording === target && m.p95 <= G2G_GOAL_P95_MS;
      if (holds) heldRecordings = target;
      log(
        `recording: ${target} at once, ${recording} recording, egress ${m.cores.toFixed(2)} cores (${perRecording.toFixed(2)} each), g2g p50 ${m.p50} ms p95 ${m.p95} ms over ${m.frames} frames`,
      );
      rows.push(
        `| ${target} | ${m.cores.toFixed(2)} | ${perRecording.toFixed(2)} | ${m.p50} ms | ${m.p95} ms | ${m.frames} | ${recording}/${target}${holds ? '' : ' ✗'} |`,
      );
      if (!holds) break;
    }
  } finally {
    clearInterval(camera);
    await Promise.all(egressIds.map((id) => recorder.stop(id).catch(() => undefined)));
    await viewer.disconnect();
    await owner.disconnect();
    await egress.stop();
    await livekit.stop();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }

  const markdown = `
### Recording (LiveKit Egress)

${load}

| recordings at once | egress CPU (cores) | per recording | live viewer g2g p50 | p95 | frames | recording |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

- **${coresPerRecording.toFixed(2)} cores per recorded stream** (egress and its handler processes, user + system time from \`/proc\`, over ${stepSeconds} s, less egress idle); **${heldRecordings} recordings at once** with every one recording and the live viewer's glass-to-glass p95 within ${G2G_GOAL_P95_MS} ms.
- Each recording is the app's own: a participant egress of the owner (H.264 720p, 25 fps, AAC, HLS in 4 s segments; \`media/recorder.ts\`), all on one owner publishing 720p simulcast VP8 at ${FPS} fps from @livekit/rtc-node. The viewer is an @livekit/rtc-node subscriber in the same process reading a 24-block time code from each decoded frame (one clock), not the browser page of the glass-to-glass section above.
`;
  return { markdown, coresPerRecording, heldRecordings };
}

async function main() {
  const result = await measureRecording();
  writeBenchmarkSection('media-recording', result.markdown);
  process.stdout.write(result.markdown);
  await dispose();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
