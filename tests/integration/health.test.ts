import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/schema';
import { buildTestApp, Client } from '../helpers/app';
import { freePort } from '../setup/ports';
import { kyselyFor } from '../setup/services';

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

describe('GET /api/health', () => {
  it('reports the real database and the real livekit-server up', async () => {
    const res = await new Client(app).get('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      ok: true,
      db: { ok: true, kind: 'postgres' },
      livekit: { ok: true },
    });
  });

  it('is degraded, still 200, when the media server does not answer: orders and comments work', async () => {
    const down = buildTestApp({ LIVEKIT_URL: 'ws://127.0.0.1:9' }, db);
    const res = await new Client(down.app).get('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'degraded',
      ok: false,
      db: { ok: true },
      livekit: { ok: false },
    });
  });

  it('is degraded when the media server refuses our keys', async () => {
    const wrongKeys = buildTestApp(
      { LIVEKIT_API_KEY: 'someone-else', LIVEKIT_API_SECRET: 'x'.repeat(40) },
      db,
    );
    const res = await new Client(wrongKeys.app).get('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'degraded', livekit: { ok: false } });
  });

  it('answers within seconds when the media server accepts connections but never replies', async () => {
    // A hung media server: TCP accepts, HTTP never answers.
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    const port = await freePort();
    await new Promise<void>((ok) => silent.listen(port, '127.0.0.1', ok));
    try {
      const hung = buildTestApp({ LIVEKIT_URL: `ws://127.0.0.1:${port}` }, db);
      const started = Date.now();
      const res = await new Client(hung.app).get('/api/health');
      expect(Date.now() - started).toBeLessThan(4000);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: 'degraded',
        livekit: { ok: false, error: 'timed out' },
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((ok) => silent.close(ok));
    }
  });

  it('is down, 503, when the database does not answer', async () => {
    const noDatabase = kyselyFor<DB>('postgres://postgres@127.0.0.1:9/test');
    try {
      const res = await new Client(buildTestApp({}, noDatabase).app).get('/api/health');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        status: 'down',
        ok: false,
        db: { ok: false },
        livekit: { ok: true },
      });
    } finally {
      await noDatabase.destroy();
    }
  });
});
