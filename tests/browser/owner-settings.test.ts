import type { BrowserContext } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { PHONE, screenshot } from '../helpers/browser';
import { signedInContext, useBrowser, useSeededShop } from '../helpers/browser-setup';

// Issue 15, the owner's controls in the back office: the shop's settings form (and its
// attribution window deciding the next order's leader), a stream's cover uploaded from its
// plan page and shown on the shop page, and back-office tables as cards on a phone.

const baseUrl = inject('baseUrl');
const browser = useBrowser();
const { seed, db } = useSeededShop();

// A 1×1 PNG: the upload endpoint checks the bytes, not the size.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

async function ownerPhone(): Promise<{ ctx: BrowserContext; trouble: string[] }> {
  const { context: ctx, trouble } = await signedInContext(browser(), seed().owner, {
    ...PHONE,
    locale: 'zh-CN',
  });
  return { ctx, trouble };
}

const scrollWidth = () => document.documentElement.scrollWidth;

describe('shop settings', () => {
  it('edits the shop: validation messages, a logo, the saved state; the next order uses the new window', async () => {
    const { ctx, trouble } = await ownerPhone();
    const page = await ctx.newPage();
    // from the dashboard's shop links to the settings tab
    await page.goto(`${baseUrl}/dashboard`);
    await page
      .locator(`[data-testid="dashboard-shop"][data-shop-id="${seed().shopId}"]`)
      .getByTestId('dashboard-settings')
      .click();
    await page.waitForURL(`**/shop-admin/${seed().shopId}/settings`);
    await page.getByTestId('shop-settings').waitFor();
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    expect(await page.getByTestId('settings-name').inputValue()).toBe('王记鲜果');
    expect(await page.getByTestId('settings-attribution-days').inputValue()).toBe('7');

    // out of range: said next to the field, nothing saved
    await page.getByTestId('settings-attribution-days').fill('31');
    await page.getByTestId('settings-buyer-limit').fill('0');
    await page.getByTestId('settings-save').click();
    expect(await page.getByTestId('settings-attribution-error').textContent()).toContain('1–30');
    expect(await page.getByTestId('settings-limit-error').textContent()).toContain('1–99');
    expect(await page.getByTestId('settings-saved').count()).toBe(0);
    await screenshot(page, 'owner-settings-invalid-phone');

    // a logo, a new name and story, a one-day window and a default limit of 4
    await page
      .getByTestId('settings-logo-input')
      .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('settings-logo-preview').waitFor();
    const logo = await page.getByTestId('settings-logo-preview').getAttribute('src');
    expect(logo).toMatch(/^\/api\/uploads\/[a-f0-9-]{36}\.png$/);
    await page.getByTestId('settings-name').fill('王记鲜果·康健店');
    await page.getByTestId('settings-story').fill('凌晨四点去批发市场，挑最甜的。');
    await page.getByTestId('settings-attribution-days').fill('1');
    await page.getByTestId('settings-buyer-limit').fill('4');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();
    expect(await page.getByTestId('settings-saved').textContent()).toContain('已保存');
    expect(await page.evaluate(scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'owner-settings-saved-phone');

    const row = await db
      .selectFrom('shops')
      .selectAll()
      .where('id', '=', seed().shopId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      name: '王记鲜果·康健店',
      attribution_days: 1,
      default_buyer_limit: 4,
      logo_url: logo,
    });

    // the public page shows the new name, story and logo
    await page.goto(`${baseUrl}/shop/${seed().slug}`);
    expect(await page.getByTestId('shop-name').textContent()).toBe('王记鲜果·康健店');
    expect(await page.getByTestId('shop-logo').getAttribute('src')).toBe(logo);
    expect(await page.getByTestId('shop-story').textContent()).toContain('挑最甜的');

    // the window applies to the next order: a resident's leader click two days old no longer
    // credits the leader (with the old 7 days it would have)
    const leader = await db
      .insertInto('leaders')
      .values({
        shop_id: seed().shopId,
        user_id: seed().owner.userId,
        display_name: '李姐',
        status: 'approved',
        code: `ld${Date.now().toString(36)}`,
        commission_rate: '0.1000',
        approved_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const buyer = await browser().newContext();
    const guest = await buyer.request.post(`${baseUrl}/api/auth/guest`, { data: { name: '邻居' } });
    const { user } = (await guest.json()) as { user: { id: string } };
    await db
      .insertInto('leader_clicks')
      .values({
        shop_id: seed().shopId,
        leader_id: leader.id,
        visitor_key: crypto.randomUUID(),
        user_id: user.id,
        source: 'link',
        created_at: new Date(Date.now() - 2 * 86_400_000),
      })
      .execute();
    const product = await db
      .insertInto('products')
      .values({ shop_id: seed().shopId, name: '果切拼盘', price_cents: 1800, stock: 100 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const offer = await db
      .insertInto('offers')
      .values({
        stream_id: seed().liveId,
        product_id: product.id,
        price_cents: 1800,
        quantity: 20,
        remaining: 20,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const placeOrder = async () => {
      const placed = await buyer.request.post(`${baseUrl}/api/streams/${seed().liveId}/orders`, {
        data: { offerId: offer.id, quantity: 1, phone: '13900139001' },
        headers: { 'idempotency-key': crypto.randomUUID() },
      });
      expect(placed.status()).toBe(201);
      return ((await placed.json()) as { order: { leaderId: string | null } }).order.leaderId;
    };
    expect(await placeOrder()).toBeNull();
    // and the other way round: a three-day window takes the same click into account
    await page.goto(`${baseUrl}/shop-admin/${seed().shopId}/settings`);
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await page.getByTestId('settings-attribution-days').fill('3');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();
    expect(await placeOrder()).toBe(leader.id);
    await buyer.close();
    expect(trouble).toEqual([]);
    await ctx.close();
  });
});

describe('a stream cover from the plan page', () => {
  it('uploads a cover, previews it, and the shop page shows it on the stream', async () => {
    const { ctx, trouble } = await ownerPhone();
    const page = await ctx.newPage();
    await page.goto(`${baseUrl}/dashboard/streams/${seed().scheduledId}`);
    await page.getByTestId('plan-cover').waitFor();
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    expect(await page.getByTestId('plan-cover-preview').count()).toBe(0);
    await page
      .getByTestId('plan-cover-input')
      .setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('plan-cover-saved').waitFor();
    const src = await page.getByTestId('plan-cover-preview').getAttribute('src');
    expect(src).toMatch(/^\/api\/uploads\/[a-f0-9-]{36}\.png$/);
    expect(await page.evaluate(scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'plan-cover-phone');

    // the picture really is served, and the shop page shows it for this stream
    expect((await ctx.request.get(`${baseUrl}${src}`)).status()).toBe(200);
    await page.goto(`${baseUrl}/shop/${seed().slug}`);
    const card = page.locator(
      `[data-testid="stream-card"][data-stream-id="${seed().scheduledId}"]`,
    );
    expect(await card.getByTestId('stream-cover').getAttribute('src')).toBe(src);
    await expect
      .poll(() =>
        card
          .getByTestId('stream-cover')
          .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
      )
      .toBe(true);
    await screenshot(page, 'shop-page-cover-phone');
    expect(trouble).toEqual([]);
    await ctx.close();
  });
});

describe('back-office tables on a phone', () => {
  it('the packing list and the stream numbers are cards at 390 px, with no sideways scroll', async () => {
    const { ctx, trouble } = await ownerPhone();
    const page = await ctx.newPage();
    await page.goto(`${baseUrl}/dashboard`);
    await page.getByTestId('prepare-point').first().getByRole('link').first().click();
    await page.waitForURL(`**/shop-admin/${seed().shopId}/prepare/**`);
    const buyers = page.getByTestId('prepare-buyers');
    await buyers.waitFor();
    const display = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((el) => getComputedStyle(el).display);
    expect(await display('[data-testid="prepare-buyers"] tr')).toBe('block');
    // each value carries its column's name
    const label = await page
      .locator('[data-testid="prepare-buyers"] td[data-label]')
      .first()
      .evaluate((el) => getComputedStyle(el, '::before').content);
    expect(label).toBe('"商品"');
    expect(await page.evaluate(scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'prepare-cards-phone');

    await page.goto(`${baseUrl}/dashboard/streams/${seed().streamId}/analytics`);
    await page.getByTestId('offer-table').waitFor();
    expect(await display('[data-testid="offer-table"] tr')).toBe('block');
    expect(await display('[data-testid="offer-table"] thead')).toBe('block');
    expect(await page.evaluate(scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'analytics-cards-phone');

    // a laptop keeps the tables
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await display('[data-testid="offer-table"] tr')).toBe('table-row');
    expect(trouble).toEqual([]);
    await ctx.close();
  });
});
