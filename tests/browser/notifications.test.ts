import { describe, expect, inject, it } from 'vitest';
import { PHONE, screenshot, watchForTrouble } from '../helpers/browser';
import { apiAs, liveShop, signUp, useBrowser } from '../helpers/browser-setup';
import { mailsIn } from '../helpers/smtp';

// 提醒我 on a phone: a resident asks to be reminded of a scheduled stream; when the owner goes
// live, the resident's open page says so at once (the bell and a notice), and the SMTP server
// the app mails through received exactly one message for it.

const baseUrl = inject('baseUrl');
const smtpDir = inject('smtpDir');
const browser = useBrowser();

describe('notices on a phone', () => {
  it('提醒我, then the go-live: the open page shows the notice and one email goes out', async () => {
    const ownerContext = await browser().newContext();
    const owner = apiAs(ownerContext);
    const { streamId } = await liveShop(owner, {
      tag: 'remind',
      owner: '施老板',
      password: 'long-enough-pass',
      shop: { name: '施家豆腐坊', address: '康健路 20 号' },
      stream: { title: '石磨豆腐现做' },
    });

    const context = await browser().newContext(PHONE);
    const trouble = watchForTrouble(context);
    const resident = apiAs(context);
    const user = await signUp(resident, '吕阿姨', 'remind');
    const { user: me } = await resident.get<{ user: { email: string } }>('/api/me');
    expect(user.id).toBeTruthy();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/live/${streamId}`);
    await page.getByTestId('live-scheduled').waitFor();
    await page.getByTestId('remind-me').click();
    await expect.poll(() => page.getByTestId('remind-me').textContent()).toContain('已预约');
    await screenshot(page, 'notices-remind-phone');

    await owner.post(`/api/streams/${streamId}/start`);
    const toast = page.getByTestId('notice-toast');
    await toast.waitFor();
    expect(await toast.textContent()).toContain('施家豆腐坊 开播了');
    expect(await page.getByTestId('bell-unread').textContent()).toBe('1');
    await page.getByTestId('bell').click();
    await expect.poll(() => page.getByTestId('notice').count()).toBe(1);
    expect(await page.getByTestId('notice').textContent()).toContain('石磨豆腐现做');
    await screenshot(page, 'notices-bell-phone');
    await expect.poll(() => page.getByTestId('bell-unread').count()).toBe(0);

    // exactly one email, to the resident, about this stream
    const mine = () => mailsIn(smtpDir).filter((m) => m.to.includes(me.email));
    await expect.poll(() => mine().length, { timeout: 10_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(mine()).toHaveLength(1);
    expect(mine()[0]!.subject).toBe('施家豆腐坊 开播了');
    expect(mine()[0]!.text).toContain('石磨豆腐现做');
    expect(mine()[0]!.text).toContain(`/live/${streamId}`);

    expect(trouble).toEqual([]);
    await context.close();
    await ownerContext.close();
  });
});
