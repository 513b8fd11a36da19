import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { defaultCacheDir } from './livekit-process';

// The recorder (issue 10): LiveKit Egress, obtained like livekit-server (built once with Go
// into the cache, by scripts/egress/build.sh) and run beside it. Egress talks to
// livekit-server through Redis only, so both must use the same Redis, and no other
// livekit-server may use it: psrpc is not scoped by Redis database, and two livekit-servers
// on one Redis form a cluster. Development and tests therefore give each livekit-server a
// private redis-server (startMediaRedis). Production runs the official containers
// (docker-compose.yml).

export const EGRESS_VERSION = 'v1.8.0';

export class EgressUnavailableError extends Error {
  override name = 'EgressUnavailableError';
}

/** Where scripts/egress/build.sh puts the patched binary. */
export function cachedEgressBinary(cacheDir = defaultCacheDir()): string {
  return join(cacheDir, `egress-${EGRESS_VERSION}-linli`, 'egress');
}

/** EGRESS_BIN, then the cache; builds it there (scripts/egress/build.sh) when it is missing. */
export function ensureEgressBinary(
  opts: { cacheDir?: string; log?: (line: string) => void } = {},
): string {
  const fromEnv = process.env.EGRESS_BIN;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new EgressUnavailableError(`EGRESS_BIN=${fromEnv} does not exist`);
    return fromEnv;
  }
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const cached = cachedEgressBinary(cacheDir);
  if (existsSync(cached)) return cached;
  opts.log?.(`Building LiveKit Egress ${EGRESS_VERSION} into ${dirname(cached)} (once; minutes)…`);
  const result = spawnSync(resolve('scripts/egress/build.sh'), [], {
    env: { ...process.env, LINLI_CACHE_DIR: cacheDir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0 || !existsSync(cached)) {
    throw new EgressUnavailableError(
      `building egress failed (exit ${result.status}); it needs Go and the GStreamer -dev packages (see .ci/run), or set EGRESS_BIN`,
    );
  }
  return cached;
}

export interface RunningProcess {
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Stops a child and, when it was spawned `detached` (its own process group), everything it
 * started: egress runs each recording in a `run-handler` process that outlives a killed parent.
 */
function supervisedChild(child: ChildProcess, group = false): RunningProcess {
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (group && child.pid !== undefined) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // already gone
    }
  };
  const killOnExit = () => signal('SIGKILL');
  process.once('exit', killOnExit);
  return {
    process: child,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) {
        if (group) signal('SIGKILL'); // its handlers may still run
        return;
      }
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      if (group) signal('SIGKILL');
    },
  };
}

async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  child: ChildProcess,
  tail: string[],
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new EgressUnavailableError(`${what} exited:\n${tail.join('\n')}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new EgressUnavailableError(
        `${what} did not come up in ${timeoutMs} ms:\n${tail.join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The child's last 40 lines of output, each also given to `log` whole (a chunk may end mid-line). */
function collectTail(child: ChildProcess, log?: (line: string) => void): string[] {
  const tail: string[] = [];
  const collector = () => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        log?.(line);
      }
    };
  };
  child.stdout?.on('data', collector());
  child.stderr?.on('data', collector());
  child.on('error', (err) => tail.push(`spawn: ${err.message}`));
  return tail;
}

/** A private, memory-only redis-server on 127.0.0.1:`port` for one livekit-server and its egress. */
export async function startMediaRedis(port: number): Promise<RunningProcess & { address: string }> {
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const tail = collectTail(child);
  await waitFor(
    () => tail.some((line) => line.includes('Ready to accept connections')),
    'redis-server',
    child,
    tail,
    10_000,
  );
  return { ...supervisedChild(child), address: `127.0.0.1:${port}` };
}

/**
 * Egress admits a request only while its cost in idle cores is free, once one egress already
 * runs (the first is always admitted). Beside the app, livekit-server and PostgreSQL on one
 * box, idle cores come and go with the app's own load, so a second live's recording was
 * refused whenever the box was busy at that moment, and a refused recording is lost
 * (`failed`). Here a recording is admitted whatever the idle CPU, and records slower rather
 * than not at all. A dedicated egress host (docker-compose.yml) keeps egress's own
 * admission, with participant_cpu_cost 1.
 */
export const SHARED_BOX_PARTICIPANT_COST = 0.01;

