import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DB } from '../../db/schema';
import { sessionCookie } from '../helpers/app';
import { makeAccount, makeShopWithStream } from '../helpers/factories';
import { ask, collect, connected, openSocket, until, type TestSocket } from '../helpers/sockets';
import { freePort } from '../setup/ports';
import { kyselyFor } from '../setup/services';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const processes: ChildProcess[] = [];
const sockets: TestSocket[] = [];
const db = kyselyFor<DB>(inject('databaseUrl'));

/** A real second (and first) server process, as production runs them behind a balancer. */
async function startProcess(): Promise<string> {
  const port = await freePort();
  const output: string[] = [];
  const child = spawn('node_modules/.bin/tsx', ['server/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      API_ONLY: '1',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: inject('databaseUrl'),
      LIVEKIT_URL: inject('livekitUrl'),
      REDIS_URL,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      GUESTS_PER_IP_PER_MINUTE: '1000',
      GUESTS_PER_DEVICE_PER_HOUR: '1000',
      SIGNUPS_PER_IP_PER_HOUR: '1000',
      LOGIN_FAILURES_PER_IP_PER_DAY: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  processes.push(child);
  const url = `http://127.0.0.1:${port}`;
  // up once it says so (health also asks LiveKit, which a loaded machine may answer slowly)
  const deadline = Date.now() + 90_000;
  while (!output.join('').includes('Linli Live is up')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`server process did not start:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return url;
}

let first: string;
let second: string;

beforeAll(async () => {
  [first, second] = await Promise.all([startProcess(), startProcess()]);
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await Promise.all(
    processes.map(
      (p) =>
        new Promise<void>((r) => {
          if (p.exitCode !== null || p.signalCode !== null) return r();
          p.once('exit', () => r());
          p.kill('SIGTERM');
          setTimeout(() => p.kill('SIGKILL'), 5000).unref();
        }),
    ),
  );
  await db.destroy();
});

describe('two server processes sharing Redis', () => {
  it('deliver a comment sent to one to a client of the other, and count viewers across both', async () => {
    const owner = await makeAccount(db);
    const { stream } = await makeShopWithStream(db, owner.id, 'live');
    const alice = openSocket(first, { cookie: await sessionCookie(first, { guest: '一号楼' }) });
    const bob = openSocket(second, { cookie: await sessionCookie(second, { guest: '二号楼' }) });
    sockets.push(alice, bob);
    await Promise.all([connected(alice), connected(bob)]);
    const atBob = collect(bob, 'comment:new');
    const viewersAtAlice = collect(alice, 'viewers');
    expect(await ask(alice, 'stream:join', { streamId: stream.id })).toMatchObject({ ok: true });
    expect(await ask(bob, 'stream:join', { streamId: stream.id })).toMatchObject({ ok: true });

    expect(await ask(alice, 'comment:send', { text: '从一号进程发出' })).toMatchObject({
      ok: true,
    });
    await until(() => atBob.length === 1, 5000, 'comment across processes');
    expect(atBob[0]).toMatchObject({ text: '从一号进程发出', name: '一号楼', streamId: stream.id });
    await until(() => viewersAtAlice.at(-1)?.count === 2, 5000, 'two viewers across processes');
  });
});
