import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import { uniqueEmail } from '../helpers/app';

// The pickup screen's camera scan (issue 15): Chromium's fake camera plays a video of the
// buyer's QR code (drawn here, as raw video, from the code the order got), the page decodes it
// with jsQR and redeems the order, as a shop owner's phone would at the counter.

const baseUrl = inject('baseUrl');
let browser: Browser | null = null;
const dir = mkdtempSync(join(tmpdir(), 'linli-qr-'));

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A few seconds of video showing `text` as a QR code, in the raw Y4M format Chromium's fake
 * camera plays: each frame a luma plane (black modules on white) and flat chroma.
 */
function qrVideo(text: string): string {
  const width = 640;
  const height = 480;
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const scale = Math.floor(360 / (n + 8));
  const x0 = Math.floor((width - n * scale) / 2);
  const y0 = Math.floor((height - n * scale) / 2);
  const luma = Buffer.alloc(width * height, 235);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const row = (y0 + r * scale + dy) * width + x0 + c * scale;
        luma.fill(16, row, row + scale);
      }
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  const path = join(dir, 'qr.y4m');
  writeFileSync(path, Buffer.concat([header, ...Array.from({ length: 30 }, () => frame)]));
  return path;
}

describe('the pickup scan', () => {
  it("the shop's phone camera reads the buyer's QR code and hands the order out", async () => {
    // an owner with a live stream, and a resident's order on it, set up over HTTP
    const setup = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const ownerSetup = await setup.newContext();
    const post = async (ctx: typeof ownerSetup, path: string, data?: unknown) => {
      const res = await ctx.request.post(`${baseUrl}${path}`, {
        headers: { origin: baseUrl },
        ...(data === undefined ? {} : { data }),
      });
      expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300);
      return (await res.json()) as Record<string, Record<string, string>>;
    };
    const email = uniqueEmail('scan');
    await post(ownerSetup, '/api/auth/signup', {
      email,
      password: 'long-enough-pass',
      name: '王老板',
    });
    const shopId = (
      await post(ownerSetup, '/api/shops', {
        name: '王记鲜果',
        slug: `scan-${Date.now().toString(36)}`,
      })
    ).shop!.id!;
    const productId = (
      await post(ownerSetup, `/api/shops/${shopId}/products`, {
        name: '草莓',
        priceCents: 1990,
        stock: 10,
      })
    ).product!.id!;
    const streamId = (await post(ownerSetup, `/api/shops/${shopId}/streams`, { title: '扫码取货' }))
      .stream!.id!;
    const offerId = (
      await post(ownerSetup, `/api/streams/${streamId}/offers`, {
        productId,
        priceCents: 1990,
        quantity: 5,
      })
    ).offer!.id!;
    await post(ownerSetup, `/api/streams/${streamId}/start`);
    const buyer = await setup.newContext();
    await post(buyer, '/api/auth/guest', { name: '陈阿姨' });
    const placed = await post(buyer, `/api/streams/${streamId}/orders`, {
      offerId,
      quantity: 1,
      phone: '13912345678',
    });
    const code = placed.order!.pickupCode!;
    expect(code).toMatch(/^\d{6}$/);
    const cookies = await ownerSetup.cookies();
    await setup.close();

    // the owner's phone, whose camera sees the buyer's QR code
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${qrVideo(code)}`],
    });
    const context = await browser.newContext({ ...PHONE, permissions: ['camera'] });
    await context.addCookies(cookies);
    const trouble = watchForTrouble(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/shop-admin/${shopId}/pickup`);
    await page.getByTestId('pickup-scan').click();
    await page.getByTestId('pickup-done').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('pickup-done').textContent()).toContain('陈阿姨');
    await screenshot(page, 'pickup-scan-done-phone');
    expect(trouble).toEqual([]);
  });
});
