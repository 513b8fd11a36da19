// npm run bench:media — measures what a resident waits for and what they see, against a real
// livekit-server on loopback, and writes the figures into BENCHMARKS.md between the
// <!-- bench:media --> markers, one block per part (`--only first-frame,glass-to-glass,capacity,recording`
// runs and rewrites some of them):
//   1. time to first frame (TTFF): opening the watch URL → first decoded frame, ≥20 runs, with
//      a cold cache and as a returning viewer, and the JavaScript requested before that frame;
//   2. glass-to-glass latency (G2G): a publisher page draws the time into a canvas it
//      publishes (canvas.captureStream); the viewer reads it back on every decoded frame
//      (requestVideoFrameCallback), ≥300 frames;
//   both for our watch page and for a bare livekit-client page with a ready-made token, in
//   the same run and against the same publisher, so the difference is what the app adds;
//   3. viewer capacity: a Go generator (scripts/bench/subscriber) joins subscribers that count
//      RTP packets and frames without decoding, in steps, until one loses a packet, falls
//      behind the publisher or fails to join (bounded count and time); CPU of livekit-server,
//      of the generator and of the whole machine is recorded;
//   4. recording: LiveKit Egress CPU per recorded stream, and recordings held at once while a
//      live viewer's glass-to-glass stays within its goal (scripts/bench/recording.ts).
// Everything runs on 127.0.0.1 and stops by itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { gzipSync } from 'node:zlib';
import { RoomServiceClient } from 'livekit-server-sdk';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEV_LIVEKIT_KEY, DEV_LIVEKIT_SECRET } from '../server/config';
import { roomName } from '../server/services/stream-room.service';
import { CHROMIUM, CHROMIUM_ARGS, PHONE } from '../tests/helpers/browser';
import { freeLivekitPorts, freePort } from '../tests/setup/ports';
import { createTestDatabase, startTestLivekit } from '../tests/setup/services';
import { lightCapacity } from './bench/light-subscribers';
import { benchCommit, runDate, runHistory, writeBenchmarkSection } from './bench/machine';
import { measureRecording } from './bench/recording';

const TTFF_RUNS = Number(process.env.BENCH_TTFF_RUNS ?? 20);
const G2G_FRAMES = Number(process.env.BENCH_G2G_FRAMES ?? 300);
const CAPACITY_MAX = Number(process.env.BENCH_CAPACITY_MAX ?? 1000);
const CAPACITY_STEPS = [10, 50, 100, 150, 200, 300, 400, 600, 800, 1000].filter(
  (n) => n <= CAPACITY_MAX,
);
const CAPACITY_SECONDS = 300;
const HARD_LIMIT_MS = 12 * 60_000;

const log = (line: string) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------- machine and statistics

function machine() {
  const model =
    /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  return {
    nproc: cpus().length,
    model: model.trim(),
    ramGiB: (totalmem() / 2 ** 30).toFixed(1),
  };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(0, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[rank] ?? NaN;
}

const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : 'n/a');

// ---------------------------------------------------------------- pages under test

// The publisher: 8×5 blocks encode 32 bits of the wall-clock millisecond plus an 8-bit
// checksum, big enough to survive the lowest simulcast layer.
const CODE = { cols: 8, rows: 5, x0: 64, y0: 60, bw: 64, bh: 48, width: 640, height: 360 };

const PUBLISHER_HTML = `<!doctype html><meta charset="utf-8"><title>publisher</title>
<canvas id="c" width="${CODE.width}" height="${CODE.height}"></canvas>
<script src="/livekit-client.js"></script>
<script>
const C = ${JSON.stringify(CODE)};
const canvas = document.getElementById('c');
const ctx = canvas.getContext('2d');
let frame = 0;
function draw() {
  const now = Math.floor(performance.timeOrigin + performance.now());
  const v = now % 4294967296;
  const bytes = [v >>> 24 & 255, v >>> 16 & 255, v >>> 8 & 255, v & 255];
  const sum = (bytes[0] + bytes[1] + bytes[2] + bytes[3]) & 255;
  const bits = [];
  for (let i = 31; i >= 0; i--) bits.push(Math.floor(v / 2 ** i) % 2);
  for (let i = 7; i >= 0; i--) bits.push((sum >> i) & 1);
  ctx.fillStyle = '#777'; ctx.fillRect(0, 0, C.width, C.height);
  // something that moves, so the encoder never idles
  ctx.fillStyle = '#e11d48'; ctx.fillRect((frame * 7) % C.width, C.height - 40, 40, 30);
  bits.forEach((bit, i) => {
    ctx.fillStyle = bit ? '#fff' : '#000';
    ctx.fillRect(C.x0 + (i % C.cols) * C.bw, C.y0 + Math.floor(i / C.cols) * C.bh, C.bw, C.bh);
  });
  frame++;
}
setInterval(draw, 1000 / 30);
draw();
(async () => {
  const p = new URLSearchParams(location.hash.slice(1));
  const track = canvas.captureStream(30).getVideoTracks()[0];
  const room = new LivekitClient.Room({ dynacast: true });
  await room.connect(p.get('url'), p.get('token'));
  await room.localParticipant.publishTrack(track, {
    source: LivekitClient.Track.Source.Camera,
    simulcast: true,
    videoEncoding: { maxBitrate: 1200000, maxFramerate: 30 },
  });
  window.__room = room;
  window.__published = true;
})().catch((e) => { window.__publishError = String(e); });
</script>`;

