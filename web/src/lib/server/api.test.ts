import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, afterAll, describe, expect, it, vi } from 'vitest';

// Where the pages' server loads reach the API: in process when server/main.ts offers the
// app's fetch, else over HTTP to INTERNAL_API_URL. The address is set below, per test file.
const env = vi.hoisted(() => ({ INTERNAL_API_URL: '', PORT: '0' }));
vi.mock('$app/env/private', () => env);

const { serverApi } = await import('./api.ts');

const OFFERED = Symbol.for('linli.api.fetch');
const visitor = {
  request: new Request('http://shop.test/live/1', {
    headers: { cookie: 'linli_session=abc', 'user-agent': 'phone' },
  }),
  getClientAddress: () => '203.0.113.7',
};

let http: Server;
const overHttp: string[] = [];

beforeAll(async () => {
  http = createServer((req, res) => {
    overHttp.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ user: null, via: 'http' }));
  });
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  env.INTERNAL_API_URL = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => http.close(() => ok())));
afterEach(() => {
  Reflect.deleteProperty(globalThis, OFFERED);
  overHttp.length = 0;
});

describe('serverApi', () => {
  it("calls the app's own fetch when it is offered, with the visitor's cookie and address", async () => {
    const seen: Request[] = [];
    Reflect.set(globalThis, OFFERED, (request: Request) => {
      seen.push(request);
      return Response.json({ via: 'in process' });
    });
    const answer = await serverApi(visitor).GET('/api/auth/me');
    expect(answer.data).toEqual({ via: 'in process' });
    expect(overHttp).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(new URL(seen[0]!.url).pathname).toBe('/api/auth/me');
    expect(seen[0]!.headers.get('cookie')).toBe('linli_session=abc');
    expect(seen[0]!.headers.get('x-forwarded-for')).toBe('203.0.113.7');
  });

  it('gives up on an in-process call that does not answer in time, so the page never hangs', async () => {
    Reflect.set(globalThis, OFFERED, () => new Promise<Response>(() => undefined));
    await expect(serverApi(visitor, 50).GET('/api/auth/me')).rejects.toThrow();
  });

  it('goes over HTTP to INTERNAL_API_URL when nothing is offered (vite dev)', async () => {
    const answer = await serverApi(visitor).GET('/api/auth/me');
    expect(answer.data).toEqual({ user: null, via: 'http' });
    expect(overHttp).toEqual(['/api/auth/me']);
  });
});
