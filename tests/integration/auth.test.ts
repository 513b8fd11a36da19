import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, Client, signUp, uniqueEmail } from '../helpers/app';

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

describe('accounts and sessions', () => {
  it('signs up, is signed in, logs out, logs back in', async () => {
    const client = new Client(app);
    const email = uniqueEmail();
    const signup = await client.post('/api/auth/signup', {
      email,
      password: 'longenough1',
      name: '王小明',
    });
    expect(signup.status).toBe(201);
    expect(await signup.json()).toEqual({
      user: { id: expect.any(String), email, name: '王小明', guest: false },
    });
    const cookie = signup.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^linli_session=[a-z2-7]{32};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);

    const me = await client.get('/api/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { email, name: '王小明' } });

    const logout = await client.post('/api/auth/logout');
    expect(logout.status).toBe(204);
    expect((await client.get('/api/me')).status).toBe(401);

    const login = await client.post('/api/auth/login', {
      email: email.toUpperCase(),
      password: 'longenough1',
    });
    expect(login.status).toBe(200);
    expect((await client.get('/api/me')).status).toBe(200);
  });

  it('logout ends the session on the server, not just the cookie', async () => {
    const client = new Client(app);
    await signUp(client);
    const stolen = new Map(client.cookies);
    await client.post('/api/auth/logout');
    const replay = new Client(app);
    replay.cookies = stolen;
    expect((await replay.get('/api/me')).status).toBe(401);
  });

  it('stores an argon2id hash and only a hash of the session token', async () => {
    const client = new Client(app);
    const { email, password } = await signUp(client);
    const user = await db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect(user.password_hash).not.toContain(password);
    const token = client.cookies.get('linli_session');
    const sessions = await db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.id).toMatch(/^[0-9a-f]{64}$/);
    expect(sessions[0]?.id).not.toBe(token);
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const client = new Client(app);
    const { email } = await signUp(client);
    const wrong = await new Client(app).post('/api/auth/login', {
      email,
      password: 'not the password',
    });
    const unknown = await new Client(app).post('/api/auth/login', {
      email: uniqueEmail(),
      password: 'whatever1',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('gives one account per email, even to concurrent signups', async () => {
    const email = uniqueEmail();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        new Client(app).post('/api/auth/signup', { email, password: 'longenough1', name: 'Racer' }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    const rows = await db.selectFrom('users').select('id').where('email', '=', email).execute();
    expect(rows).toHaveLength(1);
  });

  it('lets a guest in with just a nickname', async () => {
    const client = new Client(app);
    const res = await client.post('/api/auth/guest', { name: '楼下的阿姨' });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      user: { id: expect.any(String), name: '楼下的阿姨', email: null, guest: true },
    });
    expect(await (await client.get('/api/me')).json()).toMatchObject({ user: { guest: true } });
    // a guest cannot open a shop
    const shop = await client.post('/api/shops', { name: 'x', slug: `guest-${Date.now()}` });
    expect(shop.status).toBe(403);
  });

  it('refuses nicknames that are blank, too long or carry control characters', async () => {
    for (const name of ['   ', 'x'.repeat(41), 'evil\u202Ename', 'a\u0000b']) {
      const res = await new Client(app).post('/api/auth/guest', { name });
      expect(res.status, JSON.stringify(name)).toBe(400);
    }
  });

  it('marks the cookie Secure when served over https', async () => {
    const secure = buildTestApp({ ORIGIN: 'https://live.example.cn' }, db);
    const res = await secure.app.request('/api/auth/guest', {
      method: 'POST',
      headers: { origin: 'https://live.example.cn', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Secure' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('rate-limits login and signup per client, with Retry-After', async () => {
    const limited = buildTestApp({ LOGIN_FAILURES_PER_IP_PER_DAY: '3' }, db);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i += 1) {
      const res = await new Client(limited.app).post('/api/auth/login', {
        email: uniqueEmail(),
        password: 'whatever1',
      });
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        expect(await res.json()).toMatchObject({ error: { code: 'rate_limited' } });
      }
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