// A bare viewer: nothing but livekit-client, a ready-made token, and a video element.
const BARE_VIEWER_HTML = `<!doctype html><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bare viewer</title><style>body{margin:0;background:#000}video{width:100vw;height:100vh;object-fit:contain}</style>
<video id="v" autoplay playsinline muted></video>
<script src="/livekit-client.js"></script>
<script>
const p = new URLSearchParams(location.hash.slice(1));
const room = new LivekitClient.Room({ adaptiveStream: true, dynacast: true });
room.on(LivekitClient.RoomEvent.TrackSubscribed, (track) => {
  performance.mark('live:subscribed');
  if (track.kind === 'video') track.attach(document.getElementById('v'));
});
performance.mark('live:connect');
room.connect(p.get('url'), p.get('token')).then(
  () => performance.mark('live:connected'),
  (e) => { window.__connectError = String(e); },
);
</script>`;

// Injected into every viewer page (ours and the bare one) before any of its scripts: finds
// video elements, records the first decoded frame, and reads the publisher's clock code.
// Plain JavaScript in a string: tsx would otherwise wrap inner functions in a helper the
// page does not have.
const VIEWER_PROBE = `(() => {
const code = ${JSON.stringify(CODE)};
window.__g2g = [];
window.__badReads = 0;
const seen = new WeakSet();
const canvas = document.createElement('canvas');
canvas.width = 160;
canvas.height = 90;
const ctx = canvas.getContext('2d', { willReadFrequently: true });
function read(video, displayAt) {
  ctx.drawImage(video, 0, 0, 160, 90);
  const data = ctx.getImageData(0, 0, 160, 90).data;
  const bits = [];
  for (let i = 0; i < code.cols * code.rows; i++) {
    const x = Math.floor(((code.x0 + ((i % code.cols) + 0.5) * code.bw) / code.width) * 160);
    const y = Math.floor(((code.y0 + (Math.floor(i / code.cols) + 0.5) * code.bh) / code.height) * 90);
    const o = (y * 160 + x) * 4;
    bits.push(data[o] + data[o + 1] + data[o + 2] > 384 ? 1 : 0);
  }
  let v = 0;
  for (let i = 0; i < 32; i++) v = v * 2 + bits[i];
  let sum = 0;
  for (let i = 32; i < 40; i++) sum = sum * 2 + bits[i];
  const bytes = [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
  if (((bytes[0] + bytes[1] + bytes[2] + bytes[3]) & 255) !== sum) { window.__badReads++; return; }
  const wall = performance.timeOrigin + displayAt;
  const base = Math.floor(wall / 4294967296) * 4294967296;
  let sent = base + v;
  if (sent > wall + 2 ** 31) sent -= 4294967296;
  const latency = wall - sent;
  if (latency >= 0 && latency < 10000) window.__g2g.push(latency);
  else window.__badReads++;
}
function watch(video) {
  if (seen.has(video)) return;
  seen.add(video);
  function onFrame(now, meta) {
    if (window.__firstFrameAt === undefined) window.__firstFrameAt = now;
    try { read(video, meta.expectedDisplayTime); } catch (e) { window.__badReads++; }
    video.requestVideoFrameCallback(onFrame);
  }
  video.requestVideoFrameCallback(onFrame);
}
new MutationObserver(() => document.querySelectorAll('video').forEach(watch)).observe(document, { childList: true, subtree: true });
// when the watch page hydrated (its root layout sets html[data-hydrated])
new MutationObserver(() => {
  if (window.__hydratedAt === undefined && document.documentElement.dataset.hydrated) window.__hydratedAt = performance.now();
}).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
})();`;

