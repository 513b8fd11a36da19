import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Flags that let headless Chromium run as root on this machine and do WebRTC on loopback
// with a fake camera and microphone (SPEC.md, "Real parts").
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required',
];

/** Playwright gives every launch a fresh temporary profile (the --user-data-dir rule). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
} as const;

export const LAPTOP = { viewport: { width: 1280, height: 800 } } as const;

export const SCREENSHOT_DIR = join('test-results', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Collects dialogs, page errors and console errors: none are expected. */
export function watchForTrouble(context: BrowserContext): string[] {
  const trouble: string[] = [];
  context.on('page', (page) => attach(page, trouble));
  for (const page of context.pages()) attach(page, trouble);
  return trouble;
}

/**
 * What livekit-client itself logs as console errors when the server ends a participant's
 * session (removed from the room) before its leave is handled: its data channels close under
 * it. Expected for a page that was removed; anything else it logged still counts.
 */
const LIVEKIT_TEARDOWN =
  /DataChannel error on \w+: User-Initiated Abort|publisher data channel '\w+' closed unexpectedly/;
export const troubleAfterRemoval = (trouble: string[]): string[] =>
  trouble.filter((t) => !LIVEKIT_TEARDOWN.test(t));

function attach(page: Page, trouble: string[]) {
  page.on('dialog', (d) => {
    trouble.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => trouble.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // HTTP statuses are asserted where they matter; Chromium logs every 4xx as an error
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      trouble.push(`console error: ${m.text()}`);
    }
  });
}

/** An image on the page (once it has decoded), read as a QR code: its text, null for none. */
export async function readQr(
  image: Locator,
): Promise<{ text: string | null; width: number; height: number }> {
  const pixels = await image.evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d');
    ctx?.drawImage(img, 0, 0);
    const data = ctx?.getImageData(0, 0, canvas.width, canvas.height);
    return { width: canvas.width, height: canvas.height, data: Array.from(data?.data ?? []) };
  });
  const decoded = jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height);
  return { text: decoded?.data ?? null, width: pixels.width, height: pixels.height };
}
