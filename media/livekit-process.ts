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
}): string {
  const base = livekitYamlSchema.parse(parse(readFileSync(opts.configPath, 'utf8')));
  const config: Record<string, unknown> = {
    ...base,
    port: opts.ports.http,
    rtc: { ...base.rtc, tcp_port: opts.ports.rtcTcp, udp_port: opts.ports.rtcUdp },
    keys: { [opts.apiKey]: opts.apiSecret },
  };
  if (opts.webhookUrl) config.webhook = { api_key: opts.apiKey, urls: [opts.webhookUrl] };
  return stringify(config);
}

export interface RunningLivekit {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** Starts livekit-server, waits until it answers on HTTP, and stops it when this process exits. */
export async function startLivekit(opts: {
  binary: string;
  configPath?: string;
  ports?: LivekitPorts;
  apiKey: string;
  apiSecret: string;
  webhookUrl?: string;
  log?: (line: string) => void;
  timeoutMs?: number;
}): Promise<RunningLivekit> {
  const ports = opts.ports ?? DEFAULT_LIVEKIT_PORTS;
  const httpUrl = `http://127.0.0.1:${ports.http}`;
  if (await answers(httpUrl)) {
    throw new LivekitUnavailableError(
      `port ${ports.http} already answers: another livekit-server is running. Stop it, or point LIVEKIT_URL at it.`,
    );
  }
  const body = livekitConfigBody({
    configPath: opts.configPath ?? resolve('livekit.yaml'),
    ports,
    apiKey: opts.apiKey,
    apiSecret: opts.apiSecret,
    ...(opts.webhookUrl ? { webhookUrl: opts.webhookUrl } : {}),
  });
  const child = spawn(opts.binary, ['--config-body', body], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      opts.log?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  while (!(await answers(httpUrl))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new LivekitUnavailableError(
        `livekit-server did not come up on ${httpUrl}:\n${tail.join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url: `ws://127.0.0.1:${ports.http}`,
    process: child,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