// ---------------------------------------------------------------- the app under test

async function startApp() {
  if (!existsSync('web/build/handler.js'))
    throw new Error('web/build is missing: run `npm run build`');
  const port = await freePort();
  const database = await createTestDatabase('bench');
  const livekit = await startTestLivekit(
    await freeLivekitPorts(),
    `http://127.0.0.1:${port}/api/livekit/webhook`,
  );
  const output: string[] = [];
  const server: ChildProcess = spawn('node_modules/.bin/tsx', ['server/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      LIVEKIT_URL: livekit.url,
      LOG_LEVEL: 'warn',
      GUESTS_PER_IP_PER_MINUTE: '1000',
      GUESTS_PER_DEVICE_PER_HOUR: '1000',
      SIGNUPS_PER_IP_PER_HOUR: '1000',
      SEED_DEMO: 'false',
      // BENCH_SSR_OVER_HTTP=1: the pages reach the API over HTTP, as before it ran in process
      ...(process.env.BENCH_SSR_OVER_HTTP ? { INTERNAL_API_URL: `http://127.0.0.1:${port}` } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  server.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${baseUrl}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (server.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the app did not come up:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    livekit,
    async stop() {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      server.kill('SIGKILL');
      await livekit.stop();
      await database.drop();
    },
  };
}

/** A cookie-keeping client for the API, as the owner's browser would be. */
function apiClient(baseUrl: string) {
  let cookie = '';
  return async (path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(cookie ? { cookie } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const set = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .filter(Boolean);
    if (set.length) cookie = set.join('; ');
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
}

function field(value: unknown, ...path: string[]): string {
  let cur: unknown = value;
  for (const key of path) {
    cur =
      typeof cur === 'object' && cur !== null && key in cur
        ? (cur as Record<string, unknown>)[key]
        : undefined;
  }
  if (typeof cur !== 'string') throw new Error(`missing ${path.join('.')}`);
  return cur;
}

// ---------------------------------------------------------------- measurements

async function firstFrame(page: Page, timeoutMs = 20_000): Promise<number> {
  await page.waitForFunction(
    () => (window as unknown as { __firstFrameAt?: number }).__firstFrameAt !== undefined,
    undefined,
    {
      timeout: timeoutMs,
      polling: 20,
    },
  );
  return page.evaluate(() => (window as unknown as { __firstFrameAt: number }).__firstFrameAt);
}

/** Resolves once our watch page has hydrated (its root layout sets html[data-hydrated]). */
async function hydrated(page: Page, timeoutMs = 5_000): Promise<void> {
  await page.waitForFunction(
    () => (window as unknown as { __hydratedAt?: number }).__hydratedAt !== undefined,
    undefined,
    { timeout: timeoutMs, polling: 20 },
  );
}

/** Where a page's time to first frame went: navigation timing and the watch page's marks. */
async function timeline(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as
      PerformanceNavigationTiming | undefined;
    const at: Record<string, number> = nav
      ? { html: nav.responseEnd, interactive: nav.domInteractive }
      : {};
    for (const mark of performance.getEntriesByType('mark')) at[mark.name] ??= mark.startTime;
    // when the last stylesheet and the last script arrived (what hydration waits for)
    for (const r of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
      const kind = r.name.endsWith('.css') ? 'css' : r.name.endsWith('.js') ? 'js' : null;
      if (kind) at[`${kind}Loaded`] = Math.max(at[`${kind}Loaded`] ?? 0, r.responseEnd);
    }
    if (nav) at.domContentLoaded = nav.domContentLoadedEventEnd;
    const hydrated = (window as unknown as { __hydratedAt?: number }).__hydratedAt;
    if (hydrated !== undefined) at.hydrated = hydrated;
    return at;
  });
}

async function g2gSamples(page: Page, frames: number): Promise<{ samples: number[]; bad: number }> {
  await page.evaluate(() => {
    (window as unknown as { __g2g: number[] }).__g2g = [];
  });
  await page.waitForFunction(
    (n) => (window as unknown as { __g2g: number[] }).__g2g.length >= n,
    frames,
    {
      timeout: 120_000,
      polling: 250,
    },
  );
  return page.evaluate(() => {
    const w = window as unknown as { __g2g: number[]; __badReads: number };
    return { samples: [...w.__g2g], bad: w.__badReads };
  });
}

// ---------------------------------------------------------------- sections

/** What every section gets: the app with a live stream on air, and ways to open viewers. */
interface Bench {
  host: ReturnType<typeof machine>;
  app: Awaited<ReturnType<typeof startApp>>;
  benchUrl: string;
  /** A fresh phone-sized browser context (cold cache) with the probe, and a page in it. */
  newViewer: () => Promise<{ context: BrowserContext; page: Page }>;
  /** Opens our watch page of the live stream. */
  openApp: (page: Page) => Promise<void>;
  /** Our watch page's URL (what openApp opens). */
  watchUrl: string;
  /** Opens the bare livekit-client page with a token fetched beforehand. */
  openBare: (page: Page) => Promise<void>;
  visitorToken: () => Promise<{ url: string; token: string }>;
  /**
   * Resolves once LiveKit has let go of every viewer (the publisher alone is in the room):
   * a returning resident comes back after their last visit ended, not into its leftovers.
   */
  viewersGone: () => Promise<void>;
  /** Frames the canvas publisher has sent so far on its top simulcast layer. */
  publisherFrames: () => Promise<number>;
}

/** One measurement: runs against the shared setup and returns its markdown. */
type Section = (bench: Bench) => Promise<string>;

/** Minutes and load around a section, for its own "measured" line. */
function measuredLine(loadBefore: number[]): string {
  const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  return `Measured ${at}; load average before ${load(loadBefore)}, after ${load(loadavg())} (1/5/15 min).`;
}

const gzipSizes = new Map<string, Promise<{ raw: number; gzip: number }>>();
/** A script's size as served and gzipped (level 9, as adapter-node precompresses). */
function gzipSize(url: string): Promise<{ raw: number; gzip: number }> {
  let size = gzipSizes.get(url);
  if (!size) {
    size = fetch(url)
      .then((r) => r.arrayBuffer())
      .then((body) => ({
        raw: body.byteLength,
        gzip: gzipSync(Buffer.from(body), { level: 9 }).length,
      }));
    gzipSizes.set(url, size);
  }
  return size;
}

/** BENCH_TRACE: every file the page fetched, when it asked and when it had it (ms). */
async function resourceLines(page: Page): Promise<string> {
  const rows = await page.evaluate(() =>
    (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => ({
      path: new URL(r.name).pathname,
      start: Math.round(r.startTime),
      requestStart: Math.round(r.requestStart),
      responseStart: Math.round(r.responseStart),
      end: Math.round(r.responseEnd),
      bytes: r.encodedBodySize,
    })),
  );
  return rows
    .map(
      (r) =>
        `      ${String(r.start).padStart(5)} → ${String(r.requestStart).padStart(5)} / ${String(r.responseStart).padStart(5)} → ${String(r.end).padStart(5)}  ${String(r.bytes).padStart(7)} B  ${r.path}`,
    )
    .join('\n');
}

/** The scripts a page requested before its first frame, with their sizes. */
async function criticalScripts(page: Page, firstFrameAt: number) {
  const urls = await page.evaluate(
    (until) =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((r) => r.startTime <= until && new URL(r.name).pathname.endsWith('.js'))
        .map((r) => r.name),
    firstFrameAt,
  );
  const sizes = await Promise.all([...new Set(urls)].map(gzipSize));
  return {
    files: sizes.length,
    raw: sizes.reduce((a, s) => a + s.raw, 0),
    gzip: sizes.reduce((a, s) => a + s.gzip, 0),
  };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * Lets a first visit finish what a resident's long visit would: the load event, and the
 * service worker (if the page registers one) installed and active.
 */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  await new Promise((r) => setTimeout(r, 1000));
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker?.getRegistration();
    if (!registration) return;
    await Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(r, 15_000))]);
  });
}