/** Egress's YAML config. */
export function egressConfigBody(opts: {
  apiKey: string;
  apiSecret: string;
  wsUrl: string;
  redisAddress: string;
  healthPort: number;
  logLevel?: string;
  /**
   * What a participant egress costs in idle cores before egress admits it; default
   * SHARED_BOX_PARTICIPANT_COST.
   */
  participantCpuCost?: number;
}): string {
  return stringify({
    log_level: opts.logLevel ?? 'info',
    api_key: opts.apiKey,
    api_secret: opts.apiSecret,
    ws_url: opts.wsUrl,
    redis: { address: opts.redisAddress },
    health_port: opts.healthPort,
    cpu_cost: {
      participant_cpu_cost: opts.participantCpuCost ?? SHARED_BOX_PARTICIPANT_COST,
      track_composite_cpu_cost: 1,
      track_cpu_cost: 0.5,
      room_composite_cpu_cost: 2,
    },
  });
}

/** How egress says it took its topic and takes requests (service.go, Run). */
const READY_LINE = /service ready/;
/** How egress says it no longer takes requests: after a stop, or after a handler crashed. */
const SHUTTING_DOWN_LINE = /shutting down/;
/** Waits before launching a replacement again when one did not come up. */
const REPLACE_RETRY_MS = 5_000;

interface EgressOptions {
  binary: string;
  configDir: string;
  apiKey: string;
  apiSecret: string;
  wsUrl: string;
  redisAddress: string;
  healthPort: number;
  log?: (line: string) => void;
  /** Told when an egress shut down by itself and is replaced; default `log`. */
  warn?: (line: string) => void;
  timeoutMs?: number;
  participantCpuCost?: number;
}

/** One egress process, up once it says it takes requests; `onShutdown` once it stops taking them. */
async function launchEgress(
  opts: EgressOptions,
  name: string,
  onShutdown: (child: ChildProcess) => void,
): Promise<ChildProcess> {
  mkdirSync(opts.configDir, { recursive: true });
  const configPath = join(opts.configDir, `${name}.yaml`);
  writeFileSync(configPath, egressConfigBody(opts), { mode: 0o600 });
  const tmp = join(opts.configDir, `${name}-tmp`);
  mkdirSync(tmp, { recursive: true });
  const child = spawn(opts.binary, ['--config', configPath], {
    env: { ...process.env, PATH: `${dirname(opts.binary)}:${process.env.PATH ?? ''}`, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stopping it also stops its recording handlers
  });
  let ready = false;
  let down = false;
  const shutdown = () => {
    if (down) return;
    down = true;
    onShutdown(child);
  };
  const tail = collectTail(child, (line) => {
    opts.log?.(line);
    if (READY_LINE.test(line)) ready = true;
    else if (ready && SHUTTING_DOWN_LINE.test(line)) shutdown();
  });
  child.once('exit', () => {
    if (ready) shutdown();
  });
  await waitFor(() => ready, 'egress', child, tail, opts.timeoutMs ?? 20_000);
  return child;
}

/**
 * Starts egress with a config written to `configDir`, once it takes requests, and keeps one
 * taking them. Egress v1.8 stops taking requests for good when any recording's handler
 * process dies (service.go, awaitCleanup: `Stop`), and exits once its other recordings are
 * done; every later recording would then fail with "no response from servers". So an egress
 * that shuts down by itself is replaced at once by a fresh one on the same Redis, while the
 * old one finishes what it records. Its handler runs as `egress run-handler`, so the binary's
 * directory goes first on PATH. `healthPort` is the first one's; a replacement has none (the
 * old one may hold it while it finishes).
 */
export async function startEgress(opts: EgressOptions): Promise<
  RunningProcess & {
    /** How many replacements were started (each try counts) for an egress that shut down by itself. */
    readonly replacements: number;
  }
> {
  const running: RunningProcess[] = [];
  let stopping = false;
  let replacements = 0;
  let current: ChildProcess;
  const warn = opts.warn ?? opts.log ?? (() => undefined);
  const replace = async (): Promise<void> => {
    while (!stopping) {
      const n = ++replacements;
      warn(`egress stopped taking recordings by itself; starting replacement ${n}`);
      try {
        await launch({ ...opts, healthPort: 0 }, `egress-${opts.healthPort}-r${n}`);
        return;
      } catch (err) {
        warn(`egress replacement ${n} did not come up: ${String(err)}`);
        await new Promise((r) => setTimeout(r, REPLACE_RETRY_MS));
      }
    }
  };
  const launch = async (o: EgressOptions, name: string) => {
    const child = await launchEgress(o, name, (down) => {
      if (!stopping && down === current) void replace();
    });
    running.push(supervisedChild(child, true));
    current = child;
  };
  await launch(opts, `egress-${opts.healthPort}`);
  return {
    get process() {
      return current;
    },
    get replacements() {
      return replacements;
    },
    async stop() {
      stopping = true;
      await Promise.all(running.map((p) => p.stop()));
    },
  };
}
