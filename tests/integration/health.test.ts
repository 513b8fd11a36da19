import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, Client } from '../helpers/app';

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

describe('GET /api/health', () => {
  it('reports the real database and the real livekit-server up', async () => {
    const res = await new Client(app).get('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      ok: true,
      db: { ok: true, kind: 'postgres' },
      livekit: { ok: true },
    });
  });

  it('reports 503 when the media server does not answer', async () => {
    const down = buildTestApp({ LIVEKIT_URL: 'ws://127.0.0.1:9' }, db);
    const res = await new Client(down.app).get('/api/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false, db: { ok: true }, livekit: { ok: false } });
  });

  it('reports 503 when the media server refuses our keys', async () => {
    const wrongKeys = buildTestApp(
      { LIVEKIT_API_KEY: 'someone-else', LIVEKIT_API_SECRET: 'x'.repeat(40) },
      db,
    );
    const res = await new Client(wrongKeys.app).get('/api/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ livekit: { ok: false } });
  });
});