/**
 * Time to first frame: alternating runs of our page with a cold cache, the bare page with a
 * cold cache, and our page for a returning viewer (the same context's second visit), each
 * from navigation start to the first decoded frame; and the JavaScript our page requests
 * before that frame.
 */
const firstFrameSection: Section = async (b) => {
  const loadBefore = loadavg();
  // One warm-up of each (the first build of the page in the server's caches), not counted.
  for (const open of [b.openApp, b.openBare]) {
    const v = await b.newViewer();
    await open(v.page);
    await firstFrame(v.page).catch(() => undefined);
    await v.context.close();
  }

  // The server's part: the watch page's whole HTML for a new visitor (no cookie), one request
  // at a time over a kept-alive connection, the pages' loads calling the API in process.
  const served: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = performance.now();
    const res = await fetch(b.watchUrl);
    await res.text();
    if (i >= 10 && res.ok) served.push(performance.now() - t);
  }

  const runs = {
    cold: [] as number[],
    warm: [] as number[],
    bare: [] as number[],
  };
  const failures = { cold: 0, warm: 0, bare: 0 };
  const traces = {
    cold: [] as Record<string, number>[],
    warm: [] as Record<string, number>[],
    bare: [] as Record<string, number>[],
  };
  const scripts: Awaited<ReturnType<typeof criticalScripts>>[] = [];
  const paired: { cold: number[]; warm: number[] } = { cold: [], warm: [] };

  const measure = async (
    kind: keyof typeof runs,
    page: Page,
    open: (page: Page) => Promise<void>,
  ): Promise<number | null> => {
    await open(page);
    try {
      const at = await firstFrame(page);
      runs[kind].push(at);
      // our page hydrates once the picture shows: wait for it, for the breakdown below
      if (kind !== 'bare') await hydrated(page).catch(() => undefined);
      const trace = await timeline(page);
      traces[kind].push(trace);
      if (process.env.BENCH_TRACE) {
        log(`    ${kind} ${JSON.stringify(trace)}`);
        log(await resourceLines(page));
      }
      if (kind === 'cold') scripts.push(await criticalScripts(page, at));
      return at;
    } catch {
      failures[kind]++;
      return null;
    }
  };

  for (let i = 0; i < TTFF_RUNS; i++) {
    const cold = await b.newViewer();
    const coldAt = await measure('cold', cold.page, b.openApp);
    await cold.context.close();

    const bare = await b.newViewer();
    const bareAt = await measure('bare', bare.page, b.openBare);
    await bare.context.close();

    // A returning viewer: a first visit (not counted) in the same context, then the measured one.
    const returning = await b.newViewer();
    await b.openApp(returning.page);
    await firstFrame(returning.page).catch(() => undefined);
    await settle(returning.page).catch(() => undefined);
    await returning.page.close();
    await b.viewersGone();
    const warmAt = await measure('warm', await returning.context.newPage(), b.openApp);
    await returning.context.close();

    if (bareAt !== null && coldAt !== null) paired.cold.push(coldAt / bareAt);
    if (bareAt !== null && warmAt !== null) paired.warm.push(warmAt / bareAt);
    log(
      `  ttff run ${i + 1}/${TTFF_RUNS}: app cold ${ms(coldAt ?? NaN)}, bare ${ms(bareAt ?? NaN)}, app returning ${ms(warmAt ?? NaN)}`,
    );
  }

  const bareP50 = percentile(runs.bare, 50);
  const ratio = (values: number[]) => (percentile(values, 50) / bareP50).toFixed(2);
  const med = (kind: keyof typeof runs, key: string) => {
    const values = traces[kind].map((t) => t[key]).filter((v): v is number => v !== undefined);
    return Number.isFinite(percentile(values, 50)) ? Math.round(percentile(values, 50)) : 'n/a';
  };
  const where = (kind: 'cold' | 'warm') =>
    `HTML received ${med(kind, 'html')}, last stylesheet ${med(kind, 'cssLoaded')}, DOM interactive ${med(kind, 'interactive')}, last script ${med(kind, 'jsLoaded')}, LiveKit connect starts ${med(kind, 'live:connect')}, connected ${med(kind, 'live:connected')}, first track subscribed ${med(kind, 'live:subscribed')}, first frame ${Math.round(percentile(runs[kind], 50))}, hydrated ${med(kind, 'hydrated')}`;
  const bareScripts = await gzipSize(`${b.benchUrl}/livekit-client.js`);
  const js = scripts.sort((x, y) => x.gzip - y.gzip)[Math.floor(scripts.length / 2)];
  const row = (name: string, kind: keyof typeof runs, goal: string) =>
    `| ${name} | ${ms(percentile(runs[kind], 50))} | ${ms(percentile(runs[kind], 95))} | ${runs[kind].length}${failures[kind] ? ` (+${failures[kind]} failed)` : ''} | ${kind === 'bare' ? '1' : ratio(runs[kind])} | ${goal} |`;

  return `
### Time to first frame

${measuredLine(loadBefore)}

| measure | p50 | p95 | runs | p50 ÷ bare p50 | goal |
| --- | --- | --- | --- | --- | --- |
${row('our watch page, cold cache (open URL → first decoded frame)', 'cold', '≤ 1.1× bare')}
${row('our watch page, returning viewer (warm cache)', 'warm', '≤ 0.8× bare')}
${row('bare livekit-client page, cold cache, ready-made token', 'bare', '—')}

- Each run opens the URL in a fresh phone-sized browser context; the time is \`performance.now()\` at the first \`requestVideoFrameCallback\`, i.e. from navigation start. The runs alternate cold / bare / returning, ${TTFF_RUNS} rounds. A returning viewer's context first visits the page once (until its first frame, its load event and its service worker, if any, are done), closes it, and once LiveKit has let that visit go, the second visit is measured. The bare page gets its token before it opens. Median of the per-round ratios: cold ${percentile(paired.cold, 50).toFixed(2)}×, returning ${percentile(paired.warm, 50).toFixed(2)}× the bare page of the same round.
- JavaScript requested before the first frame (median run, gzip level 9 as served): our page ${js ? `${js.files} files, **${kib(js.gzip)}** (${kib(js.raw)} uncompressed)` : 'n/a'}; the bare page 1 file, ${kib(bareScripts.gzip)} (${kib(bareScripts.raw)}, livekit-client's UMD build).
- Where our page's time goes (medians, ms from navigation start). Cold: ${where('cold')}. Returning: ${where('warm')}.
- The watch page's HTML, server side (new visitor, 30 requests one after another on one connection): p50 ${ms(percentile(served, 50))}, p95 ${ms(percentile(served, 95))}.
- The bare page, for comparison: HTML received ${med('bare', 'html')}, script loaded ${med('bare', 'jsLoaded')}, LiveKit connect starts ${med('bare', 'live:connect')}, connected ${med('bare', 'live:connected')}, first track subscribed ${med('bare', 'live:subscribed')}, first frame ${Math.round(percentile(runs.bare, 50))}.

${runHistory(
  sectionMarker('first-frame'),
  HISTORY_HEADER,
  `| ${runDate()} | ${benchCommit()} | ${TTFF_RUNS} | ${ms(percentile(runs.cold, 50))} | ${ms(percentile(runs.warm, 50))} | ${ms(bareP50)} | ${ratio(runs.cold)} | ${ratio(runs.warm)} | ${js ? `${js.files} files, ${kib(js.gzip)}` : 'n/a'} |`,
)}
`;
};

