import { describe, expect, inject, it } from 'vitest';
import { PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import { apiAs, liveShop, signUp, useBrowser } from '../helpers/browser-setup';

// A leader opens their trust index from the leader centre on a phone: the score, what it is
// made of, its history and the published formula.

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('the trust index on a phone', () => {
  it('the leader centre links to the index, which shows its parts and the formula; the owner sorts by it', async () => {
    const ownerContext = await browser().newContext();
    const owner = apiAs(ownerContext);
    const { shopId } = await liveShop(owner, {
      tag: 'trust',
      owner: '邹老板',
      password: 'long-enough-pass',
      shop: { name: '邹记鲜肉', address: '康健路 30 号' },
      stream: { title: '今日鲜肉' },
    });
    const context = await browser().newContext(PHONE);
    const trouble = watchForTrouble(context);
    const leaderApi = apiAs(context);
    await signUp(leaderApi, '喻姐', 'trust');
    const { leader } = await leaderApi.post<{ leader: { id: string } }>(
      `/api/shops/${shopId}/leaders/apply`,
      { displayName: '康健三村·喻姐团', community: '康健三村' },
    );
    await owner.post(`/api/shops/${shopId}/leaders/${leader.id}/approve`, { commissionRate: 0.1 });

    const page = await context.newPage();
    await page.goto(`${baseUrl}/leader`);
    await page.getByTestId('trust-link').click();
    await page.getByTestId('trust-page').waitFor();
    await expect.poll(() => page.getByTestId('trust-score').textContent()).toBe('54');
    expect(await page.getByTestId('trust-page').textContent()).toContain('公开的计算方法');
    expect(await page.locator('[data-testid="trust-history"] .bar').count()).toBe(1);
    await screenshot(page, 'trust-index-phone');
    // and, back in the leader centre, to the statement of that shop
    await page.goto(`${baseUrl}/leader`);
    await expect.poll(() => page.getByTestId('statement-link').count()).toBe(1);
    expect(trouble).toEqual([]);
    await context.close();

    // the owner's leader list shows the index, sorts by it, and links to the statement
    const board = await ownerContext.newPage();
    await board.goto(`${baseUrl}/dashboard/leaders/${shopId}`);
    await expect.poll(() => board.getByTestId('board-trust').first().textContent()).toContain('54');
    await board.getByTestId('board-sort-trust').check();
    await board.getByTestId('board-statement').first().click();
    await board.waitForURL(`**/dashboard/leaders/${shopId}/${leader.id}`);
    await ownerContext.close();
  });
});
