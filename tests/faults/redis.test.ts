import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DB } from '../../db/schema';
import { sessionCookie } from '../helpers/app';
import { makeAccount, makeShopWithStream } from '../helpers/factories';
import { startServerProcess } from '../helpers/server-process';
import { ask, collect, connected, openSocket, until, type TestSocket } from '../helpers/sockets';
import { freePort } from '../setup/ports';
import { kyselyFor } from '../setup/services';

// Two app processes share a stream's room through a private Redis, which the test kills and
// starts again on the same port. While it is away each process keeps its own viewers served
// (comments, likes, viewer counts), acknowledgements come at once, no process crashes or
// spins; once it is back, a comment sent to one process reaches the other again by itself.

/** An answer this fast is not waiting on Redis (without the fallback it never comes). */
const ACK_PROMPT_MS = 2000;
const databaseUrl = inject('databaseUrl');
const db = kyselyFor<DB>(databaseUrl);
const sockets: TestSocket[] = [];
let redisPort: number;
/** the private redis-servers running, by port */
const redisServers = new Map<number, ChildProcess>();
const apps: Awaited<ReturnType<typeof startServerProcess>>[] = [];

/** A private redis-server, gone for good when killed (no persistence). */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await until(
    () => output.includes('Ready to accept connections') || child.exitCode !== null,
    10_000,
    'redis-server to start',
  );
  if (child.exitCode !== null) throw new Error(`redis-server did not start:\n${output}`);
  redisServers.set(port, child);
  return child;
}

async function stopRedis(port: number): Promise<void> {
  const child = redisServers.get(port);
  redisServers.delete(port);
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((ok) => child.once('exit', ok));
  child.kill('SIGKILL');
  await exited;
}

async function untilAsync(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function redisCli(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', ['-p', String(port), ...args]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', () => resolve(out.trim()));
  });
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  // /proc/<pid>/stat: fields 14 and 15 are utime and stime in clock ticks (100 a second);
  // the command name (field 2) is in parentheses and may hold spaces, so count after it
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A signed-in guest of `baseUrl` in the stream's room. */
async function guestInRoom(baseUrl: string, name: string, streamId: string) {
  const socket = openSocket(baseUrl, { cookie: await sessionCookie(baseUrl, { guest: name }) });
  sockets.push(socket);
  await connected(socket);
  expect(await ask(socket, 'stream:join', { streamId })).toMatchObject({ ok: true });
  return socket;
}

/** A visitor (no session) of `baseUrl` watching the stream's room. */
async function viewerInRoom(baseUrl: string, streamId: string) {
  const socket = openSocket(baseUrl);
  sockets.push(socket);
  await connected(socket);
  expect(await ask(socket, 'stream:join', { streamId })).toMatchObject({ ok: true });
  return socket;
}

/** Sends a comment and returns the answer with how long it took. */
async function timedComment(socket: TestSocket, text: string) {
  const started = performance.now();
  const answer = await ask(socket, 'comment:send', { text });
  return { answer, ms: performance.now() - started };
}

/**
 * Sends a comment from `senders` (in turn, so none meets the rate limit) every `everyMs`
 * until `receiver` has one of them; returns when that was, in ms since `since`.
 */