const HISTORY_HEADER = `| measured | commit | rounds | cold p50 | returning p50 | bare p50 | cold ÷ bare | returning ÷ bare | JS before the first frame (gzip) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |`;

/** Glass-to-glass latency on our page and on the bare page, one viewer each. */
const glassToGlassSection: Section = async (b) => {
  const loadBefore = loadavg();
  const g2g: Record<'app' | 'bare', { samples: number[]; bad: number }> = {
    app: { samples: [], bad: 0 },
    bare: { samples: [], bad: 0 },
  };
  for (const [kind, open] of [
    ['app', b.openApp],
    ['bare', b.openBare],
  ] as const) {
    const v = await b.newViewer();
    await open(v.page);
    await firstFrame(v.page);
    await new Promise((r) => setTimeout(r, 2000)); // past the first keyframe's ramp-up
    g2g[kind] = await g2gSamples(v.page, G2G_FRAMES);
    await v.context.close();
    log(
      `  g2g ${kind}: p50 ${ms(percentile(g2g[kind].samples, 50))}, p95 ${ms(percentile(g2g[kind].samples, 95))} over ${g2g[kind].samples.length} frames`,
    );
  }
  const row = (name: string, values: number[], goal: string) =>
    `| ${name} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 95))} | ${values.length} | ${goal} |`;
  return `
### Glass-to-glass latency

${measuredLine(loadBefore)}

| measure | p50 | p95 | frames | goal |
| --- | --- | --- | --- | --- |
${row('our watch page', g2g.app.samples, 'p95 ≤ 200 ms')}
${row('bare livekit-client page', g2g.bare.samples, '—')}

- A canvas publisher draws the wall-clock millisecond as a 40-block code at 30 fps and publishes it with \`canvas.captureStream(30)\` (simulcast, VP8); the viewer decodes the code on each frame at \`expectedDisplayTime\`. Publisher and viewers run in one Chromium on one clock. Unreadable frames: app ${g2g.app.bad}, bare ${g2g.bare.bad}.
`;
};

