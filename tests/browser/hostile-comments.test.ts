import { afterAll, describe, expect, inject, it } from 'vitest';
import type { DB } from '../../db/schema';
import { uniqueEmail } from '../helpers/app';
import { PHONE, LAPTOP, screenshot, watchForTrouble } from '../helpers/browser';
import { useBrowser } from '../helpers/browser-setup';
import { kyselyFor } from '../setup/services';

const baseUrl = inject('baseUrl');
const db = kyselyFor<DB>(inject('databaseUrl'));
const browser = useBrowser();

// What a hostile viewer might type. Stored comments must come back as inert text.
const STORED = [
  '<img src=x onerror="window.__pwned=1;alert(1)">',
  '<script>window.__pwned=2;alert(2)</script>',
  '<a href="javascript:alert(3)">点我领红包</a>',
  'javascript:alert(4)',
  '"><svg onload=alert(5)>',
  '<style>body{display:none}</style>',
  "{@html '<b>bold</b>'}",
  '&lt;b&gt;entities&lt;/b&gt;',
];

afterAll(async () => {
  await db.destroy();
});

describe('a hostile comment corpus', () => {
  it('shows up as inert text or a clear refusal, and no dialog ever opens', async () => {
    // an owner with a live stream of their own
    const ownerContext = await browser().newContext(LAPTOP);
    const ownerTrouble = watchForTrouble(ownerContext);
    const owner = await ownerContext.newPage();
    const api = owner.request;
    const signup = await api.post(`${baseUrl}/api/auth/signup`, {
      data: { email: uniqueEmail('hostile'), password: 'long-enough-pass', name: '店主' },
      headers: { origin: baseUrl },
    });
    expect(signup.status()).toBe(201);
    const shop = await api.post(`${baseUrl}/api/shops`, {
      data: { name: '安全小店', slug: `safe-${Date.now().toString(36)}` },
      headers: { origin: baseUrl },
    });
    const shopId = ((await shop.json()) as { shop: { id: string } }).shop.id;
    const created = await api.post(`${baseUrl}/api/shops/${shopId}/streams`, {
      data: { title: '安全测试直播' },
      headers: { origin: baseUrl },
    });
    expect(created.status()).toBe(201);
    const streamId = ((await created.json()) as { stream: { id: string } }).stream.id;
    expect(
      (
        await api.post(`${baseUrl}/api/streams/${streamId}/start`, { headers: { origin: baseUrl } })
      ).status(),
    ).toBe(200);

    const author = await db
      .insertInto('users')
      .values({ name: '<b>坏人</b>', is_guest: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('comments')
      .values(
        STORED.map((text, i) => ({
          stream_id: streamId,
          user_id: author.id,
          author_name: '<b>坏人</b>',
          text,
          created_at: new Date(Date.now() - (STORED.length - i) * 1000),
        })),
      )
      .execute();

    const viewerContext = await browser().newContext(PHONE);
    const trouble = watchForTrouble(viewerContext);
    const viewer = await viewerContext.newPage();
    await viewer.goto(`${baseUrl}/live/${streamId}`);
    // signed out, the resident already watches the room: the stored comments arrive
    await expect
      .poll(() => viewer.getByTestId('comment').count(), { timeout: 15_000 })
      .toBe(STORED.length);
    await viewer.waitForSelector('html[data-hydrated]');
    await viewer.getByTestId('nickname-input').fill('好奇的邻居');
    await viewer.getByTestId('nickname-submit').click();
    await viewer.getByTestId('comment-input').waitFor();
    await expect.poll(() => viewer.getByTestId('comment').count()).toBe(STORED.length);
    await expect.poll(() => viewer.getByTestId('viewer-count').textContent()).toMatch(/1 人在看/);

    const texts = await viewer.locator('[data-testid=comment] .text').allTextContents();
    expect(texts).toEqual(STORED);
    const authors = await viewer.locator('[data-testid=comment] .author').allTextContents();
    expect(new Set(authors)).toEqual(new Set(['<b>坏人</b>']));
    const injected = await viewer.evaluate(() => ({
      elements: document.querySelectorAll(
        '[data-testid=comments] img, [data-testid=comments] script, [data-testid=comments] a, [data-testid=comments] svg, [data-testid=comments] style, [data-testid=comments] b',
      ).length,
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
      bodyVisible: getComputedStyle(document.body).display !== 'none',
    }));
    expect(injected).toEqual({ elements: 0, pwned: null, bodyVisible: true });

    // through the page: a direction override and a 10,000-character string are refused clearly
    await viewer.getByTestId('comment-input').fill('看这里\u202Egnp.exe');
    await viewer.getByTestId('comment-send').click();
    await expect.poll(() => viewer.getByTestId('comment-notice').textContent()).toMatch(/控制字符/);
    await viewer.getByTestId('comment-input').fill('长'.repeat(10_000));
    await viewer.getByTestId('comment-send').click();
    await expect.poll(() => viewer.getByTestId('comment-notice').textContent()).toMatch(/200/);

    // and markup typed live reaches the owner's studio as text
    await owner.goto(`${baseUrl}/studio/${streamId}`);
    await owner.getByTestId('comments').waitFor();
    const live = '<img src=x onerror=alert(6)>';
    await viewer.getByTestId('comment-input').fill(live);
    await viewer.getByTestId('comment-send').click();
    await expect
      .poll(() => owner.locator('[data-testid=comment] .text').allTextContents(), {
        timeout: 10_000,
      })
      .toContain(live);
    expect(await owner.locator('[data-testid=comments] img').count()).toBe(0);

    await screenshot(viewer, 'hostile-comments-phone');
    await screenshot(owner, 'hostile-comments-studio');
    expect(trouble.filter((t) => t.startsWith('dialog'))).toEqual([]);
    expect(ownerTrouble.filter((t) => t.startsWith('dialog'))).toEqual([]);
    expect(trouble).toEqual([]);
    await viewerContext.close();
    await ownerContext.close();
  });
});
