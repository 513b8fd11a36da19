import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { uniqueEmail } from '../helpers/app';
import { PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import { useBrowser } from '../helpers/browser-setup';

// Issue 17: two leaders share their links into one live stream; residents order through each
// on their phones. Every phone's bubbles name the right group and the 团长榜 ranks them.

const baseUrl = inject('baseUrl');
const browser = useBrowser();

async function account(context: BrowserContext, name: string): Promise<Page> {
  const page = await context.newPage();
  const res = await page.request.post(`${baseUrl}/api/auth/signup`, {
    data: { email: uniqueEmail('board'), password: 'long-enough-pass', name },
    headers: { origin: baseUrl },
  });
  expect(res.status()).toBe(201);
  return page;
}

function poster(page: Page) {
  return async (path: string, data?: object) => {
    const res = await page.request.post(`${baseUrl}${path}`, {
      data: data ?? {},
      headers: { origin: baseUrl },
    });
    expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300);
    return (await res.json()) as Record<string, { id: string; code?: string }>;
  };
}

/** A resident, watching through a leader's link, orders one unit through the sheet. */
async function orderOne(page: Page, name: string, phone: string) {
  await page.getByTestId('offer-buy').click();
  await page.getByTestId('order-sheet').waitFor();
  if (await page.getByTestId('order-nickname').count()) {
    await page.getByTestId('order-nickname').fill(name);
  }
  await page.getByTestId('order-phone').fill(phone);
  await page.getByTestId('order-confirm').click();
  await page.getByTestId('order-done').waitFor();
  // back to the stream (the sheet's ×)
  await page.getByTestId('order-sheet').locator('button.close').click();
  await page.getByTestId('order-sheet').waitFor({ state: 'detached' });
}

/** The leader ids of the bubbles on screen now. */
const bubbleLeaders = (page: Page) =>
  page
    .getByTestId('order-bubble')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-leader-id')));

const boardRows = (page: Page) =>
  page
    .getByTestId('leaderboard-row')
    .evaluateAll((els) =>
      els.map((e) => [
        e.querySelector('[data-testid="leaderboard-name"]')?.textContent?.trim(),
        e.querySelector('[data-testid="leaderboard-count"]')?.textContent?.trim(),
      ]),
    );