/** How many subscribers livekit-server holds on this machine, with a generator that does not decode. */
const capacitySection: Section = async (b) => {
  const loadBefore = loadavg();
  const pid = b.app.livekit.process.pid;
  if (pid === undefined) throw new Error('livekit-server has no pid');
  const cap = await lightCapacity({
    livekitUrl: b.app.livekit.url,
    livekitPid: pid,
    token: async () => (await b.visitorToken()).token,
    publisherFrames: b.publisherFrames,
    steps: CAPACITY_STEPS,
    secondsBound: CAPACITY_SECONDS,
    log,
  });
  const peak = Math.max(...cap.steps.map((x) => x.livekitCpu));
  return `
### Viewer capacity

${measuredLine(loadBefore)}

- A Go load generator (\`scripts/bench/subscriber\`, LiveKit's server-sdk-go) joins subscribers with visitor tokens from our API in steps and counts every RTP packet and frame it receives, without decoding. A step holds when every subscriber joined, got video, lost no packet, and the slowest one received at least 90% of the frames the publisher sent in the same 6 s.
- **Held ${cap.held} subscribers** with livekit-server at ${cap.steps.find((s) => s.subscribers === cap.held)?.livekitCpu ?? '?'}% of one core: about **${cap.perCore ?? '?'} subscribers per core** (LiveKit publishes about 3,000 subscribers on 16 cores, ~190 per core). Stopped because ${cap.stopReason}. livekit-server peaked at ${peak}% of one core of ${cap.cores}; the generator used about as much again, and the publisher's Chromium shares the same cores.

| subscribers | join failures | publisher fps | slowest / median subscriber fps | packets lost | livekit-server CPU (% of one core) | generator CPU | machine busy |
| --- | --- | --- | --- | --- | --- | --- | --- |
${cap.steps.map((s) => `| ${s.subscribers} | ${s.joinFailures} | ${s.publisherFps} | ${s.fpsMin} / ${s.fpsMedian} | ${s.lost} | ${s.livekitCpu}% | ${s.generatorCpu}% | ${s.machineBusy}% |`).join('\n')}
`;
};

