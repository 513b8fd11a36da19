import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../server/app';
import type { DB } from '../../db/schema';
import { buildTestApp, Client, ORIGIN, uniqueEmail } from '../helpers/app';
import { kyselyFor } from '../setup/services';

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

async function errorOf(res: Response) {
  const body: unknown = await res.json();
  expect(body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  return body as { error: { code: string; message: string } };
}

async function userCount(email: string) {
  const row = await db
    .selectFrom('users')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return row.n;
}

describe('bad input at the API edge', () => {
  it('answers malformed JSON with 400 malformed_json and writes nothing', async () => {
    const email = uniqueEmail();
    const res = await new Client(app).request('POST', '/api/auth/signup', {
      body: `{"email":"${email}","password":"12345678","name":"x"`,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).error.code).toBe('malformed_json');
    expect(await userCount(email)).toBe(0);
  });

  it('answers a body that is not declared JSON with 415', async () => {
    const email = uniqueEmail();
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await new Client(app).request('POST', '/api/auth/signup', {
        body: JSON.stringify({ email, password: '12345678', name: 'x' }),
        headers: { 'content-type': type },
      });
      expect(res.status).toBe(415);
      expect((await errorOf(res)).error.code).toBe('unsupported_media_type');
    }
    expect(await userCount(email)).toBe(0);
  });

  it('answers an oversized body with 413 without reading it all', async () => {
    const email = uniqueEmail();
    const res = await new Client(app).post('/api/auth/signup', {
      email,
      password: '12345678',
      name: 'x',
      padding: 'x'.repeat(MAX_BODY_BYTES + 1),
    });
    expect(res.status).toBe(413);
    expect((await errorOf(res)).error.code).toBe('payload_too_large');
    expect(await userCount(email)).toBe(0);
  });

  it('refuses unknown fields and names them', async () => {
    const email = uniqueEmail();
    const res = await new Client(app).post('/api/auth/signup', {
      email,
      password: '12345678',
      name: 'x',
      isAdmin: true,
    });
    expect(res.status).toBe(400);
    const body = await errorOf(res);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toContain('isAdmin');
    expect(await userCount(email)).toBe(0);
  });

  it('explains each invalid field', async () => {
    const res = await new Client(app).post('/api/auth/signup', {
      email: 'nope',
      password: 'short',
      name: '',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { issues: { path: string }[] } };
    expect([...new Set(body.error.issues.map((i) => i.path))].sort()).toEqual([
      'json.email',
      'json.name',
      'json.password',
    ]);
  });

  it('answers a missing body on a route that needs one with 400', async () => {
    const res = await new Client(app).post('/api/auth/login');
    expect(res.status).toBe(400);
    expect((await errorOf(res)).error.code).toBe('validation_failed');
  });

  it('answers a missing session with 401 unauthenticated', async () => {
    const res = await new Client(app).get('/api/me');
    expect(res.status).toBe(401);
    expect((await errorOf(res)).error.code).toBe('unauthenticated');
  });

  it('treats a forged or unknown session cookie as no session', async () => {
    const client = new Client(app);
    client.cookies.set('linli_session', 'a'.repeat(32));
    const res = await client.get('/api/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toMatch(/linli_session=;/);
  });

  it('refuses a cross-origin POST, by Origin or by Sec-Fetch-Site, and writes nothing', async () => {
    const email = uniqueEmail();
    const body = { email, password: '12345678', name: 'x' };
    const byOrigin = await new Client(app).post('/api/auth/signup', body, {
      origin: 'https://evil.example',
    });
    expect(byOrigin.status).toBe(403);
    expect((await errorOf(byOrigin)).error.code).toBe('forbidden_origin');
    const lookalike = await new Client(app).post('/api/auth/signup', body, {
      origin: 'http://localhost.evil.example',
    });
    expect(lookalike.status).toBe(403);
    const nullOrigin = await new Client(app).post('/api/auth/signup', body, { origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    const bySite = await app.request('/api/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify(body),
    });
    expect(bySite.status).toBe(403);
    expect(await userCount(email)).toBe(0);
    // the same request from our own origin goes through
    const same = await new Client(app).post('/api/auth/signup', body);
    expect(same.status).toBe(201);
    expect(ORIGIN).toBe('http://localhost');
  });

  it('refuses cross-origin logout (a CSRF logout is still a CSRF)', async () => {
    const res = await app.request('/api/auth/logout', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
  });

  it('answers an unknown route with 404 in the error shape', async () => {
    const res = await new Client(app).get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect((await errorOf(res)).error.code).toBe('not_found');
  });

  it('answers an unexpected failure with a generic 500 carrying the request id, and logs it', async () => {
    // a database that does not exist: every query fails
    const missing = kyselyFor<DB>('postgres://postgres@127.0.0.1:5432/linli_no_such_database');
    const broken = buildTestApp({}, missing);
    const client = new Client(broken.app);
    const res = await client.post('/api/auth/login', {
      email: uniqueEmail(),
      password: 'whatever1',
    });
    expect(res.status).toBe(500);
    const body = await errorOf(res);
    expect(body.error.code).toBe('internal');
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    expect(body.error.message).toContain(requestId);
    expect(body.error.message).not.toMatch(/kysely|pool|destroy|select/i);
    expect(JSON.stringify(broken.logs)).toContain(requestId);
    await missing.destroy();
  });
});