async function firstDelivery(
  senders: TestSocket[],
  receiver: TestSocket,
  tag: string,
  since: number,
  timeoutMs: number,
  everyMs = 250,
): Promise<number> {
  const received = collect(receiver, 'comment:new');
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; Date.now() < deadline; i++) {
    const text = `${tag} ${i}`;
    const answer = await ask(senders[i % senders.length]!, 'comment:send', { text }, 1000);
    expect(answer).toMatchObject({ ok: true });
    const sentAt = Date.now();
    while (Date.now() - sentAt < everyMs) {
      if (received.some((c) => c.text.startsWith(tag))) return performance.now() - since;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  throw new Error(`no "${tag}" comment crossed processes within ${timeoutMs} ms`);
}

beforeAll(async () => {
  redisPort = await freePort();
  await startRedis(redisPort);
  const env = { REDIS_URL: `redis://127.0.0.1:${redisPort}` };
  // one after the other: two processes setting up pg-boss at once can deadlock
  apps.push(await startServerProcess(databaseUrl, await freePort(), env));
  apps.push(await startServerProcess(databaseUrl, await freePort(), env));
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await Promise.all(apps.map((app) => app.kill('SIGTERM')));
  await Promise.all([...redisServers.keys()].map(stopRedis));
  await db.destroy();
});

describe('Redis going away and coming back (REDIS_URL set)', () => {
  it('two processes each keep serving their own room, then span it again without a restart', async () => {
    const one = apps[0]!;
    const two = apps[1]!;
    const owner = await makeAccount(db);
    const { stream } = await makeShopWithStream(db, owner.id, 'live');

    const alice = await guestInRoom(one.baseUrl, '一号楼', stream.id);
    const bob = await guestInRoom(two.baseUrl, '二号楼', stream.id);
    const viewerOne = await viewerInRoom(one.baseUrl, stream.id);
    const viewerTwo = await viewerInRoom(two.baseUrl, stream.id);
    // a second visitor of process 2, who drops its connection while Redis is away
    const dropper = await viewerInRoom(two.baseUrl, stream.id);
    // senders for the probes once Redis is back (each takes a turn, well under the limit)
    const probersOne = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => guestInRoom(one.baseUrl, `探测${n}`, stream.id)),
    );
    const probersTwo = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => guestInRoom(two.baseUrl, `回探${n}`, stream.id)),
    );

    // 1. Redis up: across processes
    const atTwo = collect(viewerTwo, 'comment:new');
    const atDropper = collect(dropper, 'comment:new');
    expect(await ask(alice, 'comment:send', { text: 'Redis 在：一号发' })).toMatchObject({
      ok: true,
    });
    await until(() => atTwo.some((c) => c.text === 'Redis 在：一号发'), 5000, 'before the fault');
    await until(() => atDropper.length > 0, 5000, 'the dropper to hold a recovery offset');

    // 2. Redis goes
    const logBefore = apps.map((app) => app.output.join('').length);
    await stopRedis(redisPort);

    // 3. each process serves its own room, answering at once
    const atOne = collect(viewerOne, 'comment:new');
    const likesAtOne = collect(viewerOne, 'like');
    const ackMs: number[] = [];
    for (const [sender, seen, text] of [
      [alice, atOne, 'Redis 不在：一号发'],
      [bob, atTwo, 'Redis 不在：二号发'],
    ] as const) {
      const { answer, ms } = await timedComment(sender, text);
      expect(answer).toMatchObject({ ok: true });
      ackMs.push(ms);
      await until(() => seen.some((c) => c.text === text), 2000, `"${text}" on its own process`);
    }
    // hearts go through their own limiter and the like flush
    alice.emit('like', { count: 3 });
    await until(() => likesAtOne.length > 0, 3000, 'hearts on process 1');
    // a new viewer is counted (this process's sockets alone)
    const countsAtOne = collect(viewerOne, 'viewers');
    await viewerInRoom(one.baseUrl, stream.id);
    await until(() => countsAtOne.length > 0, 4000, 'a viewer count on process 1');
    // a visitor whose connection drops comes back at once (its session cannot be restored
    // without Redis: a fresh one, and it joins again), and no process falls over for it
    dropper.io.engine.close();
    await until(() => !dropper.connected, 2000, 'the dropper to drop');
    await connected(dropper, 3000);
    expect(await ask(dropper, 'stream:join', { streamId: stream.id }, 2000)).toMatchObject({
      ok: true,
    });
    const { answer: later, ms: laterMs } = await timedComment(bob, 'Redis 还不在：二号发');
    expect(later).toMatchObject({ ok: true });
    ackMs.push(laterMs);
    await until(() => atDropper.some((c) => c.text === 'Redis 还不在：二号发'), 2000, 'rejoined');
    console.log(`acks while Redis is down: ${ackMs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    for (const ms of ackMs) expect(ms).toBeLessThan(ACK_PROMPT_MS);

    // nothing spins while Redis stays away, and the logs say so once, not once per attempt
    const cpuBefore = apps.map((app) => cpuSeconds(app.pid!));
    const windowStart = performance.now();
    await new Promise((r) => setTimeout(r, 3000));
    const windowSeconds = (performance.now() - windowStart) / 1000;
    const cpuShares = apps.map((app, i) => (cpuSeconds(app.pid!) - cpuBefore[i]!) / windowSeconds);
    console.log(`CPU while Redis is down: ${cpuShares.map((s) => s.toFixed(3)).join(', ')}`);
    for (const share of cpuShares) expect(share).toBeLessThan(0.25);
    apps.forEach((app, i) => {
      const newLines = app.output.join('').slice(logBefore[i]).split('\n');
      const redisLines = newLines.filter((line) => /redis/i.test(line));
      expect(redisLines.length).toBeGreaterThan(0);
      expect(redisLines.length).toBeLessThanOrEqual(3);
    });

    // 4. Redis comes back on the same port: rooms span the processes again, by themselves
    await startRedis(redisPort);
    const backAt = performance.now();
    const oneToTwo = await firstDelivery(probersOne, viewerTwo, '恢复后一号发', backAt, 15_000);
    const twoToOne = await firstDelivery(probersTwo, viewerOne, '恢复后二号发', backAt, 15_000);
    console.log(
      `cross-process delivery after Redis is back: 1→2 ${oneToTwo.toFixed(0)} ms, 2→1 ${twoToOne.toFixed(0)} ms`,
    );
    // and a viewer count spans both processes again
    const countsAtTwo = collect(viewerTwo, 'viewers');
    await viewerInRoom(one.baseUrl, stream.id);
    const everyone = sockets.filter((s) => s.connected).length;
    await until(
      () => (countsAtTwo.at(-1)?.count ?? 0) === everyone,
      5000,
      `a viewer count of ${everyone} across processes`,
    );

    for (const app of apps) expect(app.child.exitCode).toBeNull();
  });

  it('starts without Redis, in local mode, and joins Redis once it answers', async () => {
    const port = await freePort();
    const started = performance.now();
    const app = await startServerProcess(databaseUrl, await freePort(), {
      REDIS_URL: `redis://127.0.0.1:${port}`,
    });
    apps.push(app);
    const startupMs = performance.now() - started;
    const owner = await makeAccount(db);
    const { stream } = await makeShopWithStream(db, owner.id, 'live');
    const alice = await guestInRoom(app.baseUrl, '三号楼', stream.id);
    const viewer = await viewerInRoom(app.baseUrl, stream.id);
    const seen = collect(viewer, 'comment:new');
    const { answer, ms } = await timedComment(alice, '没有 Redis 也能发');
    expect(answer).toMatchObject({ ok: true });
    expect(ms).toBeLessThan(ACK_PROMPT_MS);
    await until(() => seen.length === 1, 2000, 'the comment on its own process');
    expect(app.output.join('')).toMatch(/Redis unreachable at startup/);

    const cpuBefore = cpuSeconds(app.pid!);
    await new Promise((r) => setTimeout(r, 3000));
    const cpuShare = (cpuSeconds(app.pid!) - cpuBefore) / 3;
    console.log(
      `startup without Redis: up in ${startupMs.toFixed(0)} ms, CPU ${cpuShare.toFixed(3)}`,
    );
    expect(cpuShare).toBeLessThan(0.25);

    // Redis appears: the process connects (commands, stream reader, subscriber) and its
    // broadcasts go to the stream
    await startRedis(port);
    const appearedAt = performance.now();
    await untilAsync(
      async () => /connected_clients:([4-9]|\d\d)/.test(await redisCli(port, 'INFO', 'clients')),
      10_000,
      'the process to connect to Redis',
    );
    console.log(`joined Redis ${(performance.now() - appearedAt).toFixed(0)} ms after it appeared`);
    await new Promise((r) => setTimeout(r, 2100)); // one comment per 2 s
    expect(await ask(alice, 'comment:send', { text: 'Redis 来了' })).toMatchObject({ ok: true });
    expect(Number(await redisCli(port, 'XLEN', 'socket.io'))).toBeGreaterThan(0);
    expect(app.child.exitCode).toBeNull();

    // and it stops cleanly while Redis is away
    await stopRedis(port);
    const stopping = performance.now();
    await app.kill('SIGTERM');
    console.log(`stopped in ${(performance.now() - stopping).toFixed(0)} ms with Redis away`);
    expect(app.child.exitCode).toBe(0);
  });
});