/** What recording a live stream costs: CPU per recorded stream, and how many at once. */
const recordingSection: Section = async () => (await measureRecording({ log })).markdown;

/** The sections, in the order they run and appear; `--only a,b` runs some of them. */
const SECTIONS = {
  'first-frame': firstFrameSection,
  'glass-to-glass': glassToGlassSection,
  capacity: capacitySection,
  recording: recordingSection,
} satisfies Record<string, Section>;
type SectionName = keyof typeof SECTIONS;

function chosenSections(argv: string[]): SectionName[] {
  const all = Object.keys(SECTIONS) as SectionName[];
  const i = argv.indexOf('--only');
  if (i < 0) return all;
  const wanted = (argv[i + 1] ?? '').split(',').filter(Boolean);
  const unknown = wanted.filter((w) => !all.includes(w as SectionName));
  if (wanted.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes a comma-separated list of: ${all.join(', ')}`);
  }
  return all.filter((name) => wanted.includes(name));
}

/** A section's block inside the media section of BENCHMARKS.md, so one can be rewritten alone. */
const sectionMarker = (name: SectionName) => `media-${name}`;

function writeReport(host: ReturnType<typeof machine>, done: Map<SectionName, string>): void {
  const all = Object.keys(SECTIONS) as SectionName[];
  if (done.size === all.length) {
    const header = `
## Media: time to first frame, glass-to-glass latency, viewer capacity (\`npm run bench:media\`)

On ${host.nproc}× ${host.model}, ${host.ramGiB} GiB RAM; livekit-server ${'v1.13.5'} on loopback, Debian Chromium headless (fake devices), one process each for the app and livekit-server.${process.env.BENCH_SHARED ? ' **Shared machine: other work ran on the same CPUs during this run, so the figures are pessimistic and noisy.**' : ' The load average includes the run itself (Chromium, livekit-server, the app and the subscribers share the cores).'} Each part below can be rerun alone: \`npm run bench:media -- --only ${all.join(',')}\`.
`;
    const blocks = all.map(
      (name) =>
        `<!-- bench:${sectionMarker(name)} -->\n${done.get(name)?.trim()}\n<!-- /bench:${sectionMarker(name)} -->`,
    );
    writeBenchmarkSection('media', [header.trim(), ...blocks].join('\n\n'));
    return;
  }
  const text = existsSync('BENCHMARKS.md') ? readFileSync('BENCHMARKS.md', 'utf8') : '';
  for (const [name, md] of done) {
    if (text.includes(`<!-- bench:${sectionMarker(name)} -->`)) {
      writeBenchmarkSection(sectionMarker(name), md);
    } else {
      log(`  (BENCHMARKS.md has no ${name} block yet: run the whole bench once to write it)`);
    }
  }
}

// ---------------------------------------------------------------- main

