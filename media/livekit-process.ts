import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';

// Finds, builds once, starts and stops the local livekit-server used in development and
// tests. Production runs the official container instead (docker-compose.yml).

export const LIVEKIT_VERSION = 'v1.13.5';
const LIVEKIT_MODULE = `github.com/livekit/livekit-server/cmd/server@${LIVEKIT_VERSION}`;

export function defaultCacheDir(): string {
  return process.env.LINLI_CACHE_DIR ?? join(homedir(), '.cache', 'linli');
}

function onPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function cachedBinary(cacheDir: string): string {
  // `go install` names the binary after its package directory: "server".
  return join(cacheDir, `livekit-${LIVEKIT_VERSION}`, 'server');
}

export class LivekitUnavailableError extends Error {
  override name = 'LivekitUnavailableError';
}

/**
 * LIVEKIT_BIN, then `livekit-server` on PATH, then the cache; builds it with Go into the
 * cache when it is nowhere and Go is installed. Progress goes to `log`.
 */
export function ensureLivekitBinary(
  opts: {
    cacheDir?: string;
    log?: (line: string) => void;
    /** Where to look for binaries; defaults to PATH. */
    searchPath?: string;
    /** The Go toolchain to build with; null when there is none. Defaults to PATH, then /usr/local/go. */
    go?: string | null;
  } = {},
): string {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const searchPath = opts.searchPath ?? process.env.PATH ?? '';
  const fromEnv = process.env.LIVEKIT_BIN;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new LivekitUnavailableError(`LIVEKIT_BIN=${fromEnv} does not exist`);
    return fromEnv;
  }
  const found = onPath('livekit-server', searchPath);
  if (found) return found;
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const cached = cachedBinary(cacheDir);
  if (existsSync(cached)) return cached;

  const go =
    opts.go !== undefined
      ? opts.go
      : (onPath('go', searchPath) ??
        (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null));
  if (!go) {
    throw new LivekitUnavailableError(
      [
        'livekit-server was not found and Go is not installed to build it. Either:',
        '  - install Go (https://go.dev/dl) and run this again: it builds livekit-server once into ' +
          cacheDir,
        '  - or run the media server with Docker: `docker compose up -d livekit` and set LIVEKIT_URL=ws://127.0.0.1:7880',
        `  - or download a livekit-server ${LIVEKIT_VERSION} release binary and put it on PATH (or set LIVEKIT_BIN)`,
      ].join('\n'),
    );
  }
  const binDir = join(cacheDir, `livekit-${LIVEKIT_VERSION}`);
  mkdirSync(binDir, { recursive: true });
  log(`Building livekit-server ${LIVEKIT_VERSION} with Go into ${binDir} (once; a few minutes)…`);
  const result = spawnSync(go, ['install', '-v', LIVEKIT_MODULE], {
    env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0 || !existsSync(cached)) {
    throw new LivekitUnavailableError(
      `building livekit-server failed (go exited ${result.status})`,
    );
  }
  log(`Built ${cached}`);
  return cached;
}

export interface LivekitPorts {
  http: number;
  rtcTcp: number;
  rtcUdp: number;
}

export const DEFAULT_LIVEKIT_PORTS: LivekitPorts = { http: 7880, rtcTcp: 7881, rtcUdp: 7882 };

const livekitYamlSchema = z.looseObject({
  port: z.number().int().optional(),
  rtc: z.looseObject({}).optional(),
});

/** The repo's livekit.yaml with ports, keys and the webhook target filled in. */
export function livekitConfigBody(opts: {
  configPath: string;
  ports: LivekitPorts;
  apiKey: string;
  apiSecret: string;
  webhookUrl?: string;
  /** host:port of the Redis it shares with egress (the recorder) alone */
  redisAddress?: string;
}): string {
  const base = livekitYamlSchema.parse(parse(readFileSync(opts.configPath, 'utf8')));
  const config: Record<string, unknown> = {
    ...base,
    port: opts.ports.http,
    rtc: { ...base.rtc, tcp_port: opts.ports.rtcTcp, udp_port: opts.ports.rtcUdp },
    keys: { [opts.apiKey]: opts.apiSecret },
  };
  if (opts.webhookUrl) config.webhook = { api_key: opts.apiKey, urls: [opts.webhookUrl] };
  if (opts.redisAddress) config.redis = { address: opts.redisAddress };
  return stringify(config);
}

