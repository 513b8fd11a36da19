import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import type { DB } from '../../db/schema';
import { kyselyFor } from '../setup/services';
import { seedShopWithNumbers } from './analytics-seed';
import { uniqueEmail } from './app';
import { CHROMIUM, CHROMIUM_ARGS, watchForTrouble } from './browser';

// Intention-revealing setup for the browser tests: a Chromium for the file, an owner's API
// with the same-origin header and a status check, a live shop with a pinned offer, a studio
// that has gone live, a phone that decodes frames.

/** One Chromium for the test file (launched before, closed after); call the getter inside tests. */
export function useBrowser(args: readonly string[] = CHROMIUM_ARGS): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...args] });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}

type Seed = Awaited<ReturnType<typeof seedShopWithNumbers>>;

/** The shop with numbers (analytics-seed) for the test file, and the database handle it used. */
export function useSeededShop(): { seed: () => Seed; db: ReturnType<typeof kyselyFor<DB>> } {
  const db = kyselyFor<DB>(inject('databaseUrl'));
  let seed: Seed | undefined;
  beforeAll(async () => {
    seed = await seedShopWithNumbers(inject('baseUrl'), db);
  });
  afterAll(async () => {
    await seed?.close();
    await db.destroy();
  });
  return { seed: () => seed!, db };
}

/** A new context signed in with `credentials` (login must answer 200), watched for trouble. */
export async function signedInContext(
  browser: Browser,
  credentials: { email: string; password: string },
  options: BrowserContextOptions,
): Promise<{ context: BrowserContext; trouble: string[] }> {
  const context = await browser.newContext(options);
  const trouble = watchForTrouble(context);
  const res = await context.request.post(`${inject('baseUrl')}/api/auth/login`, {
    data: { email: credentials.email, password: credentials.password },
  });
  expect(res.status()).toBe(200);
  return { context, trouble };
}

type Json = Record<string, { id: string } | undefined>;
export type Api = ReturnType<typeof apiAs>;

/**
 * The API as whoever is signed in inside `context`: same-origin header, and each call asserts
 * its status (`status` exactly when given, otherwise below 300) and returns the JSON body.
 */
export function apiAs(context: BrowserContext | Page, baseUrl: string = inject('baseUrl')) {
  const request = context.request;
  const call =
    (method: 'post' | 'patch' | 'get') =>
    async <T = Json>(path: string, data?: unknown, status?: number): Promise<T> => {
      const res = await request[method](`${baseUrl}${path}`, {
        headers: { origin: baseUrl },
        ...(data === undefined ? {} : { data }),
      });
      if (status === undefined)
        expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300);
      else expect(res.status(), `${path}: ${await res.text()}`).toBe(status);
      return (await res.json()) as T;
    };
  return {
    post: call('post'),
    patch: call('patch'),
    get: <T = Json>(path: string, status?: number) => call('get')<T>(path, undefined, status),
  };
}

/** Signs up inside the api's context (201); returns the user. */
export async function signUp(
  api: Api,
  name: string,
  tag: string,
  password = 'longenough-pass',
): Promise<{ id: string }> {
  const { user } = await api.post<{ user: { id: string } }>(
    '/api/auth/signup',
    { email: uniqueEmail(tag), password, name },
    201,
  );
  return user;
}

export interface ShopPlan {
  /** the email's tag and the slug's prefix */
  tag: string;
  owner?: string;
  password?: string;
  shop: Record<string, unknown>;
  /** when given, a product is added (and an offer of it, when `offer` is given too) */
  product?: Record<string, unknown>;
  stream: Record<string, unknown>;
  offer?: Record<string, unknown>;
  pin?: boolean;
  start?: boolean;
}

/**
 * An owner signs up inside the api's context and opens a shop; then, as planned: a product, a
 * stream, an offer of the product, pinned, and the stream started (over the API, no camera).
 */
export async function liveShop(api: Api, plan: ShopPlan) {
  await signUp(api, plan.owner ?? '王老板', plan.tag, plan.password);
  const { shop } = await api.post<{ shop: { id: string } }>(
    '/api/shops',
    { ...plan.shop, slug: `${plan.tag}-${Date.now().toString(36)}` },
    201,
  );
  const shopId = shop.id;
  const productId = plan.product
    ? (
        await api.post<{ product: { id: string } }>(
          `/api/shops/${shopId}/products`,
          plan.product,
          201,
        )
      ).product.id
    : undefined;
  const { stream } = await api.post<{ stream: { id: string } }>(
    `/api/shops/${shopId}/streams`,
    plan.stream,
    201,
  );
  const streamId = stream.id;
  const offerId = plan.offer
    ? (
        await api.post<{ offer: { id: string } }>(
          `/api/streams/${streamId}/offers`,
          { productId, ...plan.offer },
          201,
        )
      ).offer.id
    : undefined;
  if (plan.pin) await api.post(`/api/streams/${streamId}/offers/${offerId}/pin`);
  if (plan.start) await api.post(`/api/streams/${streamId}/start`);
  return { shopId, productId: productId!, streamId, offerId: offerId! };
}

/** A time `hours` from now, as the API takes it. */
export const hoursFromNow = (hours: number) =>
  new Date(Date.now() + hours * 3_600_000).toISOString();

/** The owner's studio with Chromium's fake camera: opens it and waits for the preview. */
export async function openStudio(
  context: BrowserContext,
  streamId: string,
  baseUrl: string = inject('baseUrl'),
): Promise<Page> {
  const studio = await context.newPage();
  await studio.goto(`${baseUrl}/studio/${streamId}`);
  await studio.getByTestId('studio-preview').waitFor();
  return studio;
}

/** Presses "go live" and waits until the studio is connected to the media server. */
export async function goLive(studio: Page): Promise<Page> {
  await studio.getByTestId('studio-go-live').click();
  await expect
    .poll(() => studio.getByTestId('studio-page').getAttribute('data-link'), { timeout: 20_000 })
    .toBe('connected');
  return studio;
}

/** Opens the studio for `streamId` and goes live from it. */
export async function goLiveInStudio(
  context: BrowserContext,
  streamId: string,
  baseUrl: string = inject('baseUrl'),
): Promise<Page> {
  return goLive(await openStudio(context, streamId, baseUrl));
}

/** The watch page says it is playing. */
export async function waitForPlaying(page: Page, timeout = 20_000): Promise<void> {
  await expect
    .poll(() => page.getByTestId('watch-page').getAttribute('data-phase'), { timeout })
    .toBe('playing');
}

/** Frames the watch page's main video has decoded so far. */
export function framesDecoded(page: Page): Promise<number> {
  return page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="live-video"]');
    return video?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
  });
}

/** The watch page decodes more than `by` further frames within `timeout`. */
export async function waitForFrames(page: Page, by = 15, timeout = 15_000): Promise<void> {
  const start = await framesDecoded(page);
  await expect
    .poll(() => framesDecoded(page), { timeout, interval: 250 })
    .toBeGreaterThan(start + by);
}
