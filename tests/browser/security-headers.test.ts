import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { LAPTOP, PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import {
  apiAs,
  goLive,
  hoursFromNow,
  liveShop,
  openStudio,
  useBrowser,
  waitForFrames,
  waitForPlaying,
} from '../helpers/browser-setup';

// Issue 12: the pages send a CSP (SvelteKit's, with nonces, plus the LiveKit server in
// connect-src), frame-ancestors 'none', X-Frame-Options, Referrer-Policy, nosniff and a
// Permissions-Policy; the API sends its own minimal set. And the product still works under
// them: video, comments and an order on the watch page, with no CSP violation anywhere.

const baseUrl = inject('baseUrl');
const livekitUrl = inject('livekitUrl');
const browser = useBrowser();

const hydrated = (page: Page) => page.locator('html[data-hydrated]').waitFor({ state: 'attached' });

/** An owner (signed in inside `context`) with a shop, a product and a planned stream with a pinned offer. */
function shopWithStream(context: BrowserContext) {
  return liveShop(apiAs(context), {
    tag: 'csp',
    password: 'long-enough-pass',
    shop: { name: '王记鲜果', address: '康健路 88 号', pickupHours: '每天 9:00–21:00' },
    product: {
      name: '丹东红颜草莓 500g',
      priceCents: 3990,
      stock: 50,
      imageUrl: '/demo/strawberries.svg',
    },
    stream: { title: '凌晨四点挑草莓', scheduledAt: hoursFromNow(1) },
    offer: { priceCents: 3290, quantity: 20, perBuyerLimit: 3 },
    pin: true,
  });
}

/** The CSP as directive → sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

/**
 * Every CSP violation in `context`: the console's "Refused to …" lines, and the
 * `securitypolicyviolation` events, which each page also keeps in `window.__cspViolations`
 * (reported out as they happen, so none is lost when a page navigates away).
 */
async function watchForCsp(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeBinding('__reportCspViolation', ({ page }, text: string) => {
    violations.push(`${page.url()}: ${text}`);
  });
  await context.addInitScript(() => {
    const w = window as unknown as {
      __cspViolations: string[];
      __reportCspViolation?: (text: string) => void;
    };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      const text = `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`;
      w.__cspViolations.push(text);
      w.__reportCspViolation?.(text);
    });
  });
  const onPage = (page: Page) =>
    page.on('console', (m) => {
      const text = m.text();
      if (/Content Security Policy|Refused to/i.test(text)) {
        violations.push(`console on ${page.url()}: ${text}`);
      }
    });
  context.on('page', onPage);
  for (const page of context.pages()) onPage(page);
  return violations;
}

const pageViolations = (page: Page) =>
  page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);