async function main() {
  const sections = chosenSections(process.argv.slice(2));
  const host = machine();
  log(
    `bench:media (${sections.join(', ')}) on ${host.nproc}× ${host.model}, ${host.ramGiB} GiB; load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const app = await startApp();
  const bench: Server = createServer((req, res) => {
    if (req.url === '/livekit-client.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(readFileSync('node_modules/livekit-client/dist/livekit-client.umd.js'));
    } else if (req.url?.startsWith('/publisher')) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(PUBLISHER_HTML);
    } else if (req.url?.startsWith('/viewer')) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(BARE_VIEWER_HTML);
    } else {
      res.writeHead(404).end();
    }
  });
  const benchPort = await freePort();
  await new Promise<void>((ok) => bench.listen(benchPort, '127.0.0.1', ok));
  const benchUrl = `http://127.0.0.1:${benchPort}`;
  let browser: Browser | null = null;

  try {
    // The owner, a shop, a live stream; a host token for the canvas publisher.
    const owner = apiClient(app.baseUrl);
    await owner('/api/auth/signup', {
      email: `bench-${Date.now()}@example.cn`,
      password: 'bench-password-1',
      name: '王老板',
    });
    const shopId = field(
      await owner('/api/shops', { name: '王记鲜果', slug: `bench-${Date.now().toString(36)}` }),
      'shop',
      'id',
    );
    const streamId = field(
      await owner(`/api/shops/${shopId}/streams`, { title: 'bench' }),
      'stream',
      'id',
    );
    await owner(`/api/streams/${streamId}/start`, {});
    const hostToken = await owner(`/api/streams/${streamId}/token`, { role: 'host' });
    const visitorToken = async () => {
      const answer = await apiClient(app.baseUrl)(`/api/streams/${streamId}/token`, {});
      return { url: field(answer, 'url'), token: field(answer, 'token') };
    };

    const launched = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    browser = launched;
    const publisherContext = await launched.newContext();
    const publisher = await publisherContext.newPage();
    await publisher.goto(
      `${benchUrl}/publisher#url=${encodeURIComponent(field(hostToken, 'url'))}&token=${field(hostToken, 'token')}`,
    );
    await publisher.waitForFunction(
      () => (window as unknown as { __published?: boolean }).__published === true,
      undefined,
      { timeout: 30_000 },
    );
    log('  publisher is live');
    await new Promise((r) => setTimeout(r, 2000));

    const rooms = new RoomServiceClient(
      app.livekit.url.replace(/^ws/, 'http'),
      DEV_LIVEKIT_KEY,
      DEV_LIVEKIT_SECRET,
    );

    const watchUrl = `${app.baseUrl}/live/${streamId}`;
    const setup: Bench = {
      host,
      viewersGone: async () => {
        const deadline = Date.now() + 15_000;
        while (
          (await rooms.listParticipants(roomName(streamId))).length > 1 &&
          Date.now() < deadline
        ) {
          await new Promise((r) => setTimeout(r, 100));
        }
      },
      app,
      benchUrl,
      visitorToken,
      publisherFrames: () =>
        publisher.evaluate(async () => {
          interface Sender {
            framesSent?: number;
          }
          const room = (
            window as unknown as {
              __room: {
                localParticipant: {
                  videoTrackPublications: Map<
                    string,
                    { track?: { getSenderStats(): Promise<Sender[]> } }
                  >;
                };
              };
            }
          ).__room;
          const [publication] = room.localParticipant.videoTrackPublications.values();
          const layers = (await publication?.track?.getSenderStats()) ?? [];
          return Math.max(0, ...layers.map((l) => l.framesSent ?? 0));
        }),
      newViewer: async () => {
        const context = await launched.newContext(PHONE);
        await context.addInitScript(VIEWER_PROBE);
        return { context, page: await context.newPage() };
      },
      watchUrl,
      openApp: async (page) => {
        await page.goto(watchUrl, { waitUntil: 'commit' });
      },
      openBare: async (page) => {
        const t = await visitorToken(); // ready-made: fetched before the page opens
        await page.goto(`${benchUrl}/viewer#url=${encodeURIComponent(t.url)}&token=${t.token}`, {
          waitUntil: 'commit',
        });
      },
    };

    const done = new Map<SectionName, string>();
    for (const name of sections) {
      log(`  ${name}`);
      done.set(name, await SECTIONS[name](setup));
    }
    writeReport(host, done);
    log([...done.values()].join('\n'));
    await publisherContext.close();
  } finally {
    await browser?.close().catch(() => undefined);
    bench.close();
    await app.stop();
  }
}

const hardStop = setTimeout(() => {
  process.stderr.write(`bench:media: stopped after ${HARD_LIMIT_MS / 60000} minutes\n`);
  process.exit(2);
}, HARD_LIMIT_MS);
hardStop.unref();

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `bench:media failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
