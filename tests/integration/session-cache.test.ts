import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { guest, HttpClient, sleep, startServerProcess } from '../helpers/server-process';
import { freePort } from '../setup/ports';

// Each process keeps the sessions it has just read for a few seconds (session-cache.ts). A
// session that ends must still stop working at once, on every process.

const env = { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' };
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

let a: { baseUrl: string };
let b: { baseUrl: string };
beforeAll(async () => {
  for (const set of [(p: typeof a) => (a = p), (p: typeof b) => (b = p)]) {
    const p = await startServerProcess(inject('databaseUrl'), await freePort(), env);
    cleanups.push(() => p.kill('SIGTERM'));
    set(p);
    // a first signed-in request makes the process's cache; it is trusted once its
    // subscription to the sign-outs has been live a moment
    await (await guest(p.baseUrl, '暖场')).get('/api/me');
  }
  await sleep(1000);
}, 120_000);

/** The same signed-in resident, talking to another process. */
function sameCookieOn(baseUrl: string, client: HttpClient): HttpClient {
  const other = new HttpClient(baseUrl);
  other.cookie = client.cookie;
  return other;
}

describe('sessions cached per process, ended on every process at once', () => {
  it('a session signed out on one process is refused by the other straight away, though it had just read it', async () => {
    for (let i = 0; i < 5; i++) {
      const resident = await guest(a.baseUrl, `邻居${i}`);
      const onB = sameCookieOn(b.baseUrl, resident);
      // B reads the session, and again (from its cache now)
      expect((await onB.get('/api/me')).status).toBe(200);
      expect((await onB.get('/api/me')).status).toBe(200);
      expect((await resident.post('/api/auth/logout', {})).status).toBe(204);
      expect((await onB.get('/api/me')).status).toBe(401);
      expect((await sameCookieOn(a.baseUrl, onB).get('/api/me')).status).toBe(401);
    }
  });

  it('signing in as someone else ends the old session on the other process too', async () => {
    for (let i = 0; i < 3; i++) {
      const resident = await guest(a.baseUrl, '换号');
      const old = sameCookieOn(b.baseUrl, resident);
      expect(await (await old.get('/api/me')).json()).toMatchObject({ user: { name: '换号' } });
      expect((await old.get('/api/me')).status).toBe(200);
      // a new guest on the same browser replaces the session
      expect((await resident.post('/api/auth/guest', { name: '新号' })).status).toBe(201);
      expect((await old.get('/api/me')).status).toBe(401);
      const current = sameCookieOn(b.baseUrl, resident);
      expect(await (await current.get('/api/me')).json()).toMatchObject({ user: { name: '新号' } });
    }
  });
});