describe('security headers', () => {
  it('the studio, dashboard, pickup and watch pages send the CSP and the other headers; the API its own', async () => {
    const context = await browser().newContext(LAPTOP);
    const api = context.request;
    const { shopId, streamId } = await shopWithStream(context);
    const livekit = new URL(livekitUrl);

    for (const path of [
      `/studio/${streamId}`,
      '/dashboard',
      `/shop-admin/${shopId}/pickup`,
      `/live/${streamId}`,
      '/',
    ]) {
      const res = await api.get(`${baseUrl}${path}`, { maxRedirects: 0 });
      expect(res.status(), path).toBe(200);
      const headers = res.headers();
      const csp = directives(headers['content-security-policy'] ?? '');
      expect(csp.get('frame-ancestors'), path).toEqual(["'none'"]);
      expect(csp.get('default-src'), path).toEqual(["'self'"]);
      // SvelteKit's own inline start script is allowed by a fresh nonce, nothing else inline
      const scripts = csp.get('script-src') ?? [];
      expect(scripts[0], path).toBe("'self'");
      expect(scripts.slice(1), path).toEqual([expect.stringMatching(/^'nonce-[A-Za-z0-9+/=]+'$/)]);
      expect(csp.get('style-src')?.[0], path).toBe("'self'");
      expect(csp.get('style-src')?.join(' '), path).not.toContain('unsafe-inline');
      expect(csp.get('style-src-attr'), path).toEqual(["'unsafe-inline'"]);
      expect(csp.get('object-src'), path).toEqual(["'none'"]);
      expect(csp.get('base-uri'), path).toEqual(["'self'"]);
      expect(csp.get('form-action'), path).toEqual(["'self'"]);
      expect(csp.get('img-src'), path).toEqual(["'self'", 'data:', 'blob:']);
      expect(csp.get('media-src'), path).toEqual(["'self'", 'blob:', 'mediastream:']);
      expect(csp.get('worker-src'), path).toEqual(["'self'", 'blob:']);
      // the media server this deployment hands to browsers, from its configuration
      expect(csp.get('connect-src'), path).toEqual([
        "'self'",
        `ws://${livekit.host}`,
        `http://${livekit.host}`,
      ]);
      const nonce = scripts[1]!.slice("'nonce-".length, -1);
      expect(await res.text(), path).toContain(`nonce="${nonce}"`);

      expect(headers['x-frame-options'], path).toBe('DENY');
      expect(headers['x-content-type-options'], path).toBe('nosniff');
      expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
      // camera and microphone for this origin only (see hooks.server.ts for why not per path)
      expect(headers['permissions-policy'], path).toBe(
        'camera=(self), microphone=(self), geolocation=(), payment=(), usb=()',
      );
      // ORIGIN is not https here: no HSTS
      expect(headers['strict-transport-security'], path).toBeUndefined();
    }

    // every nonce is new
    const nonceOf = async () =>
      /'nonce-([^']+)'/.exec(
        (await api.get(`${baseUrl}/dashboard`)).headers()['content-security-policy'] ?? '',
      )?.[1];
    expect(await nonceOf()).not.toBe(await nonceOf());

    // the API: JSON, never framed, never sniffed
    for (const path of ['/api/health', '/api/me', `/api/streams/${streamId}`, '/api/nope']) {
      const res = await api.get(`${baseUrl}${path}`);
      const headers = res.headers();
      expect(headers['content-security-policy'], path).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(headers['x-content-type-options'], path).toBe('nosniff');
      expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
      expect(headers['x-frame-options'], path).toBe('DENY');
      expect(headers['strict-transport-security'], path).toBeUndefined();
    }
    // the API reference page has its own policy: swagger-ui is a page
    const docs = await api.get(`${baseUrl}/api/docs`);
    const docsCsp = directives(docs.headers()['content-security-policy'] ?? '');
    expect(docsCsp.get('script-src')).toEqual(["'self'"]);
    expect(docsCsp.get('frame-ancestors')).toEqual(["'none'"]);

    await context.close();
  });

  it('the API reference (swagger-ui) renders under its own policy', async () => {
    const context = await browser().newContext(LAPTOP);
    const violations = await watchForCsp(context);
    const trouble = watchForTrouble(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/api/docs`);
    await page.locator('.swagger-ui .info .title').waitFor();
    await page.locator('.opblock').first().waitFor();
    expect(await pageViolations(page)).toEqual([]);
    expect(violations).toEqual([]);
    expect(trouble).toEqual([]);
    await context.close();
  });

  it('a page of ours does not render inside another site’s frame', async () => {
    const context = await browser().newContext(LAPTOP);
    const violations = await watchForCsp(context);
    const page = await context.newPage();
    // a page on another origin (here: about:blank's opaque one) frames the watch page
    await page.setContent(`<iframe src="${baseUrl}/login" width="400" height="400"></iframe>`);
    await expect
      .poll(() => violations.join('\n'), { timeout: 10_000 })
      .toMatch(/frame-ancestors 'none'/);
    const framed = page.frames().find((f) => f !== page.mainFrame());
    const text = await framed?.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    expect(text ?? '').not.toContain('登录');
    await context.close();
  });

  it('the watch page under the CSP: video decodes, a comment and an order go through, no violation', async () => {
    const ownerContext = await browser().newContext({
      ...LAPTOP,
      permissions: ['camera', 'microphone'],
    });
    const ownerTrouble = watchForTrouble(ownerContext);
    const ownerViolations = await watchForCsp(ownerContext);
    const { shopId, streamId } = await shopWithStream(ownerContext);

    // the owner goes live from the studio (camera, LiveKit publish, socket.io)
    const studio = await openStudio(ownerContext, streamId);
    await hydrated(studio);
    await goLive(studio);

    // a resident watches on a phone
    const viewerContext = await browser().newContext(PHONE);
    const viewerTrouble = watchForTrouble(viewerContext);
    const viewerViolations = await watchForCsp(viewerContext);
    const viewer = await viewerContext.newPage();
    await viewer.goto(`${baseUrl}/live/${streamId}`);
    await hydrated(viewer);
    await waitForPlaying(viewer);
    await waitForFrames(viewer);

    // a comment, seen by the viewer and the studio
    await viewer.getByTestId('nickname-input').fill('钱阿姨');
    await viewer.getByTestId('nickname-submit').click();
    await viewer.getByTestId('comment-input').fill('看着真新鲜！');
    await viewer.getByTestId('comment-send').click();
    await expect
      .poll(() => viewer.locator('[data-testid=comment] .text').allTextContents())
      .toContain('看着真新鲜！');
    await expect
      .poll(() => studio.locator('[data-testid=comment] .text').allTextContents())
      .toContain('看着真新鲜！');

    // an order from the pinned card (its progress bar is a style attribute)
    await viewer.getByTestId('offer-card').waitFor();
    await viewer.getByTestId('offer-buy').click();
    await viewer.getByTestId('order-sheet').waitFor();
    if (await viewer.getByTestId('order-nickname').count())
      await viewer.getByTestId('order-nickname').fill('钱阿姨');
    await viewer.getByTestId('order-phone').fill('13800138000');
    await viewer.getByTestId('order-confirm').click();
    await viewer.getByTestId('order-done').waitFor();
    const code = (await viewer.getByTestId('pickup-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^\d{6}$/);
    await viewer.locator('[data-testid="order-done"] img').waitFor();
    await viewer.getByRole('button', { name: '关闭' }).click();
    await expect.poll(() => viewer.getByTestId('offer-remaining').textContent()).toContain('19');
    await screenshot(viewer, 'csp-watch-phone');
    expect(await pageViolations(viewer)).toEqual([]);
    expect(await pageViolations(studio)).toEqual([]);

    // the shop's pickup screen and dashboard, under the same policy
    const owner = await ownerContext.newPage();
    await owner.goto(`${baseUrl}/shop-admin/${shopId}/pickup`);
    await hydrated(owner);
    await owner.getByTestId('pickup-input').fill(code);
    await owner.getByTestId('pickup-submit').click();
    await owner.getByTestId('pickup-done').waitFor();
    expect(await pageViolations(owner)).toEqual([]);
    await owner.goto(`${baseUrl}/dashboard`);
    await hydrated(owner);
    await owner.getByTestId('dashboard').waitFor();
    expect(await pageViolations(owner)).toEqual([]);

    expect(viewerViolations).toEqual([]);
    expect(ownerViolations).toEqual([]);
    expect(viewerTrouble).toEqual([]);
    expect(ownerTrouble).toEqual([]);
    await viewerContext.close();
    await ownerContext.close();
  });
});
