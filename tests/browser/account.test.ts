import { describe, expect, inject, it } from 'vitest';
import { LAPTOP, PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import { useBrowser } from '../helpers/browser-setup';
import { uniqueEmail } from '../helpers/app';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('a resident on a phone', () => {
  it('signs up, logs out, logs in, and switches the language', async () => {
    const context = await browser().newContext(PHONE);
    const trouble = watchForTrouble(context);
    const page = await context.newPage();
    const email = uniqueEmail('browser');
    const password = 'longenough-pass';

    await page.goto(`${baseUrl}/`);
    // Chinese is the default language
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await expect.poll(() => page.getByTestId('login-link').textContent()).toContain('登录');
    await screenshot(page, 'home-phone');

    await page.getByTestId('signup-link').click();
    await page.waitForURL('**/signup');
    await page.getByTestId('signup-name').fill('陈阿姨');
    await page.getByTestId('signup-email').fill(email);
    await page.getByTestId('signup-password').fill(password);
    await screenshot(page, 'signup-phone');
    await page.getByTestId('signup-submit').click();
    await page.getByTestId('user-name').waitFor();
    expect(await page.getByTestId('user-name').textContent()).toContain('陈阿姨');
    const me = await page.request.get(`${baseUrl}/api/me`);
    expect(await me.json()).toMatchObject({ user: { email, name: '陈阿姨' } });
    // the session cookie is out of reach of page scripts
    expect(await page.evaluate(() => document.cookie)).not.toContain('linli_session');

    await page.getByTestId('logout').click();
    await page.getByTestId('login-link').waitFor();
    expect(await page.getByTestId('user-name').count()).toBe(0);
    expect((await page.request.get(`${baseUrl}/api/me`)).status()).toBe(401);

    await page.getByTestId('login-link').click();
    await page.waitForURL('**/login**');
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('form-error').waitFor();
    expect(await page.getByTestId('form-error').textContent()).toMatch(/密码/);
    await screenshot(page, 'login-error-phone');
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-name').waitFor();
    expect(await page.getByTestId('user-name').textContent()).toContain('陈阿姨');

    await page.getByTestId('lang-option-en').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expect
      .poll(() => page.getByTestId('logout').textContent())
      .toMatch(/log ?out|sign ?out/i);
    // the choice survives a reload, rendered on the server in English
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expect
      .poll(() => page.getByTestId('logout').textContent())
      .toMatch(/log ?out|sign ?out/i);
    await screenshot(page, 'home-phone-en');

    await page.getByTestId('lang-option-zh-CN').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');

    expect(trouble).toEqual([]);
    await context.close();
  });

  it('sees the demo shop, and a clear page for an unknown one', async () => {
    const context = await browser().newContext(PHONE);
    const trouble = watchForTrouble(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('demo-shop-link').click();
    await page.waitForURL('**/shop/wangji-fruit');
    expect(await page.getByTestId('shop-name').textContent()).toContain('王记鲜果');
    expect(await page.getByTestId('shop-address').textContent()).toContain('康健路');
    await screenshot(page, 'shop-phone');

    const res = await page.goto(`${baseUrl}/shop/no-such-shop`);
    expect(res?.status()).toBe(404);
    await page.getByTestId('error-page').waitFor();
    expect(trouble).toEqual([]);
    await context.close();
  });
});

describe('a shop owner on a laptop', () => {
  it('sees the home page laid out for a wide screen', async () => {
    const context = await browser().newContext(LAPTOP);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('demo-shop-link').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(1280);
    await screenshot(page, 'home-laptop');
    await context.close();
  });
});
