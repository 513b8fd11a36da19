import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort } from '../tests/setup/ports';
import {
  ensureLivekitBinary,
  livekitConfigBody,
  LivekitUnavailableError,
  restartDelay,
  startLivekit,
  type LivekitEvents,
  type RunningLivekit,
} from './livekit-process';

describe('the local livekit-server', () => {
  it('tells the newcomer the two other ways when there is neither a binary nor Go', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'linli-cache-'));
    const previous = process.env.LIVEKIT_BIN;
    delete process.env.LIVEKIT_BIN;
    try {
      expect(() => ensureLivekitBinary({ cacheDir, searchPath: '', go: null })).toThrow(
        LivekitUnavailableError,
      );
      expect(() => ensureLivekitBinary({ cacheDir, searchPath: '', go: null })).toThrow(
        /docker compose.*livekit[\s\S]*release binary/,
      );
    } finally {
      if (previous !== undefined) process.env.LIVEKIT_BIN = previous;
    }
  });

  it('keeps the loopback settings of livekit.yaml and fills in ports, keys and the webhook', () => {
    const body = parse(
      livekitConfigBody({
        configPath: resolve('livekit.yaml'),
        ports: { http: 7990, rtcTcp: 7991, rtcUdp: 7992 },
        apiKey: 'k',
        apiSecret: 's'.repeat(32),
        webhookUrl: 'http://127.0.0.1:3000/api/livekit/webhook',
      }),
    );
    expect(body).toMatchObject({
      port: 7990,
      rtc: {
        tcp_port: 7991,
        udp_port: 7992,
        use_external_ip: false,
        node_ip: '127.0.0.1',
        enable_loopback_candidate: true,
        interfaces: { includes: ['lo'] },
        stun_servers: ['127.0.0.1:3478'],
      },
      keys: { k: 's'.repeat(32) },
      webhook: { api_key: 'k', urls: ['http://127.0.0.1:3000/api/livekit/webhook'] },
    });
  });
});

/**
 * A stand-in for livekit-server: answers HTTP on the port of its --config-body, and refuses
 * to start while `failFile` exists.
 */
function fakeLivekit(): { binary: string; failFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'linli-fake-livekit-'));
  const binary = join(dir, 'livekit-server');
  const failFile = join(dir, 'fail');
  writeFileSync(
    binary,
    `#!${process.execPath}
const body = process.argv[process.argv.indexOf('--config-body') + 1];
const port = Number(/^port: (\\d+)$/m.exec(body)[1]);
if (require('node:fs').existsSync(${JSON.stringify(failFile)})) {
  console.error('fake livekit: told to fail');
  process.exit(3);
}
require('node:http').createServer((req, res) => res.end('OK')).listen(port, '127.0.0.1', () => {
  console.log('fake livekit: up on ' + port + ' as ' + process.pid);
});
`,
  );
  chmodSync(binary, 0o755);
  return { binary, failFile };
}

function next<E extends keyof LivekitEvents>(
  livekit: RunningLivekit,
  event: E,
): Promise<LivekitEvents[E]> {
  return new Promise((ok) => {
    const off = livekit.on(event, (payload) => {
      off();
      ok(payload);
    });
  });
}

async function fakePorts() {
  return { http: await freePort(), rtcTcp: await freePort(), rtcUdp: await freePort() };
}

/** The fake server supervised on free ports, restarting after `backoff` (ms). */
async function superviseFake(backoff: { initialMs: number; maxMs?: number }) {
  const fake = fakeLivekit();
  const ports = await fakePorts();
  const livekit = await startLivekit({
    binary: fake.binary,
    ports,
    apiKey: 'k',
    apiSecret: 's'.repeat(32),
    backoff,
  });
  return { fake, ports, livekit };
}

describe('supervising the local livekit-server', () => {
  it('waits 250 ms, doubling to 10 s, between restart attempts', () => {
    const backoff = { initialMs: 250, maxMs: 10_000, stableMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => restartDelay(n, backoff))).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });

  it('restarts it on the same port after a kill -9, says why, and stops for good on stop()', async () => {
    const { ports, livekit } = await superviseFake({ initialMs: 20 });
    try {
      expect(livekit.state).toBe('running');
      const firstPid = livekit.process.pid;
      const exited = next(livekit, 'exit');
      const up = next(livekit, 'up');
      livekit.process.kill('SIGKILL');
      const exit = await exited;
      expect(exit).toMatchObject({ code: null, signal: 'SIGKILL' });
      expect(exit.tail.join('\n')).toContain(`fake livekit: up on ${ports.http}`);
      expect(livekit.state).toBe('restarting');

      expect(await up).toMatchObject({ restarts: 1 });
      expect(livekit.state).toBe('running');
      expect(livekit.process.pid).not.toBe(firstPid);
      expect((await fetch(`http://127.0.0.1:${ports.http}`)).ok).toBe(true);
    } finally {
      await livekit.stop();
    }
    expect(livekit.state).toBe('stopped');
    await expect(fetch(`http://127.0.0.1:${ports.http}`)).rejects.toThrow();
    // no restart after stop(): the port stays closed
    await new Promise((r) => setTimeout(r, 200));
    await expect(fetch(`http://127.0.0.1:${ports.http}`)).rejects.toThrow();
  });

  it('does not restart it once supervision has ended (the app is stopping)', async () => {
    const { ports, livekit } = await superviseFake({ initialMs: 10 });
    try {
      const restarting: unknown[] = [];
      livekit.on('restarting', (r) => restarting.push(r));
      const exited = next(livekit, 'exit');
      livekit.endSupervision();
      livekit.process.kill('SIGINT');
      expect(await exited).toMatchObject({ signal: 'SIGINT' });
      await new Promise((r) => setTimeout(r, 200));
      expect(livekit.state).toBe('stopped');
      expect(restarting).toEqual([]);
      await expect(fetch(`http://127.0.0.1:${ports.http}`)).rejects.toThrow();
    } finally {
      await livekit.stop();
    }
  });

  it('backs off while it keeps failing to start, and is back once it can', async () => {
    const { fake, livekit } = await superviseFake({ initialMs: 10, maxMs: 40 });
    try {
      const attempts: { attempt: number; delayMs: number; error?: string }[] = [];
      livekit.on('restarting', (r) => attempts.push(r));
      writeFileSync(fake.failFile, '');
      const up = next(livekit, 'up');
      livekit.process.kill('SIGKILL');
      await expect.poll(() => attempts.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
      rmSync(fake.failFile);
      const back = await up;
      expect(attempts.slice(0, 4).map((a) => a.delayMs)).toEqual([10, 20, 40, 40]);
      expect(attempts[1]?.error).toContain('fake livekit: told to fail');
      expect(back.downMs).toBeGreaterThanOrEqual(10 + 20 + 40);
      expect(livekit.state).toBe('running');
    } finally {
      await livekit.stop();
    }
  });
});