/** `running`: answers on HTTP. `restarting`: died unexpectedly, being started again. */
export type LivekitState = 'running' | 'restarting' | 'stopped';

/** What the supervisor reports, in order: an unexpected exit, each restart attempt, up again. */
export interface LivekitEvents {
  exit: { code: number | null; signal: NodeJS.Signals | null; tail: string[]; at: Date };
  restarting: { attempt: number; delayMs: number; error?: string };
  up: { restarts: number; downSince: Date; downMs: number };
}

export interface RunningLivekit {
  url: string;
  /** The current livekit-server child; a restart replaces it. */
  readonly process: ChildProcess;
  readonly state: LivekitState;
  /** How many times it has been restarted after dying. */
  readonly restarts: number;
  /**
   * No more restarts; a running server keeps running until stop(). For when this process
   * is being stopped and the signal reached livekit-server too (Ctrl-C signals the whole
   * process group): its exit is then not a crash.
   */
  endSupervision(): void;
  /** Calls `listener` on every `event` until the returned function is called. */
  on<E extends keyof LivekitEvents>(
    event: E,
    listener: (payload: LivekitEvents[E]) => void,
  ): () => void;
  /** Stops livekit-server and ends supervision for good. */
  stop(): Promise<void>;
}

/** Restart delays: `initialMs` doubling to `maxMs`, back to `initialMs` after `stableMs` up. */
export interface RestartBackoff {
  initialMs: number;
  maxMs: number;
  stableMs: number;
}

export const DEFAULT_RESTART_BACKOFF: RestartBackoff = {
  initialMs: 250,
  maxMs: 10_000,
  stableMs: 30_000,
};

