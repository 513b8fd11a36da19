import { describe, expect, inject, it } from 'vitest';
import { LAPTOP, PHONE, watchForTrouble } from '../helpers/browser';
import {
  apiAs,
  goLiveInStudio,
  liveShop,
  useBrowser,
  waitForFrames,
  waitForPlaying,
} from '../helpers/browser-setup';

// Issue 13: the watch page joins its LiveKit room before the rest of the page hydrates (the
// token is in the server-rendered HTML), and a returning viewer gets the page's hashed
// scripts from the cache, not the network.

const baseUrl = inject('baseUrl');
const browser = useBrowser();

/** Records, in the page, when the root layout marked the document hydrated. */
function hydrationProbe() {
  const w = window as unknown as { __hydratedAt?: number };
  new MutationObserver(() => {
    if (w.__hydratedAt === undefined && document.documentElement.dataset.hydrated) {
      w.__hydratedAt = performance.now();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
}

describe('loading the watch page', () => {
  it('joins the room before hydrating, plays, and a second visit takes the hashed scripts from the cache', async () => {
    const ownerContext = await browser().newContext({
      ...LAPTOP,
      permissions: ['camera', 'microphone'],
    });
    const { streamId } = await liveShop(apiAs(ownerContext), {
      tag: 'early',
      shop: { name: '王记鲜果' },
      stream: { title: '早市第一筐' },
    });
    const studio = await goLiveInStudio(ownerContext, streamId);

    const viewerContext = await browser().newContext(PHONE);
    const trouble = watchForTrouble(viewerContext);
    await viewerContext.addInitScript(hydrationProbe);
    const first = await viewerContext.newPage();
    const html = await first.goto(`${baseUrl}/live/${streamId}`);
    // the page carries a personal token: never cached
    expect(html?.headers()['cache-control']).toBe('private, no-store');
    // Its <head> starts with the early room's script (lib/live/early-boot.ts) and the files
    // it imports, and preloads nothing else of the app: the page's code waits for the picture.
    const page = await html!.text();
    const head = page.split('</head>')[0]!;
    const early = /<script type="module" src="(\/_app\/immutable\/[^"]+\.js)"><\/script>/.exec(
      head,
    );
    expect(early, 'the early room script in <head>').not.toBeNull();
    const preloaded = [...head.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(preloaded.length).toBeGreaterThan(0);
    expect(preloaded.every((href) => href!.startsWith('/_app/immutable/chunks/'))).toBe(true);
    // SvelteKit's start script waits for the early room to let it go
    expect(page).toMatch(
      /globalThis\.__linliStart\.then\(function\(\)\{return import\("[^"]*\/entry\/start\./,
    );
    // and a connection to the media server opens while the page loads
    const mediaUrl = /data-live-url="([^"]+)"/.exec(page)?.[1];
    expect(mediaUrl).toMatch(/^wss?:\/\//);
    const origin = new URL(mediaUrl!.replace(/^ws/, 'http')).origin;
    expect(head).toContain(`<link rel="preconnect" href="${origin}"`);
    await waitForPlaying(first);
    await waitForFrames(first);

    // the room was joined once, from the early module (lib/live/early-room.ts), before the
    // page hydrated; the page adopted that room rather than joining again
    const order = await first.evaluate(() => ({
      early: performance.getEntriesByName('live:early').map((m) => m.startTime),
      connect: performance.getEntriesByName('live:connect').length,
      hydrated: (window as unknown as { __hydratedAt?: number }).__hydratedAt,
    }));
    expect(order.early).toHaveLength(1);
    expect(order.connect).toBe(1);
    expect(order.hydrated).toBeDefined();
    expect(order.early[0]).toBeLessThan(order.hydrated!);
    // and SvelteKit's start, with the page's own code (its route's node), was only asked for
    // once the early room let it go (hooks.server.ts holds it)
    const appCode = await first.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((r) =>
          /^\/_app\/immutable\/(entry\/start\.|nodes\/)/.test(new URL(r.name).pathname),
        )
        .map((r) => ({ path: new URL(r.name).pathname, at: r.startTime })),
    );
    expect(appCode.some((r) => r.path.includes('/entry/start.'))).toBe(true);
    expect(appCode.some((r) => r.path.includes('/nodes/'))).toBe(true);
    for (const r of appCode) expect(r.at, r.path).toBeGreaterThan(order.early[0]!);

    // the hashed scripts are cached for a year, immutable
    const scripts = await first.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((r) => r.name)
        .filter((url) => new URL(url).pathname.startsWith('/_app/immutable/')),
    );
    expect(scripts.length).toBeGreaterThan(3);
    for (const url of scripts.slice(0, 5)) {
      const res = await viewerContext.request.get(url);
      expect(res.headers()['cache-control'], url).toBe('public,max-age=31536000,immutable');
    }

    // a returning viewer: the same scripts come from the cache (nothing transferred)
    await first.close();
    const again = await viewerContext.newPage();
    await again.goto(`${baseUrl}/live/${streamId}`);
    await waitForPlaying(again);
    const transferred = await again.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((r) => new URL(r.name).pathname.startsWith('/_app/immutable/'))
        .map((r) => ({ url: r.name, bytes: r.transferSize })),
    );
    expect(transferred.length).toBeGreaterThan(3);
    expect(transferred.filter((r) => r.bytes > 0)).toEqual([]);

    expect(trouble).toEqual([]);
    await studio.close();
    await viewerContext.close();
    await ownerContext.close();
  });
});