describe('团长榜 in the live stream', () => {
  it('bubbles name the group that brought each buyer, and the board ranks the groups', async () => {
    const ownerContext = await browser().newContext(PHONE);
    const owner = await account(ownerContext, '陈老板');
    const post = poster(owner);
    const { shop } = await post('/api/shops', {
      name: '陈记水果',
      slug: `board-${Date.now().toString(36)}`,
    });
    const { product } = await post(`/api/shops/${shop!.id}/products`, {
      name: '砂糖橘',
      priceCents: 1250,
      stock: 100,
    });
    const { stream } = await post(`/api/shops/${shop!.id}/streams`, { title: '砂糖橘开箱' });
    const { offer } = await post(`/api/streams/${stream!.id}/offers`, {
      productId: product!.id,
      priceCents: 1250,
      quantity: 50,
    });
    await post(`/api/streams/${stream!.id}/start`);
    await post(`/api/streams/${stream!.id}/offers/${offer!.id}/pin`);

    // two leaders, approved, each with a link
    const leaders: { id: string; link: string; page: Page; context: BrowserContext }[] = [];
    for (const [name, community] of [
      ['李姐团', '康健新村'],
      ['王叔团', '长桥二村'],
    ] as const) {
      const context = await browser().newContext(PHONE);
      const page = await account(context, name);
      const { leader } = await poster(page)(`/api/shops/${shop!.id}/leaders/apply`, {
        displayName: name,
        community,
      });
      const approved = await post(`/api/shops/${shop!.id}/leaders/${leader!.id}/approve`, {
        commissionRate: 0.1,
      });
      leaders.push({
        id: leader!.id,
        link: `${baseUrl}/s/${approved.leader!.code}`,
        page,
        context,
      });
    }
    const [li, wang] = leaders as [(typeof leaders)[0], (typeof leaders)[0]];

    // three residents' phones: two through 李姐's link, one through 王叔's
    const phones = await Promise.all(
      [0, 1, 2].map(async () => {
        const context = await browser().newContext(PHONE);
        return { context, page: await context.newPage(), trouble: watchForTrouble(context) };
      }),
    );
    const plan = [
      { via: li, group: '康健新村·李姐团', name: '王小明', phone: '13912340001' },
      { via: wang, group: '长桥二村·王叔团', name: '赵大妈', phone: '13912340002' },
      { via: li, group: '康健新村·李姐团', name: '孙阿姨', phone: '13912340003' },
    ];
    // everyone is watching before the first order (each signs in with a nickname from the
    // order sheet, which reopens the live connection before the order is placed)
    for (const [i, p] of phones.entries()) {
      await p.page.goto(plan[i]!.via.link);
      await p.page.waitForURL(`**/live/${stream!.id}?ref=*`);
      await p.page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
      await expect
        .poll(() => p.page.getByTestId('watch-page').getAttribute('data-realtime'))
        .toBe('joined');
    }

    for (const [i, step] of plan.entries()) {
      const buyer = phones[i]!.page;
      await orderOne(buyer, step.name, step.phone);
      // the buyer's own overlay names the group (the buyer stays masked), then every phone's
      const line = `${step.group} 的 ${step.name.slice(0, 1)}** 下单 1 件 · 砂糖橘`;
      await expect
        .poll(
          async () =>
            (await buyer.getByTestId('order-bubble').allTextContents()).map((x) => x.trim()),
          { timeout: 3000 },
        )
        .toContain(line);
      for (const p of phones) {
        await expect.poll(() => bubbleLeaders(p.page), { timeout: 3000 }).toContain(step.via.id);
      }
    }
    // the last buyer's phone, bubbles still up: as is, and without the shop's join card (it
    // sits over the board for non-members, who came by a leader's link). Signed in as a
    // guest from the order sheet, she joins with one tap: no second nickname asked.
    const last = phones[2]!.page;
    await last.getByTestId('join-shop-button').waitFor();
    expect(await last.getByTestId('join-nickname').count()).toBe(0);
    await screenshot(last, 'leaderboard-phone');
    await last
      .getByTestId('join-shop')
      .evaluateAll((els) => els.forEach((e) => ((e as HTMLElement).style.display = 'none')));
    await screenshot(last, 'leaderboard-phone-board');

    // the board: 李姐 2 orders, 王叔 1, on every phone
    for (const p of phones) {
      await expect
        .poll(() => boardRows(p.page), { timeout: 12_000 })
        .toEqual([
          ['康健新村·李姐团', '2 单 · 2 件'],
          ['长桥二村·王叔团', '1 单 · 1 件'],
        ]);
    }
    const api = (await (
      await owner.request.get(`${baseUrl}/api/streams/${stream!.id}/leaderboard`)
    ).json()) as { leaders: { leaderId: string; orders: number }[] };
    expect(api.leaders.map((l) => [l.leaderId, l.orders])).toEqual([
      [li.id, 2],
      [wang.id, 1],
    ]);

    // a viewer folds the board away
    const viewer = phones[1]!.page;
    // (dispatched: the shop's join card may lie over it for a non-member)
    await viewer.getByTestId('leaderboard-toggle').dispatchEvent('click');
    await expect.poll(() => viewer.getByTestId('leaderboard-row').count()).toBe(0);
    await viewer.getByTestId('leaderboard-toggle').dispatchEvent('click');
    await expect.poll(() => viewer.getByTestId('leaderboard-row').count()).toBe(2);

    // the leader centre shows each leader's place in the live stream
    await li.page.goto(`${baseUrl}/leader`);
    await expect
      .poll(() => li.page.getByTestId('leader-live-rank').first().textContent())
      .toContain('本场第 1 名 · 2 单');
    await wang.page.goto(`${baseUrl}/leader`);
    await expect
      .poll(() => wang.page.getByTestId('leader-live-rank').first().textContent())
      .toContain('本场第 2 名 · 1 单');

    // the owner hides it in the studio: it goes from every viewer's phone
    await owner.goto(`${baseUrl}/studio/${stream!.id}`);
    await owner.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await owner.getByTestId('leaderboard-hidden').check();
    for (const p of phones) {
      await expect.poll(() => p.page.getByTestId('leaderboard').count()).toBe(0);
    }
    // the owner still sees it, marked hidden
    await expect
      .poll(() => owner.getByTestId('leaderboard').getAttribute('data-hidden'))
      .toBe('true');

    for (const p of phones) {
      expect(p.trouble.filter((t) => t.startsWith('dialog') || t.startsWith('page error'))).toEqual(
        [],
      );
    }
    await Promise.all(
      [ownerContext, ...leaders.map((l) => l.context), ...phones.map((p) => p.context)].map((c) =>
        c.close(),
      ),
    );
  });
});