/** The delay before restart attempt `attempt` (1-based) of one outage. */
export function restartDelay(attempt: number, backoff: RestartBackoff): number {
  return Math.min(backoff.initialMs * 2 ** Math.max(0, attempt - 1), backoff.maxMs);
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** How many lines of its own output are kept to explain an unexpected exit. */
const TAIL_LINES = 40;

/**
 * Starts livekit-server, waits until it answers on HTTP, and stops it when this process
 * exits. Supervised: when it dies on its own (a crash, `kill -9`, the OOM killer) the exit
 * is reported with its last output lines and it is started again on the same ports, with
 * backoff, until `stop()`. A livekit-server that restarts knows no rooms: listen for `up`.
 */
export async function startLivekit(opts: {
  binary: string;
  configPath?: string;
  ports?: LivekitPorts;
  apiKey: string;
  apiSecret: string;
  webhookUrl?: string;
  /** Redis shared with egress, which reaches livekit-server through it alone. */
  redisAddress?: string;
  /** Every line livekit-server prints. */
  log?: (line: string) => void;
  timeoutMs?: number;
  /** Restart after an unexpected exit (default true). */
  supervise?: boolean;
  backoff?: Partial<RestartBackoff>;
}): Promise<RunningLivekit> {
  const ports = opts.ports ?? DEFAULT_LIVEKIT_PORTS;
  const httpUrl = `http://127.0.0.1:${ports.http}`;
  const backoff = { ...DEFAULT_RESTART_BACKOFF, ...opts.backoff };
  let supervising = opts.supervise ?? true;
  const body = livekitConfigBody({
    configPath: opts.configPath ?? resolve('livekit.yaml'),
    ports,
    apiKey: opts.apiKey,
    apiSecret: opts.apiSecret,
    ...(opts.webhookUrl ? { webhookUrl: opts.webhookUrl } : {}),
    ...(opts.redisAddress ? { redisAddress: opts.redisAddress } : {}),
  });
  const listeners: { [E in keyof LivekitEvents]: Set<(payload: LivekitEvents[E]) => void> } = {
    exit: new Set(),
    restarting: new Set(),
    up: new Set(),
  };
  const emit = <E extends keyof LivekitEvents>(event: E, payload: LivekitEvents[E]) => {
    for (const listener of listeners[event]) listener(payload);
  };
  let state: LivekitState = 'running';
  let restarts = 0;
  let outageAttempts = 0;
  let upSince = Date.now();
  let downSince = new Date();
  let restartTimer: NodeJS.Timeout | undefined;
  let launching: ChildProcess | null = null;

  /** Spawns livekit-server and resolves once it answers; kills it and throws otherwise. */
  async function launch(): Promise<{ child: ChildProcess; tail: string[] }> {
    if (await answers(httpUrl)) {
      throw new LivekitUnavailableError(
        `port ${ports.http} already answers: another livekit-server is running. Stop it, or point LIVEKIT_URL at it.`,
      );
    }
    const child = spawn(opts.binary, ['--config-body', body], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launching = child;
    const tail: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        opts.log?.(line);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    // a spawn failure (e.g. the binary is gone) arrives as 'error', perhaps without 'exit'
    let spawnFailed = false;
    child.on('error', (err) => {
      spawnFailed = true;
      tail.push(`spawn: ${err.message}`);
    });
    try {
      const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
      while (!(await answers(httpUrl))) {
        const gone = spawnFailed || child.exitCode !== null || child.signalCode !== null;
        if (gone || state === 'stopped') {
          throw new LivekitUnavailableError(
            `livekit-server did not come up on ${httpUrl}:\n${tail.join('\n')}`,
          );
        }
        if (Date.now() > deadline) {
          throw new LivekitUnavailableError(
            `livekit-server did not answer on ${httpUrl} within ${opts.timeoutMs ?? 20_000} ms:\n${tail.join('\n')}`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    } finally {
      launching = null;
    }
    return { child, tail };
  }

  function watch(child: ChildProcess, tail: string[]) {
    // 'close', not 'exit': its last output lines have been read by then
    child.once('close', (code, signal) => {
      if (state === 'stopped') return;
      const at = new Date();
      // an outage that follows a long stable run starts its backoff afresh
      if (at.getTime() - upSince >= backoff.stableMs) outageAttempts = 0;
      state = supervising ? 'restarting' : 'stopped';
      downSince = at;
      emit('exit', { code, signal, tail: [...tail], at });
      if (supervising) scheduleRestart();
    });
  }

  function scheduleRestart(error?: string) {
    outageAttempts += 1;
    const delayMs = restartDelay(outageAttempts, backoff);
    emit('restarting', {
      attempt: outageAttempts,
      delayMs,
      ...(error ? { error } : {}),
    });
    restartTimer = setTimeout(() => void restart(), delayMs);
  }

  async function restart() {
    restartTimer = undefined;
    if (state !== 'restarting') return;
    let launched;
    try {
      launched = await launch();
    } catch (err) {
      if (state !== 'restarting') return;
      scheduleRestart(err instanceof Error ? err.message : String(err));
      return;
    }
    if (state !== 'restarting') {
      // stop() ran while it was coming up
      launched.child.kill('SIGKILL');
      return;
    }
    current = launched.child;
    restarts += 1;
    state = 'running';
    upSince = Date.now();
    watch(current, launched.tail);
    emit('up', { restarts, downSince, downMs: upSince - downSince.getTime() });
  }

  const first = await launch();
  let current = first.child;
  watch(current, first.tail);

  // The child must not outlive this process, whichever child is current.
  const killOnExit = () => {
    current.kill('SIGKILL');
    launching?.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  return {
    url: `ws://127.0.0.1:${ports.http}`,
    get process() {
      return current;
    },
    get state() {
      return state;
    },
    get restarts() {
      return restarts;
    },
    on(event, listener) {
      listeners[event].add(listener);
      return () => void listeners[event].delete(listener);
    },
    endSupervision() {
      supervising = false;
      if (state !== 'restarting') return;
      state = 'stopped';
      clearTimeout(restartTimer);
      launching?.kill('SIGKILL');
    },
    stop: async () => {
      supervising = false;
      state = 'stopped';
      clearTimeout(restartTimer);
      launching?.kill('SIGKILL');
      process.removeListener('exit', killOnExit);
      const child = current;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
