import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, Client } from '../helpers/app';

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

describe('API description', () => {
  it('describes every public route of the contract so far', async () => {
    const res = await new Client(app).get('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/auth/signup',
        'POST /api/auth/login',
        'POST /api/auth/guest',
        'POST /api/auth/logout',
        'GET /api/me',
        'GET /api/health',
        'POST /api/shops',
        'GET /api/shops/{slug}',
      ]),
    );
  });

  it('serves a readable reference page with its assets from this server', async () => {
    const client = new Client(app);
    const page = await client.get('/api/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/api/docs/swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\//);
    const bundle = await client.get('/api/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });
});
