import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { defaultCacheDir } from '../../media/livekit-process';
import { cpuSeconds, machineTicks } from './machine';

// Viewer capacity that measures livekit-server rather than the load generator: a small Go
// program (scripts/bench/subscriber, on LiveKit's server-sdk-go) joins as many subscribers as
// it is given tokens and counts the RTP packets and frames each receives, without decoding.
// Built once with Go into the cache, like livekit-server.

const SOURCE_DIR = 'scripts/bench/subscriber';
const SOURCES = ['main.go', 'go.mod', 'go.sum'];

/** The generator's binary, built into the cache on first use (keyed by its sources). */
export function ensureSubscriberBinary(log: (line: string) => void): string {
  const hash = createHash('sha256');
  for (const file of SOURCES) hash.update(readFileSync(join(SOURCE_DIR, file)));
  const dir = join(defaultCacheDir(), `bench-subscriber-${hash.digest('hex').slice(0, 12)}`);
  const binary = join(dir, 'subscriber');
  if (existsSync(binary)) return binary;
  const go = existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
  mkdirSync(dir, { recursive: true });
  log(`Building the subscriber load generator with Go into ${dir} (once)…`);
  const built = spawnSync(go, ['build', '-o', binary, '.'], {
    cwd: SOURCE_DIR,
    env: { ...process.env, CGO_ENABLED: '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (built.status !== 0 || !existsSync(binary)) {
    throw new Error(`building the subscriber load generator failed (go exited ${built.status})`);
  }
  return binary;
}

/** What all subscribers received in one second, as the generator prints it. */
export interface LoadSecond {
  joined: number;
  failed: number;
  videos: number;
  packets: number;
  kbps: number;
  /** What the publisher sent meanwhile: the full rate. */
  publisherFps: number;
  fpsMin: number;
  fpsMedian: number;
  fpsMax: number;
  lost: number;
  lossPercent: number;
  /** Each subscriber's frames since it joined. */
  frames: number[];
}

/** The running generator: tokens in, one `LoadSecond` a second out. */
export class SubscriberLoad {
  readonly #child: ChildProcess;
  #seconds: LoadSecond[] = [];
  #exited: Promise<void>;

  constructor(binary: string, livekitUrl: string) {
    this.#child = spawn(binary, ['-url', livekitUrl], { stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.#child.stdout! }).on('line', (line) => {
      this.#seconds.push(JSON.parse(line) as LoadSecond);
    });
    this.#child.stderr!.on('data', () => undefined);
    this.#exited = new Promise((resolve) => this.#child.once('exit', () => resolve()));
  }

  get pid(): number {
    return this.#child.pid!;
  }

  add(tokens: string[]): void {
    this.#child.stdin!.write(tokens.map((t) => `${t}\n`).join(''));
  }

  /** The seconds reported from now on, until `take` is called again. */
  take(): LoadSecond[] {
    const seconds = this.#seconds;
    this.#seconds = [];
    return seconds;
  }

  latest(): LoadSecond | undefined {
    return this.#seconds.at(-1);
  }

  /** Resolves with the next second the generator reports. */
  async next(): Promise<LoadSecond> {
    const seen = this.#seconds.length;
    while (this.#seconds.length <= seen) await sleep(50);
    return this.#seconds.at(-1)!;
  }

  async stop(): Promise<void> {
    this.#child.stdin!.end();
    const killed = setTimeout(() => this.#child.kill('SIGKILL'), 15_000);
    await this.#exited;
    clearTimeout(killed);
  }
}

export interface CapacityStep {
  subscribers: number;
  joinFailures: number;
  /** The slowest subscriber's and the median subscriber's frame rate over the window. */
  /** What the publisher sent meanwhile: the full rate. */
  publisherFps: number;
  fpsMin: number;
  fpsMedian: number;
  lost: number;
  livekitCpu: number;
  generatorCpu: number;
  machineBusy: number;
  /** Every subscriber joined, got video at full rate and lost nothing. */
  held: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Adds subscribers in steps until one falls short: a join fails, a subscriber gets no video,
 * a packet is lost, or the slowest subscriber gets under 90% of the frames the publisher sent.
 */
export async function lightCapacity(opts: {
  livekitUrl: string;
  livekitPid: number;
  token: () => Promise<string>;
  /** Frames the publisher has sent so far on its top layer (what a subscriber at full rate gets). */
  publisherFrames: () => Promise<number>;
  steps: number[];
  secondsBound: number;
  log: (line: string) => void;
}) {
  const load = new SubscriberLoad(ensureSubscriberBinary(opts.log), opts.livekitUrl);
  const started = Date.now();
  const steps: CapacityStep[] = [];
  let stopReason = `reached the bound of ${opts.steps.at(-1)} subscribers`;
  let added = 0;
  try {
    for (const target of opts.steps) {
      if ((Date.now() - started) / 1000 > opts.secondsBound) {
        stopReason = `stopped at the ${opts.secondsBound} s time bound`;
        break;
      }
      // joins in batches of 25, as viewers arriving over a few seconds
      while (added < target) {
        const batch = Math.min(25, target - added);
        const tokens: string[] = [];
        for (let i = 0; i < batch; i++) tokens.push(await opts.token());
        load.add(tokens);
        added += batch;
        await sleep(500);
      }
      const joinDeadline = Date.now() + 60_000;
      for (;;) {
        const last = load.latest();
        if (last && last.joined + last.failed >= target && last.videos >= last.joined) break;
        if (Date.now() > joinDeadline) break;
        await sleep(250);
      }
      await sleep(3000);
      load.take();
      const first = await load.next();
      const pf0 = await opts.publisherFrames();
      const lk0 = cpuSeconds(opts.livekitPid);
      const gen0 = cpuSeconds(load.pid);
      const m0 = machineTicks();
      const t0 = performance.now();
      await sleep(6000);
      const last = await load.next();
      const pf1 = await opts.publisherFrames();
      const seconds = (performance.now() - t0) / 1000;
      const window = load.take();
      const m1 = machineTicks();
      const rates = last.frames
        .slice(0, first.frames.length)
        .map((n, i) => (n - first.frames[i]!) / seconds)
        .sort((a, b) => a - b);
      const step: CapacityStep = {
        subscribers: last.joined,
        joinFailures: last.failed,
        publisherFps: Math.round(((pf1 - pf0) / seconds) * 10) / 10,
        fpsMin: Math.round((rates[0] ?? 0) * 10) / 10,
        fpsMedian: Math.round((rates[rates.length >> 1] ?? 0) * 10) / 10,
        lost: window.reduce((sum, s) => sum + s.lost, 0),
        livekitCpu: Math.round(((cpuSeconds(opts.livekitPid) - lk0) / seconds) * 100),
        generatorCpu: Math.round(((cpuSeconds(load.pid) - gen0) / seconds) * 100),
        machineBusy: Math.round(((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * 100),
        held: false,
      };
      const short = shortfall(step, target, last.videos);
      step.held = short === null;
      steps.push(step);
      opts.log(`  light capacity: ${JSON.stringify(step)}`);
      if (short) {
        stopReason = short;
        break;
      }
    }
  } finally {
    await load.stop();
  }
  const held = steps.filter((s) => s.held).at(-1);
  const perCore =
    held && held.livekitCpu > 0 ? Math.round((held.subscribers * 100) / held.livekitCpu) : null;
  return {
    steps,
    held: held?.subscribers ?? 0,
    perCore,
    stopReason,
    cores: cpus().length,
  };
}

function shortfall(step: CapacityStep, target: number, videos: number): string | null {
  if (step.joinFailures > 0)
    return `${step.joinFailures} subscriber(s) failed to join at ${target}`;
  if (step.subscribers < target)
    return `only ${step.subscribers} of ${target} subscribers joined within 60 s`;
  if (videos < step.subscribers)
    return `${step.subscribers - videos} subscriber(s) got no video at ${target}`;
  if (step.lost > 0) return `${step.lost} packet(s) lost at ${target} subscribers`;
  if (step.fpsMin < step.publisherFps * 0.9)
    return `the slowest subscriber got ${step.fpsMin} fps of the publisher's ${step.publisherFps} at ${target}`;
  return null;
}
